"""Changes to a booked consult: cancel, reschedule, and the host's marks (completed, no-show).

Visitors change their consult from the signed link in their emails, up to ``CHANGE_CUTOFF``
before it starts; after that the page asks them to call the practice. Hosts may cancel at
any time before the start. Every change raises the booking's ``sequence`` (the calendar
invite's SEQUENCE) and runs the lifecycle hooks (``consults.lifecycle``) in its transaction.
"""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from consults.invites import booking_times
from consults.lifecycle import booking_cancelled, booking_moved
from consults.models import BlockedPeriod, Booking, ConsultHost
from consults.selectors import slot_list
from consults.services import SlotTaken, contacts_lock, nearest_free
from consults.slots import FIRST_DAY, LAST_DAY
from consults.waitlist import waitlist_offer
from practice.accounts.models import User
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

#: No changes from the visitor's link this close to the start (she calls instead).
CHANGE_CUTOFF = timedelta(hours=2)


def _contacts_locked(booking_id: int, *, host_row: bool) -> None:
    """Lock, for a change of consult ``booking_id``, its host's row (when ``host_row``), then
    its address and number; nothing for a consult that does not exist (the caller's ``get``
    raises)."""
    found = Booking.objects.filter(pk=booking_id).values_list("host_id", "email", "phone").first()
    if found is None:
        return
    host_id, email, phone = found
    if host_row:
        list(ConsultHost.objects.select_for_update().filter(pk=host_id))
    contacts_lock(emails=[email], phones=[phone])


def change_allowed(*, booking: Booking, now: datetime | None = None) -> bool:
    """Whether the visitor may still reschedule or cancel ``booking`` from her link."""
    now = now or timezone.now()
    return booking.status == Booking.Status.CONFIRMED and booking.starts_at - CHANGE_CUTOFF > now


def _check_sequence(booking: Booking, expected_sequence: int | None, *, by_host: bool) -> None:
    """Refuse a change asked for from a page that showed an earlier state of ``booking``."""
    if expected_sequence is not None and expected_sequence != booking.sequence:
        times = booking_times(booking)
        raise ValidationError(
            "This consult has changed since you opened this page: it is now "
            f"{times.host if by_host else times.visitor}. Please check it and choose again.",
            code="changed",
        )


def booking_cancel(
    *,
    booking_id: int,
    by_host: bool = False,
    actor: User | None = None,
    request: HttpRequest | None = None,
    expected_sequence: int | None = None,
    block_time: bool = False,
) -> Booking:
    """Cancel a confirmed consult; its time is free again at once and offered to the waitlist,
    unless the host cancels with ``block_time``: then the consult's own time becomes a blocked
    period of hers (she can open it again from the agenda) and nobody is offered it.

    ``expected_sequence`` is the booking's ``sequence`` the asking page showed; a different
    one raises ValidationError code ``changed`` (it was moved or changed meanwhile).
    Raises ValidationError (code ``not_confirmed``) when it is already cancelled or done,
    ``started`` when it has started, and, for the visitor (``by_host=False``), ``cutoff``
    within ``CHANGE_CUTOFF`` of the start. A host's cancellation is audited.

    Locks in the booking path's order (``consults.services.contacts_lock``): the host's row
    when the time is blocked (the blocked period's insert needs it), the consult's address
    and number (its cancellation may make requests held for it real), then its row. So a new
    request with that address or number waits for the cancellation and is not held for it.
    """
    now = timezone.now()
    with transaction.atomic():
        _contacts_locked(booking_id, host_row=by_host and block_time)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("host__therapist__user")
            .get(pk=booking_id)
        )
        if booking.status != Booking.Status.CONFIRMED:
            raise ValidationError("This consult is no longer booked.", code="not_confirmed")
        _check_sequence(booking, expected_sequence, by_host=by_host)
        if booking.starts_at <= now:
            raise ValidationError("This consult has already started.", code="started")
        if not by_host and not change_allowed(booking=booking, now=now):
            raise ValidationError(
                "It is too close to the consult to change it here.", code="cutoff"
            )
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = now
        booking.sequence += 1
        booking.save(update_fields=["status", "cancelled_at", "sequence"])
        booking_cancelled(booking=booking, by_host=by_host)
        if by_host and block_time:
            BlockedPeriod.objects.create(
                host=booking.host,
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
                reason=f"Cancelled consult with {booking.name}"[:200],
            )
        else:
            waitlist_offer(host=booking.host, starts_at=booking.starts_at)
        if actor is not None:
            audit_record(
                actor=actor,
                patient=None,
                action=AuditEvent.Action.UPDATE,
                obj=booking,
                summary=f"Cancelled the consult of {booking_times(booking).host}",
                request=request,
            )
    return booking


