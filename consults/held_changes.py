"""Answers to the offer about a held consult (``Booking.Held.EMAIL``, see
``consults.services``): the address that already had a consult takes the new time instead, or
keeps hers and frees the new one.

An answer decides whether bookings with its address and numbers are held (the one answered,
the one it replaces, the requests held for either), so it takes the booking path's locks on
them (``consults.services.contacts_lock``) before it locks any booking row, as
``booking_create`` does after its host rows: a new request with the same address or number,
or another answer, waits for it and then sees what it decided. An answer takes no host row
(it changes no slot), so it never waits for one while holding those locks.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from consults.changes import CHANGE_CUTOFF, booking_cancel
from consults.lifecycle import booking_unheld
from consults.models import Booking
from consults.services import contacts_lock

ANSWERED = "This request has already been answered, or the time it asked for was freed."


def _contacts_locked(booking_id: int) -> None:
    """Take the locks on the address of held booking ``booking_id``, then on its number and
    on the number of the consult it is held for (whose cancellation frees that number).

    What is read between the two calls cannot change meanwhile: which consult a request held
    for an address is held for changes only in an answer, under that address's lock. A
    booking that does not exist takes nothing (``_held_locked`` answers it).
    """
    email = Booking.objects.filter(pk=booking_id).values_list("email", flat=True).first()
    if email is None:
        return
    contacts_lock(emails=[email])
    phones = Booking.objects.filter(pk=booking_id).values_list("phone", "held_for__phone").first()
    contacts_lock(phones=[phone for phone in phones or () if phone])


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
    consult than the one it replaces has its phone number, it becomes held for that number
    instead (``Held.PHONE``: same emails to her address, the number's holder is told, nobody
    calls), as a fresh request with that number would; a number she gave for both stays hers
    (the requests held for it are then held for this one). Her other requests held for the
    replaced consult are then held for this one. Serialised with new requests and other
    answers for the same address or numbers (module docstring). One transaction: the held
    time stays taken throughout. Raises ValidationError: code ``answered`` (not held any
    more, or cancelled), ``cutoff`` (either time within ``CHANGE_CUTOFF``).
    """
    now = timezone.now()
    with transaction.atomic():
        _contacts_locked(booking_id)
        booking = _held_locked(booking_id)
        existing = booking.held_for
        # Decided before the cancel: the new time is held for another real consult that has
        # its number (whose holder is told), else real. A number she gave for both times stays
        # hers: the requests held for it when her consult is cancelled are then held for the
        # new time (``held_phone_release``), not released ahead of it. Never refused: a refusal
        # would tell her whether a number she typed has a consult.
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
        if (
            existing is not None
            and existing.status == Booking.Status.CONFIRMED
            and existing.ends_at > now
        ):
            booking_cancel(booking_id=existing.pk)
        if existing is not None:
            # Her other requests held for the consult this one replaces are held for this
            # one now: taking one of them later replaces this one (one consult per address).
            Booking.objects.filter(
                held_for=existing, held=Booking.Held.EMAIL, status=Booking.Status.CONFIRMED
            ).exclude(pk=booking.pk).update(held_for=booking)
        booking_unheld(booking)
    return booking


def held_keep(*, booking_id: int) -> Booking:
    """Keep her consult: the held booking ``booking_id`` is cancelled and its time offered
    again at once (waitlist too); no email about it (she never had its invite). Raises
    ValidationError as ``held_take`` (codes ``answered``, ``cutoff``)."""
    with transaction.atomic():
        _contacts_locked(booking_id)
        booking = _held_locked(booking_id)
        return booking_cancel(booking_id=booking.pk)


def held_answered_as(booking: Booking, action: str) -> bool:
    """Whether held ``booking`` already shows the answer ``action``, so that a second press of
    the same button gets the first one's page: "take" made it stand (only a take ends a hold
    for her address), "keep" cancelled it."""
    if action == "take":
        return booking.status == Booking.Status.CONFIRMED and booking.held != Booking.Held.EMAIL
    return action == "keep" and booking.status == Booking.Status.CANCELLED


def held_existing_gone(existing: Booking | None) -> str:
    """Why the consult the offer named no longer stands ("cancelled": from her link or by the
    host, since the offer was sent; "passed"), or "" while it does: the page then never shows
    it as hers, nor says it stays."""
    if existing is None:
        return ""
    if existing.status == Booking.Status.CANCELLED:
        return "cancelled"
    if existing.status != Booking.Status.CONFIRMED or existing.ends_at <= timezone.now():
        return "passed"
    return ""
