"""After booking: the visitor's confirmation with its invite, the host's notice, reminders as
Job rows firing at the right instant across daylight-saving changes, exactly once."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from consults.models import Booking, ConsultHost
from consults.reminders import reminder_key
from practice.outbox.models import OutboxMessage
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_run_due
from tests.consults.conftest import host_create
from tests.consults.helpers import book, invite_of, sent_to

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
VISITOR = "margaret@example.com"


@pytest.fixture
def run_hooks(django_capture_on_commit_callbacks):
    """Run on-commit hooks (the booking service calls the lifecycle on commit)."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def jobs_of(booking: Booking) -> dict[str, Job]:
    prefix = f"consults.booking:{booking.pk}:seq{booking.sequence}:"
    return {
        job.key.removeprefix(prefix): job
        for job in Job.objects.filter(key__startswith=prefix, cancelled_at__isnull=True)
    }


def test_the_visitor_gets_an_invite_and_add_links_and_the_host_a_notice(host, run_hooks) -> None:
    start = datetime(2026, 12, 1, 10, 15, tzinfo=NEW_YORK)
    with time_machine.travel(datetime(2026, 11, 24, 12, 0, tzinfo=UTC), tick=False):
        booking = run_hooks(lambda: book(host, start))

    [confirmation] = sent_to(VISITOR)
    assert "10:15 a.m. EST on Tuesday, December 1, 2026" in confirmation.subject
    assert "calendar.google.com" in confirmation.text_body
    assert "outlook.live.com" in confirmation.text_body
    assert "/consults/manage/link/" in confirmation.text_body
    assert confirmation.private
    calendar, event = invite_of(confirmation)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]).startswith(str(booking.uid))
    assert event.sequence == 0
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 15, 15, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert "(212) 555-0187" in str(event["DESCRIPTION"])
    ics = bytes(confirmation.attachments.get().content).decode()
    assert "T-score" not in ics
    assert "density" not in ics.lower()

    # The host's notice comes from the follow-up job (out of the visitor's request).
    assert sent_to(host.therapist.user.email) == []
    jobs_run_due()
    [notice] = sent_to(host.therapist.user.email)
    assert "Margaret Hale" in notice.subject
    assert "(212) 555-0187" in notice.text_body
    assert "10:15 a.m. EST" in notice.text_body
    assert "T-score" not in notice.text_body + notice.html_body


def test_reminders_fire_24_and_1_hours_before_across_the_new_york_dst_change_once_each(
    host, run_hooks
) -> None:
    # Booked in EDT (October 30); the consult is on Monday November 2, after clocks go back.
    start = datetime(2026, 11, 2, 10, 0, tzinfo=NEW_YORK)
    with time_machine.travel(datetime(2026, 10, 30, 14, 0, tzinfo=UTC), tick=False):
        booking = run_hooks(lambda: book(host, start))
    jobs = jobs_of(booking)
    assert jobs["24h"].due_at == datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    assert jobs["1h"].due_at == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    assert jobs["host"].due_at == datetime(2026, 11, 2, 14, 50, tzinfo=UTC)

    def reminders() -> list[str]:
        return [
            m.subject for m in sent_to(VISITOR) if "Tomorrow" in m.subject or "In 1" in m.subject
        ]

    with time_machine.travel(datetime(2026, 11, 1, 14, 59, tzinfo=UTC), tick=False):
        jobs_run_due()
        assert reminders() == []
    with time_machine.travel(datetime(2026, 11, 1, 15, 0, tzinfo=UTC), tick=False):
        jobs_run_due()
        jobs_run_due()
    assert reminders() == ["Tomorrow: your phone consult, 10 a.m. EST on Monday, November 2, 2026"]
    with time_machine.travel(datetime(2026, 11, 2, 14, 0, tzinfo=UTC), tick=False):
        jobs_run_due()
    with time_machine.travel(datetime(2026, 11, 2, 14, 50, tzinfo=UTC), tick=False):
        jobs_run_due()
        jobs_run_due()
    assert len(reminders()) == 2
    assert reminders()[1].startswith("In 1 hour")
    [host_reminder] = [
        m for m in sent_to(host.therapist.user.email) if m.subject.startswith("Call ")
    ]
    assert "(212) 555-0187" in host_reminder.subject


def test_london_reminder_is_24_real_hours_before_when_clocks_go_forward(
    run_hooks, therapist
) -> None:
    host = host_create(therapist=therapist, time_zone="Europe/London")
    # Clocks go forward on Sunday March 29 2026 at 01:00 GMT; the consult is Monday 9:30 BST.
    start = datetime(2026, 3, 30, 9, 30, tzinfo=LONDON)
    with time_machine.travel(datetime(2026, 3, 25, 9, 0, tzinfo=UTC), tick=False):
        booking = run_hooks(lambda: book(host, start, time_zone="Europe/London"))
    jobs = jobs_of(booking)
    assert jobs["24h"].due_at == datetime(2026, 3, 29, 8, 30, tzinfo=UTC)
    assert jobs["1h"].due_at == datetime(2026, 3, 30, 7, 30, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 3, 29, 8, 30, tzinfo=UTC), tick=False):
        jobs_run_due()
    [_, reminder] = sent_to(VISITOR)
    assert "9:30 a.m. BST on Monday, March 30, 2026" in reminder.subject


def test_a_consult_booked_3_hours_ahead_gets_only_the_1_hour_reminder(run_hooks, therapist) -> None:
    host = host_create(therapist=therapist)
    start = datetime(2026, 12, 1, 14, 0, tzinfo=NEW_YORK)
    with time_machine.travel(start - timedelta(hours=3), tick=False):
        booking = run_hooks(lambda: book(host, start))
    assert set(jobs_of(booking)) == {"1h", "host"}
    with time_machine.travel(start - timedelta(minutes=30), tick=False):
        jobs_run_due()
    subjects = [m.subject for m in sent_to(VISITOR)]
    assert len(subjects) == 2
    assert subjects[1].startswith("In 1 hour")


def test_a_late_run_after_the_start_sends_nothing(host, run_hooks) -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False):
        booking = run_hooks(lambda: book(host, start))
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert jobs_run_due() == 4  # three reminders and the patient-link check
    assert [m.subject for m in sent_to(VISITOR)][1:] == []
    assert all(job.done_at is not None for job in jobs_of(booking).values())


def test_a_24_hour_reminder_running_when_the_1_hour_one_is_due_is_dropped(host, run_hooks) -> None:
    start = datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False):
        run_hooks(lambda: book(host, start))
    with time_machine.travel(start - timedelta(minutes=40), tick=False):
        jobs_run_due()
    reminders = [m.subject for m in sent_to(VISITOR)][1:]
    assert len(reminders) == 1
    assert reminders[0].startswith("In 1 hour")


def test_calling_the_hook_twice_sends_nothing_twice(host, run_hooks) -> None:
    from consults.lifecycle import booking_confirmed

    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False):
        booking = run_hooks(lambda: book(host, datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)))
        booking_confirmed(booking)
        jobs_run_due()
        booking_confirmed(booking)
        jobs_run_due()
    assert OutboxMessage.objects.count() == 2  # hers and the host's notice
    assert len(jobs_of(booking)) == 3
    assert reminder_key(booking_id=booking.pk, sequence=0, offset="1h") in {
        j.key for j in Job.objects.all()
    }


def host_of(booking: Booking) -> ConsultHost:
    return booking.host
