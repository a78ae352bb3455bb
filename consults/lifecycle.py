"""What happens around a booking once it is saved: emails, calendar invites and reminders.

The booking service (``consults.services.booking_create``) calls ``booking_confirmed`` once the
booking is committed; the change services (``consults.changes``) call
``booking_moved`` and ``booking_cancelled``. Every email goes through the outbox with an
idempotency key naming the booking and its ``sequence``, so calling a hook twice for the
same state sends nothing twice.

Emails to the visitor hold her signed reschedule/cancel link, so they are ``private`` (hidden
from staff, erased once sent). Emails to the host carry name, time and phone number, never
the concern (health data, shown on the agenda behind her sign-in).

Held bookings (``Booking.held``, rule in ``consults.services``): the request does the same
work whatever the booking is (one email to the address typed, with a calendar attachment;
three reminder jobs; one follow-up job), so neither the answer nor its time tells a held one
from a real one. What differs is decided later, by the scanner (``consults.jobs``):

- real: the host's notice (follow-up job), all reminders.
- ``Held.PHONE``: the address typed gets everything a real booking's address gets; the host
  gets nothing (no notice, no reminder, no change notices); the address of the consult that
  holds the number is told (follow-up job).
- ``Held.EMAIL``: the address gets, instead of a confirmation, the offer to take the new
  time instead of her consult or to keep hers (``consults.held``), with her consult's own
  invite attached (unchanged); no reminders, no emails about later changes of the held one.
"""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from consults.calendar import Method, invite_ics
from consults.held import held_offer_url
from consults.invites import booking_event, host_context, visitor_context
from consults.models import Booking
from consults.patients import patient_link_offer
from consults.phones import phone_display
from consults.reminders import reminders_cancel, reminders_schedule
from consults.waitlist import waitlist_booked
from practice.core.localtime import format_moment
from practice.outbox.services import email_queue
from practice.outbox.types import Attachment
from practice.scheduling.services import job_schedule

#: The job run by the scanner after every new booking (``consults.jobs.booking_followup``).
FOLLOWUP_KIND = "consults.booking_followup"


def booking_confirmed(booking: Booking) -> None:
    """A new booking: the email to the address typed, reminders, and the follow-up job.

    Called by ``booking_create`` after its transaction commits (its seam); safe to call twice.
    """
    with transaction.atomic():
        if booking.held == Booking.Held.EMAIL and booking.held_for is not None:
            _held_offer_email(booking, existing=booking.held_for)
        else:
            _visitor_email(booking, template="consults/booking_confirmed", method="REQUEST")
        reminders_schedule(booking=booking)
        waitlist_booked(email=booking.email, starts_at=booking.starts_at)
        # Later, from the scanner: the host's notice, the note to the holder of a matched
        # phone number, the offer to link a patient's record (the answer takes the same time
        # whatever is sent: no enumeration by timing).
        job_schedule(
            kind=FOLLOWUP_KIND,
            key=f"consults.booking:{booking.pk}:followup",
            due_at=timezone.now(),
            payload={"booking_id": booking.pk},
        )


def booking_host_notify(booking: Booking) -> None:
    """Tell the host about a new real booking (from the follow-up job, or when a held one
    becomes real)."""
    _host_email(booking, template="consults/host_booked")


def booking_phone_holder_notify(booking: Booking) -> None:
    """Tell the address of the consult that holds ``booking``'s phone number (a ``Held.PHONE``
    booking) that a request came with her number: hers stands, nobody calls at the other
    time. Nothing when that consult is gone, done, or past."""
    existing = booking.held_for
    if (
        existing is None
        or existing.status != Booking.Status.CONFIRMED
        or existing.starts_at <= timezone.now()
    ):
        return
    email_queue(
        to=existing.email,
        template="consults/held_phone_notice",
        context={
            **visitor_context(existing),
            "asked_when": format_moment(booking.starts_at, zone=ZoneInfo(existing.time_zone)),
        },
        idempotency_key=f"consults/held_phone_notice:{booking.pk}",
        private=True,
    )


