"""Answers to the offer about a held consult (``Booking.Held.EMAIL``, see
``consults.services``): the address that already had a consult takes the new time instead, or
keeps hers and frees the new one."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consults.changes import CHANGE_CUTOFF, booking_cancel
from consults.lifecycle import booking_unheld
from consults.models import Booking

ANSWERED = "This request has already been answered, or the time it asked for was freed."


def _held_locked(booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("host__therapist__user", "held_for")
        .filter(pk=booking_id)
        .first()
    )
    if (
        booking is None
        or booking.status != Booking.Status.CONFIRMED
        or booking.held != Booking.Held.EMAIL
    ):
        raise ValidationError(ANSWERED, code="answered")
    if booking.starts_at - CHANGE_CUTOFF <= timezone.now():
        raise ValidationError("It is too close to that time to change it here.", code="cutoff")
    return booking


def held_take(*, booking_id: int) -> Booking:
    """Make the held booking ``booking_id`` her consult and cancel the one it matched.

    The matched consult is cancelled as from her own link (CANCEL invite, host notice, its
    time offered to the waitlist); the held one becomes real (confirmation with its invite,
    host notice, the reminders already scheduled now fire). When another real upcoming
    consult has its phone number, it becomes held for that number instead (``Held.PHONE``: same
    emails to her address, the number's holder is told, nobody calls), as a fresh request
    with that number would. One transaction: the held time stays taken throughout. Raises
    ValidationError: code ``answered`` (not held any more, or cancelled), ``cutoff`` (either
    time within ``CHANGE_CUTOFF``).
    """
    now = timezone.now()
    with transaction.atomic():
        booking = _held_locked(booking_id)
        existing = booking.held_for
        if (
            existing is not None
            and existing.status == Booking.Status.CONFIRMED
            and existing.ends_at > now
        ):
            booking_cancel(booking_id=existing.pk)
        # After the cancel, the new time is held for another real consult that has its
        # number (whose holder is told), else real; requests held for this one stay so.
        # Never refused: a refusal would tell her whether a number she typed has a consult.
        holder = (
            Booking.objects.filter(
                phone=booking.phone,
                status=Booking.Status.CONFIRMED,
                held=Booking.Held.NO,
                ends_at__gt=now,
            )
            .exclude(pk__in=[booking.pk, existing.pk if existing else booking.pk])
            .order_by("starts_at", "pk")
            .first()
        )
        booking.held = Booking.Held.PHONE if holder else Booking.Held.NO
        booking.held_for = holder
        booking.save(update_fields=["held", "held_for"])
        booking_unheld(booking)
    return booking


def held_keep(*, booking_id: int) -> Booking:
    """Keep her consult: the held booking ``booking_id`` is cancelled and its time offered
    again at once (waitlist too); no email about it (she never had its invite). Raises
    ValidationError as ``held_take`` (codes ``answered``, ``cutoff``)."""
    with transaction.atomic():
        booking = _held_locked(booking_id)
        return booking_cancel(booking_id=booking.pk)
