"""Joining and leaving the waitlist of a full day: clear answers, no duplicates, no leaks."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consults import tokens
from consults.models import WaitlistEntry

URL = reverse("consults:waitlist")


def form(**changes: str) -> dict[str, str]:
    day = timezone.now().date() + timedelta(days=3)
    data = {
        "date": day.isoformat(),
        "tz": "America/New_York",
        "name": "Ann First",
        "email": "ann@example.com",
        "website": "",
    }
    data.update(changes)
    return data


def test_joining_twice_is_one_place_and_answers_the_same(client: Client, db) -> None:
    first = client.post(URL, form())
    second = client.post(URL, form(email="ANN@example.com"))

    assert first.status_code == second.status_code == 200
    assert "You are on the waitlist" in first.content.decode()
    assert first.content == second.content
    assert WaitlistEntry.objects.count() == 1


def test_bad_input_is_field_errors_and_saves_nothing(client: Client, db) -> None:
    past = (timezone.now().date() - timedelta(days=2)).isoformat()
    for data in (form(date=past), form(tz="Mars/Olympus"), form(email="not-an-address")):
        response = client.post(URL, data)
        assert response.status_code == 400
        assert 'class="errorlist' in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_a_filled_honeypot_looks_joined_but_saves_nothing(client: Client, db) -> None:
    response = client.post(URL, form(website="https://spam.example"))
    assert "You are on the waitlist" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_the_form_works_without_javascript_and_keeps_the_day(client: Client, db) -> None:
    page = client.get(URL, {"date": "2026-12-09", "tz": "Europe/London"}).content.decode()
    assert 'value="2026-12-09"' in page
    assert 'value="Europe/London"' in page


def test_leaving_from_the_email_link_asks_first_then_ends_the_place(client: Client, db) -> None:
    client.post(URL, form())
    entry = WaitlistEntry.objects.get()
    link = reverse("consults:waitlist_leave", args=[tokens.waitlist_token(entry_id=entry.pk)])

    assert "Take me off the waitlist" in client.get(link).content.decode()
    entry.refresh_from_db()
    assert entry.left_at is None
    client.post(link)
    entry.refresh_from_db()
    assert entry.left_at is not None
    bad = client.get(reverse("consults:waitlist_leave", args=["forged"]))
    assert bad.status_code == 404
