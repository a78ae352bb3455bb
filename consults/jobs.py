"""Scheduled work of consults, run by the scheduling scanner (``practice.scheduling``)."""

from django.utils import timezone

from consults.invites import host_context, visitor_context
from consults.lifecycle import FOLLOWUP_KIND, booking_host_notify, booking_phone_holder_notify
from consults.models import Booking
from consults.patients import PATIENT_LINK_KIND, patient_link_offer
from consults.reminders import KIND, OFFSETS, reminder_due_at
from practice.outbox.services import email_queue
from practice.scheduling.registry import job_handler


@job_handler(KIND)
def reminder_send(*, booking_id: int, sequence: int, offset: str) -> None:
    """Send one reminder of one time of a consult, if it is still worth sending.

    Nothing is sent when the booking is gone, is no longer confirmed, has moved to another
    time (its sequence differs), or has started (a late run); a 24-hour reminder is dropped
    when the 1-hour one is already due, so she never gets both at once. A held booking
    (``consults.services``) reminds nobody to call; its visitor is reminded only when held
    for its phone number (she must not tell it from a real one), not when held for her address.
    """
    booking = Booking.objects.select_related("host__therapist__user").filter(pk=booking_id).first()
    now = timezone.now()
    if (
        booking is None
        or offset not in OFFSETS
        or booking.status != Booking.Status.CONFIRMED
        or booking.sequence != sequence
        or booking.starts_at <= now
    ):
        return
    if (offset == "host" and booking.is_held) or booking.held == Booking.Held.EMAIL:
        return
    if offset == "24h" and reminder_due_at(starts_at=booking.starts_at, offset="1h") <= now:
        return
    key = f"consults/reminder:{booking.pk}:seq{sequence}:{offset}"
    if offset == "host":
        email_queue(
            to=booking.host.therapist.user.email,
            template="consults/host_reminder",
            context=host_context(booking),
            idempotency_key=key,
        )
        return
    email_queue(
        to=booking.email,
        template="consults/reminder",
        context={**visitor_context(booking), "offset": offset},
        idempotency_key=key,
        private=True,
    )


@job_handler(PATIENT_LINK_KIND)
def patient_link_send(*, booking_id: int) -> None:
    """Offer to link a new booking to the record of the patient whose address it gives (jobs
    scheduled before the follow-up job took this over)."""
    booking = Booking.objects.filter(pk=booking_id, status=Booking.Status.CONFIRMED).first()
    if booking is not None:
        patient_link_offer(booking=booking)


@job_handler(FOLLOWUP_KIND)
def booking_followup(*, booking_id: int) -> None:
    """After a new booking, out of the visitor's request: the host's notice (real ones), the
    note to the holder of a matched phone number (``Held.PHONE``), and the offer to link a
    patient's record (not for ``Held.EMAIL``: its address got the offer instead). Nothing for
    a booking cancelled meanwhile."""
    booking = (
        Booking.objects.select_related("host__therapist__user", "held_for__host__therapist")
        .filter(pk=booking_id, status=Booking.Status.CONFIRMED)
        .first()
    )
    if booking is None:
        return
    if not booking.is_held:
        booking_host_notify(booking)
    elif booking.held == Booking.Held.PHONE:
        booking_phone_holder_notify(booking)
    if booking.held != Booking.Held.EMAIL:
        patient_link_offer(booking=booking)
