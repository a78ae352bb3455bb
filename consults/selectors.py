"""Reads of the consults app: hosts and their free slots.

``slot_list`` runs the same five queries whatever the range and the number of hosts or
bookings (hosts, weekly hours, overrides, blocked periods, bookings).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from consults.models import BlockedPeriod, Booking, ConsultHost, DateOverride, WeeklyHours
from consults.slots import HostCalendar, Slot, first_free, host_slots, local_day_bounds

#: Margin around a window when loading busy times: buffers and cap days reach past it.
LOAD_MARGIN = timedelta(days=2)


def host_list() -> QuerySet[ConsultHost]:
    """Hosts taking consults, in the practice's order, with their therapist profile."""
    return ConsultHost.objects.filter(is_active=True).select_related("therapist")


def host_get(*, host_id: int) -> ConsultHost:
    """An active host; ``Http404`` for an unknown or inactive one."""
    host = host_list().filter(pk=host_id).first()
    if host is None:
        raise Http404("No such host.")
    return host


@dataclass(frozen=True)
class SlotSearch:
    """Free slots in a window and what was known to compute them."""

    slots: list[Slot]
    hosts: dict[int, ConsultHost]


def slot_list(
    *,
    start: datetime,
    end: datetime,
    host_id: int | None = None,
    now: datetime | None = None,
    exclude_booking_id: int | None = None,
    with_bookings: bool = True,
) -> SlotSearch:
    """Free slots starting in [``start``, ``end``) (aware datetimes), sorted by start.

    With ``host_id`` only that host's slots; otherwise one slot per start time, given to the
    host with the fewest consults that day ("first free"). ``exclude_booking_id`` leaves one
    booking out of the busy times (its own slot when rescheduling); ``with_bookings=False``
    leaves them all out (what the hours alone offer). Five queries.
    """
    now = now or timezone.now()
    hosts = host_list()
    if host_id is not None:
        hosts = hosts.filter(pk=host_id)
    calendars = calendars_load(
        hosts=list(hosts),
        start=start,
        end=end,
        exclude_booking_id=exclude_booking_id,
        with_bookings=with_bookings,
    )
    per_host = [host_slots(c, start=start, end=end, now=now) for c in calendars.values()]
    by_id = {c.host_id: c for c in calendars.values()}
    if host_id is not None or len(per_host) <= 1:
        slots = per_host[0] if per_host else []
    else:
        slots = first_free(
            per_host,
            day_counts={host: c.day_counts for host, c in by_id.items()},
            order=list(by_id),
        )
    return SlotSearch(slots=slots, hosts={h.pk: h for h in calendars})


def day_slot_list(
    *, day: date, zone: ZoneInfo, host_id: int | None = None, now: datetime | None = None
) -> SlotSearch:
    """Free slots starting on ``day`` as a clock in ``zone`` (the visitor's) counts days."""
    start, end = local_day_bounds(day, zone)
    return slot_list(start=start, end=end, host_id=host_id, now=now)


def calendars_load(
    *,
    hosts: list[ConsultHost],
    start: datetime,
    end: datetime,
    exclude_booking_id: int | None = None,
    with_bookings: bool = True,
) -> dict[ConsultHost, HostCalendar]:
    """A ``HostCalendar`` per host for slots in [``start``, ``end``), in four queries."""
    if not hosts:
        return {}
    load_from, load_until = start - LOAD_MARGIN, end + LOAD_MARGIN
    calendars = {host: _calendar(host) for host in hosts}
    by_id = {host.pk: calendars[host] for host in hosts}
    for hours in WeeklyHours.objects.filter(host__in=hosts).order_by("starts"):
        by_id[hours.host_id].weekly.setdefault(hours.weekday, []).append((hours.starts, hours.ends))
    overrides = DateOverride.objects.filter(
        host__in=hosts, date__gte=load_from.date(), date__lte=load_until.date()
    ).order_by("starts")
    for override in overrides:
        ranges = by_id[override.host_id].overrides.setdefault(override.date, [])
        if override.starts is not None and override.ends is not None:
            ranges.append((override.starts, override.ends))
    blocked = BlockedPeriod.objects.filter(
        host__in=hosts, ends_at__gt=load_from, starts_at__lt=load_until
    ).values_list("host_id", "starts_at", "ends_at")
    for host_id, starts_at, ends_at in blocked:
        by_id[host_id].busy.append((int(starts_at.timestamp()), int(ends_at.timestamp())))
    if not with_bookings:
        return calendars
    bookings = Booking.objects.filter(
        Q(host__in=hosts)
        & ~Q(status=Booking.Status.CANCELLED)
        & Q(blocked_until__gt=load_from, blocked_from__lt=load_until)
    )
    if exclude_booking_id is not None:
        bookings = bookings.exclude(pk=exclude_booking_id)
    rows = bookings.values_list("host_id", "blocked_from", "blocked_until", "host_date")
    for host_id, blocked_from, blocked_until, host_date in rows:
        calendar = by_id[host_id]
        calendar.busy.append((int(blocked_from.timestamp()), int(blocked_until.timestamp())))
        calendar.day_counts[host_date] = calendar.day_counts.get(host_date, 0) + 1
    return calendars


def _calendar(host: ConsultHost) -> HostCalendar:
    return HostCalendar(
        host_id=host.pk,
        zone=host.zone,
        weekly=defaultdict(list),
        buffer_before=host.buffer_before_minutes * 60,
        buffer_after=host.buffer_after_minutes * 60,
        minimum_notice=host.minimum_notice_minutes * 60,
        horizon=host.horizon_days * 86400,
        daily_cap=host.daily_cap,
    )