def booking_unheld(booking: Booking) -> None:
    """A booking held for its address now stands (``consults.held_changes.held_take``): the
    confirmation with its invite to her address; then, when it is real, the host's notice and
    the offer to link a patient's record, or, when it is held for its phone number
    (``Held.PHONE``), the note to that number's holder, as for a fresh request."""
    with transaction.atomic():
        _visitor_email(booking, template="consults/booking_confirmed", method="REQUEST")
        if booking.held == Booking.Held.PHONE:
            booking_phone_holder_notify(booking)
        else:
            booking_host_notify(booking)
        patient_link_offer(booking=booking)


def booking_moved(*, booking: Booking, old_time: str) -> None:
    """``booking`` has a new time (its ``sequence`` already raised): the updated invite (same
    UID, higher SEQUENCE), the host's notice naming ``old_time`` (as the host's clock read
    it), reminders moved to the new time."""
    with transaction.atomic():
        if booking.held != Booking.Held.EMAIL:
            _visitor_email(booking, template="consults/booking_moved", method="REQUEST")
        if not booking.is_held:
            _host_email(booking, template="consults/host_moved", extra={"old_time": old_time})
        reminders_schedule(booking=booking)


def booking_cancelled(*, booking: Booking, by_host: bool) -> None:
    """``booking`` was cancelled (``sequence`` already raised): a METHOD:CANCEL invite with the
    same UID to the visitor, a notice to the host (unless she cancelled it herself), no
    reminders, and the requests held for its phone number become real when nothing else
    holds it (``held_phone_release``); her cancel email names their times."""
    with transaction.atomic():
        released = held_phone_release(cancelled=booking)
        if booking.held != Booking.Held.EMAIL:
            zone = ZoneInfo(booking.time_zone)
            _visitor_email(
                booking,
                template="consults/booking_cancelled",
                method="CANCEL",
                extra={
                    "by_host": by_host,
                    # Her number will be called at these times now: she must know (she was
                    # told nobody would while hers stood).
                    "released": [format_moment(b.starts_at, zone=zone) for b in released],
                },
            )
        if not by_host and not booking.is_held:
            _host_email(booking, template="consults/host_cancelled")
        reminders_cancel(booking=booking)


def held_phone_release(*, cancelled: Booking) -> list[Booking]:
    """The consult that held a phone number is cancelled: each upcoming request held for it
    (``Held.PHONE``, whose sender was told nothing) becomes real, in the order asked, while
    no other real upcoming consult has its number or address; the host gets its notice.
    One that stays held because a real consult has its number (one made real just before, or
    another) is held for that one now, so that its cancellation releases it in turn.
    Returns those made real."""
    now = timezone.now()
    released = []
    waiting = Booking.objects.filter(
        held_for=cancelled,
        held=Booking.Held.PHONE,
        status=Booking.Status.CONFIRMED,
        starts_at__gt=now,
    ).select_related("host__therapist__user")
    for booking in waiting.order_by("created_at", "pk"):
        real = Booking.objects.filter(
            status=Booking.Status.CONFIRMED, held=Booking.Held.NO, ends_at__gt=now
        ).exclude(pk=booking.pk)
        holder = real.filter(phone=booking.phone).order_by("starts_at", "pk").first()
        if holder is not None:
            booking.held_for = holder
            booking.save(update_fields=["held_for"])
            continue
        if real.filter(email=booking.email).exists():
            continue
        booking.held, booking.held_for = Booking.Held.NO, None
        booking.save(update_fields=["held", "held_for"])
        booking_host_notify(booking)
        released.append(booking)
    return released


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


def _held_offer_email(booking: Booking, *, existing: Booking) -> None:
    """To an address asking for a second consult: hers, the new time, take it or keep hers;
    her consult's invite attached as it is (a calendar sees no change)."""
    zone = ZoneInfo(existing.time_zone)
    email_queue(
        to=booking.email,
        template="consults/held_offer",
        context={
            **visitor_context(existing),
            "asked_when": format_moment(booking.starts_at, zone=zone),
            "asked_phone": phone_display(booking.phone),
            "offer_url": held_offer_url(booking),
        },
        idempotency_key=f"consults/held_offer:{booking.pk}",
        attachments=[
            Attachment(
                filename="invite.ics",
                content=invite_ics(booking_event(existing), method="REQUEST"),
                mimetype="text/calendar; method=REQUEST",
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
