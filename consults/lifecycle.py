"""What happens around a booking once it is saved: emails, calendar invites and reminders.

The booking service (``consults.services.booking_create``) calls ``booking_confirmed`` once the
booking is committed; the change services (``consults.changes``) call
``booking_moved`` and ``booking_cancelled``. Every email goes through the outbox with an
idempotency key naming the booking and its ``sequence``, so calling a hook twice for the
same state sends nothing twice.

Emails to the visitor hold her signed reschedule/cancel link, so they are ``private`` (hidden
from staff, erased once sent). Emails to the host carry name, time and phone number, never
the concern (health data, shown on the agenda behind her sign-in).
"""

from django.db import transaction
from django.utils import timezone

from consults.calendar import Method, invite_ics
from consults.invites import booking_event, host_context, visitor_context
from consults.models import Booking
from consults.patients import PATIENT_LINK_KIND
from consults.reminders import reminders_cancel, reminders_schedule
from consults.waitlist import waitlist_booked
from practice.outbox.services import email_queue
from practice.outbox.types import Attachment
from practice.scheduling.services import job_schedule


def booking_confirmed(booking: Booking) -> None:
    """A new booking: the visitor's confirmation with the invite, the host's notice, reminders.

    Called by ``booking_create`` after its transaction commits (its seam); safe to call twice.
    """
    with transaction.atomic():
        _visitor_email(booking, template="consults/booking_confirmed", method="REQUEST")
        _host_email(booking, template="consults/host_booked")
        reminders_schedule(booking=booking)
        waitlist_booked(email=booking.email, starts_at=booking.starts_at)
        # Later, from the scanner: the booking's answer takes the same time whether or not
        # the address is a patient's (no account enumeration by timing).
        job_schedule(
            kind=PATIENT_LINK_KIND,
            key=f"consults.booking:{booking.pk}:patient_link",
            due_at=timezone.now(),
            payload={"booking_id": booking.pk},
        )


def booking_moved(*, booking: Booking, old_time: str) -> None:
    """``booking`` has a new time (its ``sequence`` already raised): the updated invite (same
    UID, higher SEQUENCE), the host's notice naming ``old_time`` (as the host's clock read
    it), reminders moved to the new time."""
    with transaction.atomic():
        _visitor_email(booking, template="consults/booking_moved", method="REQUEST")
        _host_email(booking, template="consults/host_moved", extra={"old_time": old_time})
        reminders_schedule(booking=booking)


def booking_cancelled(*, booking: Booking, by_host: bool) -> None:
    """``booking`` was cancelled (``sequence`` already raised): a METHOD:CANCEL invite with the
    same UID to the visitor, a notice to the host (unless she cancelled it herself), and no
    reminders."""
    with transaction.atomic():
        _visitor_email(
            booking,
            template="consults/booking_cancelled",
            method="CANCEL",
            extra={"by_host": by_host},
        )
        if not by_host:
            _host_email(booking, template="consults/host_cancelled")
        reminders_cancel(booking=booking)


def _visitor_email(
    booking: Booking, *, template: str, method: Method, extra: dict[str, object] | None = None
) -> None:
    invite = invite_ics(booking_event(booking), method=method)
    email_queue(
        to=booking.email,
        template=template,
        context={**visitor_context(booking), **(extra or {})},
        idempotency_key=f"{template}:{booking.pk}:seq{booking.sequence}",
        attachments=[
            Attachment(
                filename="cancelled.ics" if method == "CANCEL" else "invite.ics",
                content=invite,
                mimetype=f"text/calendar; method={method}",
            )
        ],
        private=True,
    )


def _host_email(booking: Booking, *, template: str, extra: dict[str, object] | None = None) -> None:
    therapist = booking.host.therapist
    email_queue(
        to=therapist.user.email,
        template=template,
        context={**host_context(booking), **(extra or {})},
        idempotency_key=f"{template}:{booking.pk}:seq{booking.sequence}",
    )