def booking_reschedule(
    *, booking_id: int, starts_at: datetime, expected_sequence: int | None = None
) -> Booking:
    """Move a confirmed consult to ``starts_at`` (aware), with the same host, from her link.

    The new time must be a free slot of the host (her own old time left out of the busy
    times); the host's row is locked as in ``booking_create`` and the database constraints
    back it. Keeps the booking (and its calendar UID), raises ``sequence``, sends the updated
    invite, moves the reminders, and offers the old time to the waitlist at once.

    ``expected_sequence`` is as for ``booking_cancel`` (code ``changed``).
    Raises ValidationError (codes ``not_confirmed``, ``cutoff``, ``same_time``, or a
    ``start`` field error for a time that is not offered) and ``SlotTaken`` (with the nearest
    free times) when the time was taken meanwhile.
    """
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        raise ValidationError({"start": ["Give the time with its UTC offset."]})
    if not FIRST_DAY <= starts_at.date() <= LAST_DAY:  # its UTC time may not exist
        raise ValidationError({"start": ["That is not one of the free times."]})
    now = timezone.now()
    try:
        with transaction.atomic():
            # The host's row before the consult's, as every path takes them (the booking path's
            # order, ``consults.services.contacts_lock``); a consult never changes host.
            host_id = Booking.objects.filter(pk=booking_id).values_list("host_id", flat=True)
            list(ConsultHost.objects.select_for_update().filter(pk__in=host_id[:1]))
            booking = (
                Booking.objects.select_for_update(of=("self",))
                .select_related("host__therapist__user")
                .get(pk=booking_id)
            )
            host = booking.host
            if booking.status != Booking.Status.CONFIRMED:
                raise ValidationError("This consult is no longer booked.", code="not_confirmed")
            _check_sequence(booking, expected_sequence, by_host=False)
            if not change_allowed(booking=booking, now=now):
                raise ValidationError(
                    "It is too close to the consult to change it here.", code="cutoff"
                )
            if starts_at == booking.starts_at:
                raise ValidationError("That is already the time of your consult.", code="same_time")
            free = slot_list(
                start=starts_at,
                end=starts_at + timedelta(seconds=1),
                host_id=host.pk,
                now=now,
                exclude_booking_id=booking.pk,
            ).slots
            if not free:
                raise SlotTaken(nearest_free(starts_at, host_id=host.pk, now=now))
            old_starts_at, old_time = booking.starts_at, booking_times(booking).host
            slot = free[0]
            booking.starts_at, booking.ends_at = slot.starts_at, slot.ends_at
            booking.blocked_from = slot.starts_at - host.buffer_before
            booking.blocked_until = slot.ends_at + host.buffer_after
            booking.host_date = slot.starts_at.astimezone(host.zone).date()
            booking.sequence += 1
            booking.save(
                update_fields=[
                    "starts_at",
                    "ends_at",
                    "blocked_from",
                    "blocked_until",
                    "host_date",
                    "sequence",
                ]
            )
            booking_moved(booking=booking, old_time=old_time)
            waitlist_offer(host=host, starts_at=old_starts_at)
    except IntegrityError as exc:
        raise SlotTaken(nearest_free(starts_at, host_id=booking.host_id, now=now)) from exc
    return booking
