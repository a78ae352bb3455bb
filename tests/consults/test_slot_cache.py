"""The memo of free slots (consults.slot_cache): a taken time is never offered from it and a
freed one is offered again on the very next request, on the API and the booking page."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from consults.changes import booking_cancel
from consults.models import BlockedPeriod, Booking, ConsultHost, DateOverride, WeeklyHours
from consults.slot_cache import VERSION_KEY, answers
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday November 30, 7:00 a.m. EST
SLOTS = "/api/v1/consults/slots/"
DAY = {"date": "2026-12-01", "tz": "America/New_York"}
NINE = "2026-12-01T09:00:00-05:00"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def starts(api: APIClient, query: dict[str, str] = DAY) -> list[str]:
    response = api.get(SLOTS, query)
    assert response.status_code == 200
    return [slot["start"] for slot in response.json()["slots"]]


def book(api: APIClient, start: str = NINE, email: str = "margaret@example.com") -> Booking:
    data = {
        "start": start,
        "time_zone": "America/New_York",
        "name": "Margaret Lee",
        "email": email,
        "phone": "(202) 555-0123" if email == "margaret@example.com" else "(202) 555-0188",
        "concern": "bone_density",
        "consent": True,
    }
    response = api.post(SLOTS.replace("slots", "bookings"), data, format="json")
    assert response.status_code == 201, response.content
    return Booking.objects.get(uid=response.json()["uid"])


def test_a_booking_hides_its_time_and_a_cancel_offers_it_again_at_once(
    api: APIClient, host: ConsultHost, django_assert_num_queries
) -> None:
    assert NINE in starts(api)
    with django_assert_num_queries(0):  # the repeat is served from the memo
        assert NINE in starts(api)
    booking = book(api)
    assert NINE not in starts(api)
    booking_cancel(booking_id=booking.pk)
    assert NINE in starts(api)


def test_a_change_of_hours_override_or_blocked_period_shows_on_the_next_request(
    api: APIClient, host: ConsultHost
) -> None:
    assert len(starts(api)) == 28
    override = DateOverride.objects.create(host=host, date=date(2026, 12, 1))  # a day off
    assert starts(api) == []
    override.delete()
    assert len(starts(api)) == 28
    period = BlockedPeriod.objects.create(
        host=host,
        starts_at=datetime(2026, 12, 1, 14, tzinfo=UTC),
        ends_at=datetime(2026, 12, 1, 15, tzinfo=UTC),
    )
    assert NINE not in starts(api)
    period.delete()
    assert NINE in starts(api)
    hours = WeeklyHours.objects.get(host=host, weekday=1, starts=time(9))
    hours.starts = time(10)
    hours.save()
    assert NINE not in starts(api)
    assert "2026-12-01T10:00:00-05:00" in starts(api)


def test_a_host_moving_zone_or_stopping_shows_on_the_next_request(
    api: APIClient, host: ConsultHost
) -> None:
    assert NINE in starts(api)
    profile = host.therapist
    profile.time_zone = "America/Los_Angeles"  # her 9:00 is now noon in New York
    profile.save()
    assert NINE not in starts(api)
    assert "2026-12-01T12:00:00-05:00" in starts(api)
    host.is_active = False
    host.save()
    assert starts(api) == []


def test_a_change_committed_by_another_process_shows_on_the_next_request(
    api: APIClient, host: ConsultHost, django_capture_on_commit_callbacks
) -> None:
    booking = book(api)
    assert NINE not in starts(api)
    before = cache.get(VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        DateOverride.objects.create(host=host, date=date(2026, 12, 2))  # another day off
    assert cache.get(VERSION_KEY) != before  # the commit told the other processes
    assert NINE not in starts(api)  # memoised again under the new version
    # Another process: its booking arrives without touching this process's memo, and its
    # commit only changes the shared version.
    Booking.objects.bulk_create([Booking(**{**_fields(booking), "starts_at": _at(10)})])
    assert "2026-12-01T10:00:00-05:00" in starts(api)  # nothing told us yet
    cache.set(VERSION_KEY, "other-process")
    assert "2026-12-01T10:00:00-05:00" not in starts(api)


def test_the_minimum_notice_cuts_on_the_second_the_memo_included(api: APIClient) -> None:
    host_create(minimum_notice_minutes=60)
    eight = datetime(2026, 12, 1, 13, tzinfo=UTC)  # 8:00 a.m. EST: 9:00 is exactly 60 min off
    with time_machine.travel(eight - timedelta(seconds=1), tick=False):
        assert NINE in starts(api)
    with time_machine.travel(eight, tick=False):
        assert NINE in starts(api)
    with time_machine.travel(eight + timedelta(seconds=1), tick=False):
        assert NINE not in starts(api)
        assert "2026-12-01T09:15:00-05:00" in starts(api)


def test_the_booking_page_drops_a_booked_time_and_offers_it_again_after_a_cancel(
    client: Client, api: APIClient, host: ConsultHost
) -> None:
    page = {"tz": "Europe/London", "date": "2026-12-01"}
    nine = 'value="2026-12-01T14:00:00+00:00"'
    assert nine in client.get("/consults/book/", page).content.decode()
    booking = book(api)
    assert nine not in client.get("/consults/book/", page).content.decode()
    booking_cancel(booking_id=booking.pk)
    assert nine in client.get("/consults/book/", page).content.decode()
    assert len(answers) > 0


def _at(hour: int) -> datetime:
    return datetime(2026, 12, 1, hour + 5, tzinfo=UTC)


def _fields(booking: Booking) -> dict[str, object]:
    """A copy of ``booking``'s columns for another consult of the same host and day."""
    skip = {"id", "uid"}
    fields = {
        f.attname: getattr(booking, f.attname)
        for f in Booking._meta.concrete_fields
        if f.attname not in skip
    }
    shift = timedelta(hours=1)
    for name in ("ends_at", "blocked_from", "blocked_until"):
        fields[name] = fields[name] + shift
    fields["email"], fields["phone"] = "joan@example.com", "+12025550188"
    return fields
