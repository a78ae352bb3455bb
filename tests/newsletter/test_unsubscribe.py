"""RFC 8058 one-click unsubscribe, the preferences page, and who campaigns may reach."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from newsletter import links
from newsletter.imports import subscribers_import
from newsletter.models import Subscriber, Suppression, Tag
from newsletter.selectors import subscriber_sendable_list

pytestmark = pytest.mark.django_db


def active(email: str = "ada@example.com", **fields: object) -> Subscriber:
    return Subscriber.objects.create(email=email, status=Subscriber.Status.ACTIVE, **fields)


def test_the_one_click_post_unsubscribes_without_session_cookie_or_csrf_token() -> None:
    subscriber = active()
    url = links.unsubscribe_url(subscriber)
    client = Client(enforce_csrf_checks=True)  # a mail program: no cookie, no token
    for _ in range(2):  # idempotent
        response = client.post(
            url,
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert not response.cookies
        subscriber.refresh_from_db()
        assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber_sendable_list().exists()


def test_opening_the_link_shows_a_button_and_unsubscribes_nobody() -> None:
    subscriber = active()
    response = Client().get(links.unsubscribe_url(subscriber))
    assert response.status_code == 200
    assert "<button" in response.text
    assert "Unsubscribe" in response.text
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    # The page's own button posts the same form, with no CSRF token.
    Client(enforce_csrf_checks=True).post(
        links.unsubscribe_url(subscriber), {"List-Unsubscribe": "One-Click"}
    )
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED


def test_a_tampered_unsubscribe_link_is_not_found_and_changes_nothing() -> None:
    subscriber = active()
    url = links.unsubscribe_url(subscriber)
    response = Client().post(
        url[:-4] + "zz/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_the_sendable_list_is_the_active_unpaused_audience() -> None:
    osteo = Tag.objects.create(name="Osteoporosis", slug="osteoporosis")
    patient = Tag.objects.create(name="Patient", slug="patient")
    both = active("both@example.com")
    both.tags.set([osteo, patient])
    only_patient = active("patient@example.com")
    only_patient.tags.set([patient])
    untagged = active("plain@example.com")
    active("paused@example.com", paused=True).tags.set([osteo])
    for status in ("pending", "unsubscribed", "bounced", "complained"):
        Subscriber.objects.create(email=f"{status}@example.com", status=status).tags.set([osteo])
    assert list(subscriber_sendable_list()) == [both, only_patient, untagged]
    assert list(subscriber_sendable_list(tags=["osteoporosis", "patient"])) == [both, only_patient]
    assert list(subscriber_sendable_list(tags=["osteoporosis"])) == [both]


def preferences_client(subscriber: Subscriber) -> Client:
    client = Client()
    response = client.get(links.preferences_url(subscriber))
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:preferences")  # the token leaves the URL
    return client


def test_preferences_choose_topics_pause_and_resubscribe() -> None:
    public = Tag.objects.create(name="Balance", slug="balance", public=True)
    staff_only = Tag.objects.create(name="Patient", slug="patient")
    subscriber = active()
    subscriber.tags.set([staff_only])
    client = preferences_client(subscriber)
    page = client.get(reverse("newsletter:preferences"))
    assert "Balance" in page.text
    assert "Patient" not in page.text
    client.post(
        reverse("newsletter:preferences"), {"action": "save", "tags": [public.pk], "paused": "on"}
    )
    subscriber.refresh_from_db()
    assert set(subscriber.tags.all()) == {public, staff_only}
    assert subscriber.paused
    assert not subscriber_sendable_list().exists()
    client.post(reverse("newsletter:preferences"), {"action": "unsubscribe"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    client.post(reverse("newsletter:preferences"), {"action": "resubscribe"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert not subscriber.paused
    assert subscriber.consents.get().method == "preferences"


def test_the_preferences_page_needs_the_emailed_link() -> None:
    response = Client().get(reverse("newsletter:preferences"))
    assert response.status_code == 403
    assert "Preferences" in response.text
    bad = reverse("newsletter:preferences_open", kwargs={"token": "not-a-token"})
    assert Client().get(bad).status_code == 404


def test_she_downloads_her_data_and_erasure_keeps_only_an_hmac_that_stops_re_import() -> None:
    subscriber = active(first_name="Ada")
    client = preferences_client(subscriber)
    export = client.post(reverse("newsletter:preferences"), {"action": "export"})
    assert export["Content-Type"] == "application/json"
    data = json.loads(export.content)
    assert data["email"] == "ada@example.com"
    assert data["first_name"] == "Ada"
    refused = client.post(reverse("newsletter:preferences"), {"action": "erase"})
    assert refused.status_code == 400
    assert Subscriber.objects.exists()
    client.post(reverse("newsletter:preferences"), {"action": "erase", "confirm": "on"})
    assert not Subscriber.objects.exists()
    (suppression,) = Suppression.objects.all()
    assert "ada" not in suppression.address_hmac
    assert len(suppression.address_hmac) == 64
    report = subscribers_import(text="email\nADA@example.com\n", consent_evidence="Paper form")
    assert report.suppressed == 1
    assert not Subscriber.objects.exists()
