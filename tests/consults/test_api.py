"""The public consults API: slots of a day in the visitor's zone, booking with 201/400/409."""

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from consults.models import Booking, ConsultHost
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday November 30, 7:00 a.m. EST


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def booking_data(**changes: object) -> dict[str, object]:
    return {
        "start": "2026-12-01T09:00:00-05:00",
        "time_zone": "America/Chicago",
        "name": "Margaret Lee",
        "email": "Margaret@Example.com",
        "phone": "(202) 555-0123",
        "concern": "bone_density",
        "concern_detail": "My DXA says osteoporosis; what exercise is safe?",
        "consent": True,
        **changes,
    }


def test_slots_of_a_day_carry_the_visitors_offset(api: APIClient, host: ConsultHost) -> None:
    response = api.get("/api/v1/consults/slots/", {"date": "2026-12-01", "tz": "Europe/London"})
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-12-01"
    assert body["time_zone"] == "Europe/London"
    # Her 9:00-12:00 and 13:00-17:00 EST are 14:00-17:00 and 18:00-22:00 GMT.
    assert body["slots"][0] == {
        "start": "2026-12-01T14:00:00+00:00",
        "end": "2026-12-01T14:15:00+00:00",
        "host": host.pk,
    }
    assert len(body["slots"]) == 28
    # Her Monday 1:30 p.m. EST is midnight in Kolkata, the start of its December 1.
    india = api.get("/api/v1/consults/slots/", {"date": "2026-12-01", "tz": "Asia/Kolkata"})
    assert india.json()["slots"][0]["start"] == "2026-12-01T00:00:00+05:30"


def test_slot_queries_with_bad_input_get_field_errors(api: APIClient, host: ConsultHost) -> None:
    bad = api.get(
        "/api/v1/consults/slots/", {"date": "2026-13-01", "tz": "Mars/Olympus", "host": "999"}
    )
    assert bad.status_code == 400
    fields = bad.json()["error"]["fields"]
    assert set(fields) == {"date", "tz", "host"}
    assert "IANA" in fields["tz"][0]


