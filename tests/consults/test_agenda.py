"""The host's agenda: her consults only (others get 404), audited notes, marks, blocked time,
and a private calendar feed that icalendar parses and that stops when revoked."""

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consults.models import BlockedPeriod, Booking, ConsultHost, ConsultNote
from consults.selectors import day_slot_list
from practice.audit.models import AuditEvent
from tests.consults.conftest import host_create
from tests.fixtures.accounts import login_with_totp


def consult(host: ConsultHost, starts_at: datetime, **changes: object) -> Booking:
    fields: dict[str, object] = {
        "host": host,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=15),
        "blocked_from": starts_at,
        "blocked_until": starts_at + timedelta(minutes=15),
        "host_date": starts_at.astimezone(host.zone).date(),
        "name": "Margaret Hale",
        "email": "margaret@example.com",
        "phone": "+12125550187",
        "concern": "bone_density",
        "concern_detail": "T-score of -2.8",
        "time_zone": "America/New_York",
        "consented_at": timezone.now(),
    }
    fields.update(changes)
    return Booking.objects.create(**fields)


@pytest.fixture
def tomorrow_10(host: ConsultHost) -> datetime:
    day = timezone.now().astimezone(host.zone).date() + timedelta(days=1)
    return datetime.combine(day, time(10), tzinfo=host.zone)


def test_the_day_agenda_shows_name_phone_concern_and_local_time(
    therapist_client: Client, host: ConsultHost, tomorrow_10: datetime
) -> None:
    consult(host, tomorrow_10)

    page = therapist_client.get(
        reverse("consults:agenda"), {"date": tomorrow_10.date().isoformat()}
    )

    text = page.content.decode()
    assert page.status_code == 200
    assert "Margaret Hale" in text
    assert "(212) 555-0187" in text
    assert "T-score of -2.8" in text
    assert tomorrow_10.strftime("%Z") in text
    assert "10 a.m." in text
    week = therapist_client.get(
        reverse("consults:agenda"), {"date": tomorrow_10.date().isoformat(), "view": "week"}
    )
    assert "Margaret Hale" in week.content.decode()
    assert AuditEvent.objects.filter(summary__startswith="Viewed her consult agenda").count() == 2


def test_another_therapists_consult_is_not_found(
    therapist_client: Client, other_therapist, tomorrow_10: datetime
) -> None:
    theirs = consult(host_create(therapist=other_therapist), tomorrow_10)

    for name in ("consults:agenda_booking", "consults:agenda_mark", "consults:agenda_cancel"):
        url = reverse(name, args=[theirs.pk])
        response = therapist_client.post(url, {"text": "x", "status": "completed"})
        assert response.status_code == 404, name
    assert not ConsultNote.objects.exists()
    theirs.refresh_from_db()
    assert theirs.status == Booking.Status.CONFIRMED


def test_a_visitor_and_a_patient_cannot_open_the_agenda(
    client: Client, patient_client: Client, host: ConsultHost
) -> None:
    assert client.get(reverse("consults:agenda")).status_code == 302
    assert patient_client.get(reverse("consults:agenda")).status_code == 403


def test_private_notes_are_saved_and_every_read_and_write_audited(
    therapist_client: Client, host: ConsultHost, tomorrow_10: datetime
) -> None:
    booking = consult(host, tomorrow_10)
    url = reverse("consults:agenda_booking", args=[booking.pk])

    assert therapist_client.post(url, {"text": "  "}).status_code == 400
    therapist_client.post(url, {"text": "Wants to start safe walking."})
    page = therapist_client.get(url).content.decode()

    assert "Wants to start safe walking." in page
    actions = list(
        AuditEvent.objects.filter(object_id=str(booking.pk)).values_list("action", flat=True)
    )
    assert AuditEvent.Action.VIEW in actions
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_type="consults.consultnote"
    ).exists()


def test_marks_need_the_consult_to_have_started(
    therapist_client: Client, host: ConsultHost, tomorrow_10: datetime
) -> None:
    ahead = consult(host, tomorrow_10)
    past = consult(host, tomorrow_10 - timedelta(days=3), email="b@example.com")

    therapist_client.post(reverse("consults:agenda_mark", args=[ahead.pk]), {"status": "no_show"})
    therapist_client.post(reverse("consults:agenda_mark", args=[past.pk]), {"status": "no_show"})
    therapist_client.post(reverse("consults:agenda_mark", args=[past.pk]), {"status": "bogus"})

    ahead.refresh_from_db()
    past.refresh_from_db()
    assert ahead.status == Booking.Status.CONFIRMED
    assert past.status == Booking.Status.NO_SHOW


