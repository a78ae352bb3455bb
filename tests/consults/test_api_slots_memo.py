"""The slots API's memo of rendered answers: the bytes a fresh render gives, the same headers,
a booked time gone from the very next answer, and bad queries never stored."""

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from consults.models import Booking, ConsultHost
from consults.selectors import day_slot_list
from consults.serializers import SlotSerializer
from consults.slot_cache import VERSION_KEY, answers

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday November 30, 7:00 a.m. EST
SLOTS = "/api/v1/consults/slots/"
DAY = {"date": "2026-12-01", "tz": "Europe/London"}
NINE_EST = "2026-12-01T14:00:00+00:00"  # her 9:00 a.m. EST, in London


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def fresh_render(date: str, tz: str) -> bytes:
    """The answer as DRF renders a dict of the slots computed now, without the memo."""
    zone = ZoneInfo(tz)
    search = day_slot_list(
        day=datetime.fromisoformat(date).date(), zone=zone, host_id=None, now=NOW
    )
    data = {
        "date": date,
        "time_zone": tz,
        "slots": [SlotSerializer.of(s, zone) for s in search.slots],
    }
    return JSONRenderer().render(data)


def booking_post(api: APIClient, start: str) -> None:
    data = {
        "start": start,
        "time_zone": "Europe/London",
        "name": "Margaret Lee",
        "email": "margaret@example.com",
        "phone": "(202) 555-0123",
        "concern": "bone_density",
        "consent": True,
    }
    response = api.post("/api/v1/consults/bookings/", data, format="json")
    assert response.status_code == 201, response.content


def test_a_memo_hit_is_the_bytes_and_headers_of_a_fresh_render(
    api: APIClient, host: ConsultHost, django_assert_num_queries
) -> None:
    answers.clear()
    first = api.get(SLOTS, DAY)
    with django_assert_num_queries(0):
        again = api.get(SLOTS, DAY)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content == fresh_render(**DAY)
    assert len(json.loads(again.content)["slots"]) == 28
    assert again["Content-Type"] == "application/json"
    assert sorted(again.headers) == sorted(first.headers)
    assert "Cache-Control" not in again  # free times of a public calendar: as before


def test_a_booked_time_is_gone_from_the_next_answer(api: APIClient, host: ConsultHost) -> None:
    assert NINE_EST in [slot["start"] for slot in api.get(SLOTS, DAY).json()["slots"]]

    booking_post(api, NINE_EST)

    after = api.get(SLOTS, DAY)
    assert NINE_EST not in [slot["start"] for slot in after.json()["slots"]]
    assert after.content == fresh_render(**DAY)


def test_a_booking_committed_by_another_process_is_gone_once_its_version_is_out(
    api: APIClient, host: ConsultHost, settings
) -> None:
    api.get(SLOTS, DAY)  # memoised in this process
    # Another process books 9:00: no signal reaches this process, only the shared version.
    Booking.objects.bulk_create([booking_like(host, datetime(2026, 12, 1, 14, tzinfo=UTC))])
    cache.set(VERSION_KEY, "bumped-by-another-process")

    assert NINE_EST not in [slot["start"] for slot in api.get(SLOTS, DAY).json()["slots"]]


def test_without_throttles_the_memo_reads_its_version_itself(
    api: APIClient, host: ConsultHost, settings
) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    api.get(SLOTS, DAY)
    Booking.objects.bulk_create([booking_like(host, datetime(2026, 12, 1, 14, tzinfo=UTC))])
    cache.set(VERSION_KEY, "bumped-by-another-process")

    assert NINE_EST not in [slot["start"] for slot in api.get(SLOTS, DAY).json()["slots"]]


def test_a_bad_query_is_a_400_every_time_and_never_stored(
    api: APIClient, host: ConsultHost
) -> None:
    answers.clear()
    for _ in range(2):
        bad = api.get(SLOTS, {"date": "2026-12-01", "tz": "Mars/Olympus"})
        assert bad.status_code == 400
        assert set(bad.json()["error"]["fields"]) == {"tz"}
    assert len(answers) == 0
    # The last of repeated parameters counts, as in the validation.
    repeated = api.get(f"{SLOTS}?date=2026-13-01&date=2026-12-01&tz=Europe/London")
    assert repeated.status_code == 200
    assert repeated.content == fresh_render(**DAY)


def booking_like(host: ConsultHost, starts_at: datetime) -> Booking:
    """An active booking at ``starts_at`` (no buffers), as another process would store it."""
    ends_at = starts_at + timedelta(minutes=15)
    return Booking(
        host=host,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_from=starts_at,
        blocked_until=ends_at,
        host_date=starts_at.astimezone(ZoneInfo("America/New_York")).date(),
        time_zone="Europe/London",
        name="Joan Park",
        email="joan@example.com",
        phone="+12025550188",
        concern="bone_density",
        consented_at=NOW,
    )