def test_booking_answers_201_and_stores_the_phone_in_e164(
    api: APIClient, host: ConsultHost
) -> None:
    response = api.post("/api/v1/consults/bookings/", booking_data(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["start"] == "2026-12-01T08:00:00-06:00"  # in her own zone, Chicago
    assert body["phone"] == "+12025550123"
    assert body["email"] == "margaret@example.com"
    booking = Booking.objects.get()
    assert booking.starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert booking.host_date.isoformat() == "2026-12-01"
    assert str(booking.uid) == body["uid"]


def test_a_taken_slot_answers_409_with_the_nearest_free_times(
    api: APIClient, host: ConsultHost
) -> None:
    assert api.post("/api/v1/consults/bookings/", booking_data(), format="json").status_code == 201
    again = api.post(
        "/api/v1/consults/bookings/",
        booking_data(email="other@example.com", phone="+12025550199"),
        format="json",
    )
    assert again.status_code == 409
    body = again.json()
    assert body["error"]["code"] == "slot_taken"
    assert "just taken" in body["error"]["message"]
    nearest = [slot["start"] for slot in body["nearest"]]
    assert nearest[:2] == ["2026-12-01T08:15:00-06:00", "2026-12-01T08:30:00-06:00"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "2026-11-30T06:00:00-05:00"}, "start"),  # past
        ({"start": "2026-12-01T12:15:00-05:00"}, "start"),  # her lunch hour
        ({"start": "2026-12-01T09:05:00-05:00"}, "start"),  # misaligned
        ({"start": "9999-12-31T23:45:00-12:00"}, "start"),  # after the calendar's last day in UTC
        ({"start": "2030-12-02T09:00:00-05:00"}, "start"),  # beyond the horizon
        ({"start": "2026-12-01T09:00:00"}, "start"),  # no offset
        ({"start": "tomorrow at nine"}, "start"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"phone": "555-01"}, "phone"),
        ({"phone": "+1 202 555 01234567"}, "phone"),
        ({"email": "not-an-address"}, "email"),
        ({"concern": "gossip"}, "concern"),
        ({"consent": False}, "consent"),
        ({"name": "   "}, "name"),
        ({"host": 424242}, "host"),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(
    api: APIClient, host: ConsultHost, changes: dict[str, object], field: str
) -> None:
    response = api.post("/api/v1/consults/bookings/", booking_data(**changes), format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert list(error["fields"]) == [field]
    assert Booking.objects.count() == 0


def test_one_upcoming_consult_per_email_or_phone_is_held_not_refused(
    api: APIClient, host: ConsultHost
) -> None:
    # Refusing would tell anyone whether an address or number has a consult (co-gaps):
    # the same answer, the booking held (nobody calls); tests/consults/test_booking_held.py.
    first = api.post("/api/v1/consults/bookings/", booking_data(), format="json")
    assert first.status_code == 201
    same_email = booking_data(start="2026-12-02T09:00:00-05:00", phone="+12025550199")
    same_phone = booking_data(
        start="2026-12-02T09:15:00-05:00", email="x@example.com", phone="202-555-0123"
    )
    for data, held in ((same_email, "email"), (same_phone, "phone")):
        response = api.post("/api/v1/consults/bookings/", data, format="json")
        assert response.status_code == 201
        assert response.json()["status"] == "confirmed"
        assert Booking.objects.get(uid=response.json()["uid"]).held == held
    assert Booking.objects.filter(held="").count() == 1


def test_the_daily_cap_answers_409_once_the_day_is_full(api: APIClient) -> None:
    host_create(daily_cap=1)
    assert api.post("/api/v1/consults/bookings/", booking_data(), format="json").status_code == 201
    full = api.post(
        "/api/v1/consults/bookings/",
        booking_data(
            start="2026-12-01T15:00:00-05:00", email="b@example.com", phone="+12025550199"
        ),
        format="json",
    )
    assert full.status_code == 409
    assert all(slot["start"][:10] != "2026-12-01" for slot in full.json()["nearest"])


def test_booking_attempts_are_rate_limited_per_address(
    api: APIClient, host: ConsultHost, settings
) -> None:
    settings.CONSULT_BOOKING_ATTEMPTS = 2
    for _ in range(2):
        api.post("/api/v1/consults/bookings/", booking_data(consent=False), format="json")
    third = api.post("/api/v1/consults/bookings/", booking_data(), format="json")
    assert third.status_code == 429
    other = APIClient(REMOTE_ADDR="10.1.2.3")
    assert (
        other.post("/api/v1/consults/bookings/", booking_data(), format="json").status_code == 201
    )


def test_booking_attempts_from_one_ipv6_network_count_together(host: ConsultHost, settings) -> None:
    settings.CONSULT_BOOKING_ATTEMPTS = 2
    for i in (1, 2):
        APIClient(REMOTE_ADDR=f"2001:db8:1:2::{i}").post(
            "/api/v1/consults/bookings/", booking_data(consent=False), format="json"
        )
    third = APIClient(REMOTE_ADDR="2001:db8:1:2:ffff::3").post(
        "/api/v1/consults/bookings/", booking_data(), format="json"
    )
    assert third.status_code == 429


def test_the_schema_documents_both_endpoints(api: APIClient) -> None:
    schema = json.loads(api.get("/api/schema/").content)
    validate(schema)
    slots = schema["paths"]["/api/v1/consults/slots/"]["get"]
    assert {p["name"] for p in slots["parameters"]} >= {"date", "tz", "host"}
    bookings = schema["paths"]["/api/v1/consults/bookings/"]["post"]
    assert {"201", "400", "409"} <= set(bookings["responses"])


def test_the_slots_api_runs_a_fixed_number_of_queries(
    api: APIClient, django_assert_num_queries
) -> None:
    host_create()
    query = {"date": "2026-12-01", "tz": "America/New_York"}
    # The practice profile, cached from then on (another day: its answer is not this one's).
    api.get("/api/v1/consults/slots/", {**query, "date": "2026-12-02"})
    with django_assert_num_queries(5):
        assert len(api.get("/api/v1/consults/slots/", query).json()["slots"]) == 28
    with django_assert_num_queries(0):  # the same day again, nothing changed: memoised
        assert len(api.get("/api/v1/consults/slots/", query).json()["slots"]) == 28
    for _ in range(2):
        host_create()
    with django_assert_num_queries(5):
        assert len(api.get("/api/v1/consults/slots/", query).json()["slots"]) == 28


@pytest.mark.parametrize("name", ["localtime", "Factory"])
def test_a_zone_that_is_not_a_place_is_refused(api: APIClient, host: ConsultHost, name) -> None:
    """ "localtime" is whatever zone the server's machine is set to; "Factory" names no place:
    neither may be a visitor's zone (nor offered in the page's list)."""
    answer = api.get("/api/v1/consults/slots/", {"date": "2026-12-01", "tz": name})
    assert answer.status_code == 400
    assert "tz" in answer.json()["error"]["fields"]
    page = Client().get("/consults/book/").content.decode()
    assert f'value="{name}"' not in page