def test_blocking_time_from_the_agenda_stops_those_slots(
    therapist_client: Client, host: ConsultHost, tomorrow_10: datetime
) -> None:
    start = tomorrow_10
    while start.weekday() >= 5:  # the host has hours on weekdays
        start += timedelta(days=1)
    day: date = start.date()
    response = therapist_client.post(
        reverse("consults:agenda_block"),
        {"day": day.isoformat(), "starts": "10:00", "ends": "11:00", "reason": "Dentist"},
    )

    assert response.status_code == 302
    period = BlockedPeriod.objects.get()
    assert period.starts_at == start
    starts = [s.starts_at for s in day_slot_list(day=day, zone=host.zone, host_id=host.pk).slots]
    assert start not in starts
    assert start + timedelta(hours=1) in starts


def test_the_calendar_feed_parses_leaves_out_the_concern_and_stops_when_revoked(
    therapist_client: Client, host: ConsultHost, tomorrow_10: datetime
) -> None:
    booking = consult(host, tomorrow_10)
    consult(
        host,
        tomorrow_10 + timedelta(hours=1),
        email="c@example.com",
        status=Booking.Status.CANCELLED,
        cancelled_at=timezone.now(),
    )
    therapist_client.post(reverse("consults:feed"), {"action": "new"})
    page = therapist_client.get(reverse("consults:feed")).content.decode()
    feed_url = page.split("<code>")[1].split("</code>")[0]

    feed = Client().get(feed_url)

    assert feed["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.content)
    events = calendar.events
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert str(events[0]["UID"]).startswith(str(booking.uid))
    assert "(212) 555-0187" in str(events[0]["SUMMARY"])
    assert b"T-score" not in feed.content
    assert b"density" not in feed.content.lower()
    assert "<code>" not in therapist_client.get(reverse("consults:feed")).content.decode()

    therapist_client.post(reverse("consults:feed"), {"action": "revoke"})
    assert Client().get(feed_url).status_code == 404


def test_a_new_feed_address_ends_the_old_one(therapist_client: Client, host: ConsultHost) -> None:
    therapist_client.post(reverse("consults:feed"), {"action": "new"})
    first = therapist_client.get(reverse("consults:feed")).content.decode()
    therapist_client.post(reverse("consults:feed"), {"action": "new"})
    second = therapist_client.get(reverse("consults:feed")).content.decode()
    old_url = first.split("<code>")[1].split("</code>")[0]
    new_url = second.split("<code>")[1].split("</code>")[0]

    assert Client().get(old_url).status_code == 404
    assert Client().get(new_url).status_code == 200


def test_a_therapist_who_is_not_a_host_is_told_so(other_therapist) -> None:
    client = Client()
    login_with_totp(client, other_therapist)
    page = client.get(reverse("consults:agenda"))
    assert page.status_code == 403
    assert "You do not take consults yet" in page.content.decode()


def test_blocked_time_is_listed_and_can_be_opened_again_by_its_host_only(
    therapist_client: Client, host: ConsultHost, other_therapist, tomorrow_10: datetime
) -> None:
    mine = BlockedPeriod.objects.create(
        host=host, starts_at=tomorrow_10, ends_at=tomorrow_10 + timedelta(hours=1), reason="Dentist"
    )
    theirs_host = host_create(therapist=other_therapist)
    theirs = BlockedPeriod.objects.create(
        host=theirs_host, starts_at=tomorrow_10, ends_at=tomorrow_10 + timedelta(hours=1)
    )
    page = therapist_client.get(
        reverse("consults:agenda"), {"date": tomorrow_10.date().isoformat()}
    )
    assert "(Dentist)" in page.content.decode()

    refused = therapist_client.post(reverse("consults:agenda_unblock", args=[theirs.pk]))
    therapist_client.post(reverse("consults:agenda_unblock", args=[mine.pk]))

    assert refused.status_code == 404
    assert list(BlockedPeriod.objects.all()) == [theirs]
