"""The booking page: a day picker and times in the visitor's zone, the form, its answers."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from consults.models import Booking, ConsultHost
from consults.views import BOOKED_SESSION_KEY
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday, 7:00 a.m. EST
URL = "/consults/book/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def details(**changes: str) -> dict[str, str]:
    return {
        "tz": "Europe/London",
        "date": "2026-12-01",
        "start": "2026-12-01T14:00:00+00:00",
        "name": "Margaret Lee",
        "email": "margaret@example.com",
        "phone": "+44 20 7946 0018",
        "concern": "balance",
        "concern_detail": "I fell last winter.",
        "consent": "on",
        **changes,
    }


def test_the_page_lists_days_and_times_in_the_chosen_zone(
    client: Client, host: ConsultHost
) -> None:
    response = client.get(URL, {"tz": "Europe/London", "date": "2026-12-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="date"' in html
    assert "Pick a time on Tuesday, December 1" in html
    assert 'value="2026-12-01T14:00:00+00:00"' in html  # her 9:00 EST is 2:00 p.m. GMT
    assert "2 p.m. GMT" in html
    assert '<option value="Europe/London" selected>' in html
    assert "data-zone-auto" not in html  # the zone was chosen: the script leaves it


def test_without_a_zone_the_page_uses_the_practices_and_lets_the_script_switch(
    client: Client, host: ConsultHost
) -> None:
    html = client.get(URL).content.decode()
    assert "data-zone-auto" in html
    assert 'src="/static/consults/book.js"' in html
    assert "<script>" not in html


def test_booking_from_the_page_lands_on_the_confirmation(client: Client, host: ConsultHost) -> None:
    response = client.post(URL, details())
    assert response.status_code == 302
    assert response["Location"] == "/consults/booked/"
    booking = Booking.objects.get()
    assert booking.phone == "+442079460018"
    assert booking.time_zone == "Europe/London"
    page = client.get("/consults/booked/").content.decode()
    assert "2 p.m. GMT on Tuesday, December 1, 2026" in page
    assert "020 7946 0018" in page or "+44 20 7946 0018" in page
    assert client.session[BOOKED_SESSION_KEY] == str(booking.uid)


def test_the_confirmation_without_a_booking_goes_back_to_the_booking_page(client: Client) -> None:
    assert client.get("/consults/booked/")["Location"] == URL


def test_bad_input_is_shown_beside_its_field_and_keeps_what_she_typed(
    client: Client, host: ConsultHost
) -> None:
    response = client.post(URL, details(phone="12", consent="", start="2026-12-01T14:05:00+00:00"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "That phone number does not look complete" in html or "Enter a phone number" in html
    assert "Please agree" in html
    assert "quarter hour" in html
    assert 'value="Margaret Lee"' in html
    assert Booking.objects.count() == 0


def test_a_taken_time_offers_the_nearest_free_times_and_keeps_the_details(
    client: Client, host: ConsultHost
) -> None:
    assert client.post(URL, details()).status_code == 302
    other = Client()
    response = other.post(URL, details(email="ann@example.com", phone="+12025550199"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "that time was just taken" in html
    assert "Pick one of the nearest free times" in html
    assert 'value="2026-12-01T14:15:00+00:00"' in html
    assert 'value="ann@example.com"' in html


def test_the_honeypot_books_nothing(client: Client, host: ConsultHost) -> None:
    response = client.post(URL, details(website="http://spam.example"))
    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_booking_attempts_from_one_address_are_limited(
    client: Client, host: ConsultHost, settings
) -> None:
    settings.CONSULT_BOOKING_ATTEMPTS = 1
    client.post(URL, details(consent=""))
    response = client.post(URL, details())
    assert response.status_code == 429
    assert Booking.objects.count() == 0


def test_an_unknown_zone_or_day_still_shows_a_usable_page(
    client: Client, host: ConsultHost
) -> None:
    response = client.get(URL, {"tz": "Mars/Olympus", "date": "not-a-day"})
    assert response.status_code == 200
    assert '<option value="America/New_York" selected>' in response.content.decode()
    saturday = client.get(URL, {"tz": "America/New_York", "date": "2026-12-05"}).content.decode()
    assert "no free times on that day" in saturday
    assert "Join the waitlist for Saturday, December 5" in saturday
    assert "/consults/waitlist/?date=2026-12-05&amp;tz=America/New_York" in saturday


def test_the_page_runs_a_fixed_number_of_queries(client: Client, django_assert_num_queries) -> None:
    host_create()
    client.get(URL, {"tz": "Europe/London"})  # the practice profile, cached from then on
    with django_assert_num_queries(6):
        client.get(URL, {"tz": "America/New_York"})
    with django_assert_num_queries(1):  # the hosts; their free days come from the memo
        client.get(URL, {"tz": "America/New_York"})
    for _ in range(2):
        host_create()
    with django_assert_num_queries(6):
        client.get(URL, {"tz": "America/New_York"})


def test_several_hosts_can_be_picked_or_left_to_the_first_free(client: Client) -> None:
    first = host_create()
    second = host_create()
    html = client.get(URL, {"tz": "America/New_York"}).content.decode()
    assert "Whoever is free first" in html
    response = client.post(URL, details(host=str(second.pk)))
    assert response.status_code == 302
    assert Booking.objects.get().host == second
    assert first.bookings.count() == 0


def test_a_tampered_zone_is_named_and_nothing_is_booked(client: Client, host: ConsultHost) -> None:
    response = client.post(URL, details(tz="Mars/Olympus"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert Booking.objects.count() == 0
