"""Free consult slots, computed in memory from one host's rules, hours and busy times.

Pure code: no queries (``consults.selectors`` loads a ``HostCalendar`` per host in a fixed
number of queries and calls these functions), so it is fast and testable with plain values.

The rules, in the host's time zone (a slot is what a visitor can book):

- A slot lasts ``SLOT_MINUTES`` (15) minutes and starts on a quarter hour of the host's
  local clock (9:00, 9:15...; in a zone at UTC+5:30 that is :00/:15/:30/:45 local time).
- It lies inside one range of the day's hours: the date's overrides if it has any (a day off
  has none), else its weekday's ranges.
- Its local start time exists and is not repeated on that day: a wall-clock time skipped or
  doubled by a daylight-saving change is never offered ("2:30 a.m." on the night clocks go
  forward, "1:30 a.m." on the night they go back in America/New_York).
- Its buffered range, [start - buffer before, end + buffer after), overlaps no active
  booking's buffered range and no blocked period (the same rule the database's exclusion
  constraint enforces).
- It starts no earlier than now + minimum notice and no later than now + horizon.
- Its local day has fewer active bookings than the host's daily cap.

Times are handled as integer UTC seconds inside the loops; results are aware UTC datetimes.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SLOT_MINUTES = 15
SLOT_SECONDS = SLOT_MINUTES * 60
SLOT_LENGTH = timedelta(seconds=SLOT_SECONDS)
DAY = timedelta(days=1)
#: The days that pages and the API take from an address (``?date=``): every real day, but
#: clear of the ends of Python's calendar, where a day's bounds in a zone up to 14 hours off
#: UTC (and a week's neighbours) would not exist and raise ``OverflowError``.
FIRST_DAY, LAST_DAY = date(2, 1, 1), date(9998, 12, 31)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, order=True, slots=True)
class Slot:
    """A bookable 15 minutes: ``starts_at``/``ends_at`` aware UTC datetimes, the host's id
    and the slot's day on the host's calendar."""

    starts_at: datetime
    ends_at: datetime
    host_id: int
    host_day: date = field(compare=False)


@dataclass
class HostCalendar:
    """Everything the computation needs about one host.

    ``weekly``: weekday (0 = Monday) -> local (starts, ends) ranges. ``overrides``: local
    date -> ranges replacing that date's weekly hours (an empty list: a day off).
    ``busy``: (from, until) UTC-second pairs already buffered (bookings' blocked ranges and
    blocked periods), in any order. ``day_counts``: local date -> active bookings that day.
    Durations in seconds.
    """

    host_id: int
    zone: ZoneInfo
    weekly: dict[int, list[tuple[time, time]]]
    overrides: dict[date, list[tuple[time, time]]] = field(default_factory=dict)
    busy: list[tuple[int, int]] = field(default_factory=list)
    day_counts: dict[date, int] = field(default_factory=dict)
    buffer_before: int = 0
    buffer_after: int = 0
    minimum_notice: int = 0
    horizon: int = 60 * 86400
    daily_cap: int = 8


def host_slots(
    calendar: HostCalendar, *, start: datetime, end: datetime, now: datetime
) -> list[Slot]:
    """The host's free slots starting in [``start``, ``end``) (aware datetimes), sorted."""
    zone = calendar.zone
    now_ts = int(now.timestamp())
    low = max(int(start.timestamp()), now_ts + calendar.minimum_notice)
    high = min(int(end.timestamp()), now_ts + calendar.horizon + 1)
    if low >= high:
        return []
    busy_starts, busy_ends = _merged(calendar.busy)
    busy_count = len(busy_starts)
    before, after = calendar.buffer_before, calendar.buffer_after
    first_day = datetime.fromtimestamp(low, UTC).astimezone(zone).date()
    last_day = datetime.fromtimestamp(high, UTC).astimezone(zone).date()
    slots: list[Slot] = []
    day = first_day
    while day <= last_day:
        if calendar.day_counts.get(day, 0) < calendar.daily_cap:
            ranges = calendar.overrides.get(day)
            if ranges is None:
                ranges = calendar.weekly.get(day.weekday(), [])
            host_id = calendar.host_id
            for starts in _day_starts(day, ranges, zone):
                if starts < low or starts >= high:
                    continue
                blocked_from, blocked_until = starts - before, starts + SLOT_SECONDS + after
                # The first busy range ending after our start is the only one that can overlap.
                index = bisect.bisect_right(busy_ends, blocked_from)
                if index < busy_count and busy_starts[index] < blocked_until:
                    continue
                at = EPOCH + timedelta(seconds=starts)
                slots.append(Slot(at, at + SLOT_LENGTH, host_id, day))
        day += DAY
    return slots


def first_free(
    slots_by_host: Iterable[Sequence[Slot]],
    day_counts: dict[int, dict[date, int]],
    order: Sequence[int],
) -> list[Slot]:
    """One slot per start time across hosts: the host with the fewest consults that day.

    ``day_counts``: host id -> her local date -> active bookings; ties go to the host earlier
    in ``order`` (host ids in the practice's order).
    """
    rank = {host_id: position for position, host_id in enumerate(order)}
    best: dict[datetime, tuple[tuple[int, int], Slot]] = {}
    for slots in slots_by_host:
        for slot in slots:
            key = (day_counts.get(slot.host_id, {}).get(slot.host_day, 0), rank[slot.host_id])
            held = best.get(slot.starts_at)
            if held is None or key < held[0]:
                best[slot.starts_at] = (key, slot)
    return [best[starts][1] for starts in sorted(best)]


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of ``day`` in ``zone`` as aware UTC datetimes (23 or 25 hours on DST days)."""
    start = datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + DAY, time(), tzinfo=zone).astimezone(UTC)
    return start, end


def _day_starts(day: date, ranges: Sequence[tuple[time, time]], zone: ZoneInfo) -> list[int]:
    """UTC seconds of every slot start on ``day`` within ``ranges`` (local times)."""
    starts: list[int] = []
    midnight = datetime.combine(day, time(), tzinfo=zone)
    next_midnight = datetime.combine(day + DAY, time(), tzinfo=zone)
    steady = midnight.utcoffset() == next_midnight.utcoffset() and _exists(midnight)
    for range_starts, range_ends in ranges:
        first = _quarter_ceiling(range_starts)
        last = range_ends.hour * 60 + range_ends.minute - SLOT_MINUTES  # local minutes
        if steady:
            base = int(midnight.timestamp())
            starts.extend(base + minute * 60 for minute in range(first, last + 1, SLOT_MINUTES))
            continue
        # A daylight-saving day: check each wall-clock time.
        for minute in range(first, last + 1, SLOT_MINUTES):
            local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=zone)
            if _exists(local) and not _repeated(local):
                starts.append(int(local.timestamp()))
    return starts


def _quarter_ceiling(moment: time) -> int:
    minutes = moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)
    return -(-minutes // SLOT_MINUTES) * SLOT_MINUTES


def _exists(local: datetime) -> bool:
    """False for a wall-clock time skipped by a daylight-saving change."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def _repeated(local: datetime) -> bool:
    """True for a wall-clock time that happens twice (the hour after clocks go back)."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def _merged(busy: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, non-overlapping busy ranges as two parallel lists (starts, ends)."""
    starts: list[int] = []
    ends: list[int] = []
    for begin, finish in sorted(busy):
        if ends and begin <= ends[-1]:
            ends[-1] = max(ends[-1], finish)
        else:
            starts.append(begin)
            ends.append(finish)
    return starts, ends
