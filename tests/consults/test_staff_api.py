"""The host's consults over the API: her own only, behind two-factor sign-in; marks and
cancellations through the same services as the agenda; a valid OpenAPI description."""

from datetime import datetime, time, timedelta

from django.test import Client
from django.utils import timezone
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from consults.models import BlockedPeriod, Booking, ConsultHost
from consults.selectors import day_slot_list
from practice.audit.models import AuditEvent
from practice.outbox.models import OutboxMessage
from tests.consults.conftest import host_create
from tests.consults.test_agenda import consult

LIST = "/api/v1/consults/staff/bookings/"


def detail(booking: Booking) -> str:
    return f"/api/v1/consults/staff/bookings/{booking.pk}/"


def ahead(host: ConsultHost, days: int = 1) -> datetime:
    day = timezone.now().astimezone(host.zone).date() + timedelta(days=days)
    return datetime.combine(day, time(10), tzinfo=host.zone)


def test_she_lists_her_consults_with_her_offset_and_it_is_audited(
    therapist_client: Client, host: ConsultHost
) -> None:
    start = ahead(host)
    consult(host, start)

    response = therapist_client.get(LIST, {"date": start.date().isoformat(), "days": "2"})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["start"] == start.isoformat()
    assert row["phone"] == "+12125550187"
    assert row["concern_detail"] == "T-score of -2.8"
    assert response.json()["time_zone"] == "America/New_York"
    assert AuditEvent.objects.filter(summary__startswith="Viewed her consult agenda").exists()


def test_bad_queries_are_field_errors(therapist_client: Client, host: ConsultHost) -> None:
    response = therapist_client.get(LIST, {"date": "tomorrow", "days": "90"})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"date", "days"}


def test_she_marks_a_past_consult_and_cancels_one_ahead(
    therapist_client: Client, host: ConsultHost
) -> None:
    past = consult(host, ahead(host, days=-2))
    upcoming = consult(host, ahead(host), email="b@example.com")

    marked = therapist_client.patch(
        detail(past), {"status": "no_show"}, content_type="application/json"
    )
    too_early = therapist_client.patch(
        detail(upcoming), {"status": "completed"}, content_type="application/json"
    )
    cancelled = therapist_client.patch(
        detail(upcoming), {"status": "cancelled"}, content_type="application/json"
    )

    assert marked.json()["status"] == "no_show"
    assert too_early.status_code == 400
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["sequence"] == 1
    [notice] = OutboxMessage.objects.filter(to="b@example.com")
    assert "cancelled" in notice.subject


def test_another_hosts_consult_is_404_and_unchanged(
    therapist_client: Client, host: ConsultHost, other_therapist
) -> None:
    theirs = consult(host_create(therapist=other_therapist), ahead(host))

    response = therapist_client.patch(
        detail(theirs), {"status": "cancelled"}, content_type="application/json"
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


def test_patients_visitors_and_staff_without_two_factor_are_refused(
    patient_client: Client, therapist, host: ConsultHost
) -> None:
    assert patient_client.get(LIST).status_code == 403
    assert APIClient().get(LIST).status_code in (401, 403)
    half_signed_in = Client()
    half_signed_in.force_login(therapist)
    response = half_signed_in.get(LIST)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"


def test_the_openapi_description_is_valid_and_lists_the_staff_endpoints(client: Client, db) -> None:
    schema = client.get("/api/schema/").json()
    validate(schema)
    assert "/api/v1/consults/staff/bookings/" in schema["paths"]
    assert "patch" in schema["paths"]["/api/v1/consults/staff/bookings/{booking_id}/"]


def test_a_day_at_the_end_of_the_calendar_is_a_field_error(
    therapist_client: Client, host: ConsultHost
) -> None:
    for day in ("9999-12-31", "0001-01-01"):
        response = therapist_client.get(LIST, {"date": day, "days": "31"})
        assert response.status_code == 400
        assert set(response.json()["error"]["fields"]) == {"date"}


def test_she_cancels_and_keeps_the_time_closed_or_cancels_from_a_stale_copy(
    therapist_client: Client, host: ConsultHost
) -> None:
    start = ahead(host)
    upcoming = consult(host, start)

    stale = therapist_client.patch(
        detail(upcoming),
        {"status": "cancelled", "sequence": 3, "block_time": True},
        content_type="application/json",
    )
    cancelled = therapist_client.patch(
        detail(upcoming),
        {"status": "cancelled", "sequence": 0, "block_time": True},
        content_type="application/json",
    )

    assert stale.status_code == 400
    assert "changed since" in stale.json()["error"]["fields"]["sequence"][0]
    assert cancelled.status_code == 200
    day = day_slot_list(day=start.date(), zone=host.zone, host_id=host.pk)
    assert start not in [slot.starts_at for slot in day.slots]
    assert BlockedPeriod.objects.filter(host=host, starts_at=start).exists()
