"""Reminders of a consult: Job rows (``practice.scheduling``), never Celery ETA tasks.

Three per booking, each at an absolute instant computed in UTC from the consult's start, so a
daylight-saving change between the booking and the consult moves nothing: the "24 hours"
reminder comes exactly 24 hours (86,400 seconds) before the call, whatever the clocks did.

- ``24h`` and ``1h``: emails to the visitor.
- ``host``: a short email to the host with the number to call, ``HOST_LEAD`` before the call.

Guarantees:
- Each reminder of one time of a consult runs at most once: its job key names the booking
  and its ``sequence``, and the scheduler marks the job done in the handler's transaction.
- A reminder whose moment has already passed when the consult is booked (or moved) is not
  scheduled: a consult booked 3 hours ahead gets only the 1-hour reminder.
- Moving a consult cancels the reminders of its old time and schedules those of the new one
  (new keys, so a reminder already sent for the old time does not stop the new one).
- Cancelling a consult cancels its pending reminders.
- The handler (``consults.jobs``) re-checks everything when it runs: a run that comes late
  (retries, an outage) sends nothing once the consult has started, and a 24-hour reminder
  that comes so late that the 1-hour one is due is dropped in its favour.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from consults.models import Booking
from practice.scheduling.services import job_cancel, job_schedule

KIND = "consults.reminder"

#: Offsets of the reminders before the consult's start, by name.
OFFSETS: dict[str, timedelta] = {
    "24h": timedelta(hours=24),
    "1h": timedelta(hours=1),
    "host": timedelta(minutes=10),
}
HOST_LEAD = OFFSETS["host"]


def reminder_key(*, booking_id: int, sequence: int, offset: str) -> str:
    return f"consults.booking:{booking_id}:seq{sequence}:{offset}"


def reminder_due_at(*, starts_at: datetime, offset: str) -> datetime:
    """When the reminder named ``offset`` is due for a consult starting at ``starts_at``."""
    return starts_at - OFFSETS[offset]


def reminders_schedule(*, booking: Booking, now: datetime | None = None) -> list[str]:
    """Schedule the reminders of ``booking`` at its current time; returns the offsets scheduled.

    Reminders of its earlier times (lower sequences) are cancelled. Call inside the
    transaction that saved the booking.
    """
    now = now or timezone.now()
    reminders_cancel(booking=booking, below_sequence=booking.sequence)
    scheduled = []
    for offset in OFFSETS:
        key = reminder_key(booking_id=booking.pk, sequence=booking.sequence, offset=offset)
        due_at = reminder_due_at(starts_at=booking.starts_at, offset=offset)
        if due_at <= now:
            job_cancel(key=key)
            continue
        job_schedule(
            kind=KIND,
            key=key,
            due_at=due_at,
            payload={"booking_id": booking.pk, "sequence": booking.sequence, "offset": offset},
        )
        scheduled.append(offset)
    return scheduled


def reminders_cancel(*, booking: Booking, below_sequence: int | None = None) -> None:
    """Cancel the pending reminders of ``booking`` (of its times below ``below_sequence``
    only, when given)."""
    last = booking.sequence if below_sequence is None else below_sequence - 1
    for sequence in range(0, last + 1):
        for offset in OFFSETS:
            job_cancel(key=reminder_key(booking_id=booking.pk, sequence=sequence, offset=offset))
