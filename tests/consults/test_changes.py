"""Reschedule and cancel from the signed link: same UID with SEQUENCE + 1, METHOD:CANCEL, the
reminders follow, the freed time is offered again at once and to the waitlist in order."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from consults import tokens
from consults.models import Booking
from consults.selectors import day_slot_list
from consults.waitlist import waitlist_join
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_run_due
from tests.consults.helpers import book, invite_of, sent_to
from tests.consults.test_agenda import consult

NEW_YORK = ZoneInfo("America/New_York")
VISITOR = "margaret@example.com"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def booking(host, frozen, django_capture_on_commit_callbacks) -> Booking:
    with django_capture_on_commit_callbacks(execute=True):
        return book(host, START)


def opened(client: Client, booking: Booking) -> Client:
    """Her client after opening the emailed link (the token then leaves the URL)."""
    link = reverse("consults:manage_link", args=[tokens.manage_token(booking_id=booking.pk)])
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("consults:manage")
    return client


def pending_keys(booking: Booking) -> set[str]:
    return set(
        Job.objects.filter(
            key__startswith=f"consults.booking:{booking.pk}:seq",
            cancelled_at__isnull=True,
            done_at__isnull=True,
        ).values_list("key", flat=True)
    )


def test_the_manage_page_names_the_time_in_her_zone(client, booking) -> None:
    page = opened(client, booking).get(reverse("consults:manage"))

    assert page.status_code == 200
    assert "10 a.m. EST on Tuesday, December 1, 2026" in page.content.decode()
    assert "Cancel my consult" in page.content.decode()


def test_rescheduling_keeps_the_uid_raises_the_sequence_and_moves_the_reminders(
    client, booking, frozen
) -> None:
    first_uid = str(invite_of(sent_to(VISITOR)[0])[1]["UID"])
    new_start = datetime(2026, 12, 2, 14, 30, tzinfo=NEW_YORK)

    response = opened(client, booking).post(
        reverse("consults:manage_reschedule"), {"start": new_start.isoformat(), "sequence": 0}
    )

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == new_start
    assert booking.sequence == 1
    moved = sent_to(VISITOR)[-1]
    calendar, event = invite_of(moved)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == first_uid
    assert event.sequence == 1
    assert event.decoded("DTSTART") == datetime(2026, 12, 2, 19, 30, tzinfo=UTC)
    assert "2:30 p.m. EST" in moved.subject
    notice = sent_to(booking.host.therapist.user.email)[-1]
    assert "10 a.m. EST on Tuesday, December 1, 2026" in notice.text_body
    assert pending_keys(booking) == {
        f"consults.booking:{booking.pk}:seq1:{offset}" for offset in ("24h", "1h", "host")
    }
    old_slot_free = day_slot_list(day=date(2026, 12, 1), zone=NEW_YORK, host_id=booking.host_id)
    assert START in [slot.starts_at for slot in old_slot_free.slots]


def test_a_reminder_already_sent_for_the_old_time_does_not_stop_the_new_one(
    client, booking, frozen
) -> None:
    frozen.move_to(START - timedelta(hours=23))
    jobs_run_due()
    assert len(sent_to(VISITOR)) == 2  # confirmation, 24-hour reminder
    opened(client, booking).post(
        reverse("consults:manage_reschedule"),
        {"start": datetime(2026, 12, 4, 10, 0, tzinfo=NEW_YORK).isoformat(), "sequence": 0},
    )
    frozen.move_to(datetime(2026, 12, 3, 15, 0, tzinfo=UTC))
    jobs_run_due()
    subjects = [m.subject for m in sent_to(VISITOR)]
    assert subjects[-1] == "Tomorrow: your phone consult, 10 a.m. EST on Friday, December 4, 2026"
    assert len(subjects) == 4


def test_cancelling_sends_method_cancel_with_the_same_uid_and_frees_the_time(
    client, booking
) -> None:
    uid = str(invite_of(sent_to(VISITOR)[0])[1]["UID"])

    opened(client, booking).post(reverse("consults:manage_cancel"), {"sequence": 0})

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    calendar, event = invite_of(sent_to(VISITOR)[-1])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == uid
    assert event.sequence == 1
    assert str(event["STATUS"]) == "CANCELLED"
    assert "cancelled" in sent_to(booking.host.therapist.user.email)[-1].subject.lower()
    assert pending_keys(booking) == set()
    free = day_slot_list(day=date(2026, 12, 1), zone=NEW_YORK, host_id=booking.host_id)
    assert START in [slot.starts_at for slot in free.slots]
    page = client.get(reverse("consults:manage")).content.decode()
    assert "This consult is cancelled" in page


def test_within_two_hours_the_page_says_to_call_and_changes_are_refused(
    client, booking, frozen
) -> None:
    frozen.move_to(START - timedelta(minutes=110))
    opened(client, booking)

    page = client.get(reverse("consults:manage")).content.decode()
    client.post(reverse("consults:manage_cancel"), {"sequence": 0})

    assert "can no longer be changed here. Please call us" in page
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_tampered_or_expired_link_opens_a_clear_page_not_a_500(client, booking, frozen) -> None:
    token = tokens.manage_token(booking_id=booking.pk)
    assert client.get(reverse("consults:manage_link", args=[token[:-2] + "xx"])).status_code == 404
    frozen.move_to(NOW + tokens.MANAGE_MAX_AGE + timedelta(days=1))
    expired = client.get(reverse("consults:manage_link", args=[token]))
    assert expired.status_code == 404
    assert "This link is not valid" in expired.content.decode()
    assert client.get(reverse("consults:manage")).status_code == 404


def test_a_bad_or_taken_new_time_is_a_clear_message(client, host, booking, frozen) -> None:
    other = book(
        host,
        datetime(2026, 12, 2, 9, 0, tzinfo=NEW_YORK),
        email="b@example.com",
        phone="+12125550188",
    )
    opened(client, booking)
    for start in ["not a time", "2026-12-02T09:00:00-05:00", "2026-12-02T03:00:00-05:00"]:
        response = client.post(
            reverse("consults:manage_reschedule"), {"start": start, "sequence": 0}, follow=True
        )
        assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.starts_at == START
    assert other.status == Booking.Status.CONFIRMED


def test_a_freed_time_is_emailed_to_the_waitlist_in_order(client, booking) -> None:
    day = date(2026, 12, 1)
    first = waitlist_join(day=day, zone=NEW_YORK, name="Ann First", email="ann@example.com")
    second = waitlist_join(day=day, zone=NEW_YORK, name="Bea Second", email="bea@example.com")
    waitlist_join(day=date(2026, 12, 2), zone=NEW_YORK, name="Other Day", email="cy@example.com")

    opened(client, booking).post(reverse("consults:manage_cancel"), {"sequence": 0})

    [to_first] = sent_to("ann@example.com")
    [to_second] = sent_to("bea@example.com")
    assert to_first.pk < to_second.pk
    assert sent_to("cy@example.com") == []
    assert "10 a.m. EST on Tuesday, December 1, 2026" in to_first.subject
    assert "/consults/book/?date=2026-12-01&tz=America%2FNew_York" in to_first.text_body
    assert first.pk != second.pk


def test_a_visitor_in_london_sees_the_new_york_hosts_times_in_her_zone(
    client, host, frozen, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(
            host, START, time_zone="Europe/London", email="jo@example.com", phone="+442079460018"
        )
    page = opened(client, booking).get(reverse("consults:manage")).content.decode()

    assert "3 p.m. GMT on Tuesday, December 1, 2026" in page
    assert "2:45 p.m. GMT" in page  # the quarter hour just before hers is offered
    assert 'value="2026-12-01T15:00:00+00:00"' not in page  # her own time is not


def test_the_agenda_week_runs_the_same_queries_for_one_consult_or_twenty(
    host, django_assert_max_num_queries, therapist_client
) -> None:
    monday = date(2026, 12, 7)
    url = reverse("consults:agenda")
    consult(host, datetime(2026, 12, 7, 9, 0, tzinfo=NEW_YORK))
    # A first signed-in request fills per-user caches (her session, whether she has an
    # authenticator); compare two requests that both find them filled.
    therapist_client.get(url, {"date": monday.isoformat(), "view": "week"})
    with django_assert_max_num_queries(40) as one:
        therapist_client.get(url, {"date": monday.isoformat(), "view": "week"})
    for n in range(1, 20):
        day = datetime(2026, 12, 7 + n % 5, 9, 0, tzinfo=NEW_YORK) + timedelta(minutes=15 * n)
        consult(host, day, email=f"p{n}@example.com")
    with django_assert_max_num_queries(40) as twenty:
        therapist_client.get(url, {"date": monday.isoformat(), "view": "week"})
    assert len(twenty.captured_queries) == len(one.captured_queries)
