"""The host's side: her agenda, one consult with its private notes, marks, blocked time, feed.

Reads of consults (name, phone, concern, notes) are audited here, in the selector that returns
them; another host's consult is ``Http404``. Writes are audited in their service.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

from consults.models import BlockedPeriod, Booking, CalendarFeed, ConsultHost, ConsultNote
from consults.slots import local_day_bounds
from practice.accounts.models import User
from practice.accounts.tokens import token_hash
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

#: What a host can mark a consult that has started as.
MARKS = (Booking.Status.COMPLETED, Booking.Status.NO_SHOW)
#: A feed shows consults from this long ago onwards (and everything ahead).
FEED_PAST = timedelta(days=30)


@dataclass(frozen=True)
class AgendaDay:
    day: date
    bookings: list[Booking]


def agenda_list(
    *,
    host: ConsultHost,
    first_day: date,
    days: int,
    actor: User,
    request: HttpRequest | None = None,
) -> list[AgendaDay]:
    """The host's consults (cancelled ones too) on ``days`` local days from ``first_day``,
    grouped by day in her zone; one query; audited as one view."""
    zone = host.zone
    start = local_day_bounds(first_day, zone)[0]
    end = local_day_bounds(first_day + timedelta(days=days - 1), zone)[1]
    bookings = list(
        Booking.objects.filter(host=host, starts_at__gte=start, starts_at__lt=end)
        .select_related("patient_link")
        .order_by("starts_at", "pk")
    )
    by_day: dict[date, list[Booking]] = {first_day + timedelta(days=i): [] for i in range(days)}
    for booking in bookings:
        by_day.setdefault(booking.starts_at.astimezone(zone).date(), []).append(booking)
    audit_record(
        actor=actor,
        patient=None,
        action=AuditEvent.Action.VIEW,
        summary=f"Viewed her consult agenda from {first_day} ({days} days, {len(bookings)})",
        request=request,
    )
    return [AgendaDay(day=d, bookings=b) for d, b in sorted(by_day.items())]


def _host_bookings(host: ConsultHost) -> QuerySet[Booking]:
    return Booking.objects.filter(host=host).select_related("host__therapist", "patient_link")


def booking_get(
    *, host: ConsultHost, booking_id: int, actor: User, request: HttpRequest | None
) -> Booking:
    """One of her consults with its notes (``note_list``), audited; another's is ``Http404``."""
    booking = (
        _host_bookings(host)
        .prefetch_related(
            Prefetch(
                "notes",
                queryset=ConsultNote.objects.select_related("author").order_by("created_at"),
                to_attr="note_list",
            )
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise Http404("No such consult.")
    audit_record(
        actor=actor,
        patient=_patient(booking),
        action=AuditEvent.Action.VIEW,
        obj=booking,
        summary="Viewed a consult and its notes",
        request=request,
    )
    return booking


def note_add(
    *,
    host: ConsultHost,
    booking_id: int,
    author: User,
    text: str,
    request: HttpRequest | None = None,
) -> ConsultNote:
    """Add a private note to one of her consults; audited. ValidationError for an empty or
    over-long note (5,000 characters)."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": ["Write the note first."]})
    if len(text) > 5000:
        raise ValidationError({"text": ["Use at most 5,000 characters."]})
    with transaction.atomic():
        booking = _host_bookings(host).filter(pk=booking_id).first()
        if booking is None:
            raise Http404("No such consult.")
        note = ConsultNote.objects.create(booking=booking, author=author, text=text)
        audit_record(
            actor=author,
            patient=_patient(booking),
            action=AuditEvent.Action.CREATE,
            obj=note,
            summary="Added a private note to a consult",
            request=request,
        )
    return note


def booking_mark(
    *,
    host: ConsultHost,
    booking_id: int,
    status: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Booking:
    """Mark one of her consults that has started as completed or no-show (either may be
    corrected later); audited. ValidationError for another status, a cancelled consult or
    one that has not started yet."""
    if status not in MARKS:
        raise ValidationError({"status": ["Mark it completed or no-show."]})
    with transaction.atomic():
        booking = _host_bookings(host).select_for_update(of=("self",)).filter(pk=booking_id).first()
        if booking is None:
            raise Http404("No such consult.")
        if booking.status == Booking.Status.CANCELLED:
            raise ValidationError({"status": ["This consult was cancelled."]})
        if booking.starts_at > timezone.now():
            raise ValidationError({"status": ["This consult has not started yet."]})
        booking.status = status
        booking.save(update_fields=["status"])
        audit_record(
            actor=actor,
            patient=_patient(booking),
            action=AuditEvent.Action.UPDATE,
            obj=booking,
            summary=f"Marked a consult {booking.get_status_display().lower()}",
            request=request,
        )
    return booking


def time_block(
    *, host: ConsultHost, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> tuple[BlockedPeriod, int]:
    """Block [``starts_at``, ``ends_at``) from new consults; returns the period and how many
    consults already booked in it stay booked (she cancels them herself if need be).

    ValidationError when the end is not after the start or the period has ended.
    """
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": ["The end must be after the start."]})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": ["That time has already passed."]})
    period = BlockedPeriod.objects.create(
        host=host, starts_at=starts_at, ends_at=ends_at, reason=reason.strip()[:200]
    )
    still_booked = Booking.objects.filter(
        host=host,
        status=Booking.Status.CONFIRMED,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).count()
    return period, still_booked


def blocked_list(*, host: ConsultHost, first_day: date, days: int) -> list[BlockedPeriod]:
    """Her blocked periods that touch ``days`` local days from ``first_day``."""
    start = local_day_bounds(first_day, host.zone)[0]
    end = local_day_bounds(first_day + timedelta(days=days - 1), host.zone)[1]
    return list(
        BlockedPeriod.objects.filter(host=host, starts_at__lt=end, ends_at__gt=start).order_by(
            "starts_at"
        )
    )


def time_unblock(*, host: ConsultHost, period_id: int) -> BlockedPeriod:
    """Remove one of her blocked periods (its times are offered again); ``Http404`` for
    another host's or an unknown one."""
    period = BlockedPeriod.objects.filter(host=host, pk=period_id).first()
    if period is None:
        raise Http404("No such blocked time.")
    period.delete()
    return period


def feed_create(*, host: ConsultHost) -> str:
    """A new secret feed token for ``host`` (the old feed stops working); returns the token,
    shown once: only its hash is stored."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        list(ConsultHost.objects.select_for_update().filter(pk=host.pk))
        CalendarFeed.objects.filter(host=host, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        CalendarFeed.objects.create(host=host, token_hash=token_hash(token))
    return token


def feed_revoke(*, host: ConsultHost) -> bool:
    """Stop ``host``'s feed; False when she had none."""
    live = CalendarFeed.objects.filter(host=host, revoked_at__isnull=True)
    return live.update(revoked_at=timezone.now()) > 0


def feed_live(*, host: ConsultHost) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(host=host, revoked_at__isnull=True).first()


def feed_bookings(*, token: str) -> tuple[ConsultHost, list[Booking]] | None:
    """The host and consults of a live feed token (from ``FEED_PAST`` ago onwards, cancelled
    ones included so calendars remove them), or None for an unknown or revoked token."""
    feed = (
        CalendarFeed.objects.select_related("host__therapist")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    bookings = list(
        Booking.objects.filter(host=feed.host, starts_at__gte=timezone.now() - FEED_PAST)
        .filter(held=Booking.Held.NO)  # a held consult is not called (consults.services)
        .select_related("host__therapist")
        .order_by("starts_at", "pk")
    )
    return feed.host, bookings


def _patient(booking: Booking) -> User | None:
    link = getattr(booking, "patient_link", None)
    return link.patient if link is not None else None
