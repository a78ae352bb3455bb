"""When a daily reminder fires: a local clock time on a local day, as a UTC instant.

The patient chooses a time of day in her own time zone. Two days a year that time is odd:
- spring forward: the time may not exist (2:30 a.m. in New York on the second Sunday of
  March); the reminder fires at the next valid instant, the moment the clocks jump (3:00 a.m.
  EDT), not an hour late and not skipped;
- fall back: the time may happen twice (1:30 a.m. EDT, then EST); it fires at the first.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None, fold=0)


def local_instant(*, day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant the clocks in ``zone`` first show ``at`` on ``day`` (or, in a gap,
    the first instant after the gap). Seconds-precise; returns an aware UTC datetime."""
    wanted = datetime.combine(day, at.replace(tzinfo=None))
    first = wanted.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if _wall(first, zone) == wanted:
        return first
    second = wanted.replace(tzinfo=zone, fold=1).astimezone(UTC)
    if _wall(second, zone) == wanted:
        return second
    # In a gap: the earliest instant whose wall clock is at or past ``wanted`` lies between
    # the two readings (whose offsets are the ones before and after the transition).
    low, high = sorted((first, second))
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _wall(middle, zone) >= wanted:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


def next_reminder_day(
    *, after: datetime, at: time, zone: ZoneInfo, days: "set[date] | None" = None, first: date
) -> date:
    """The first local day on or after ``first`` whose reminder instant is after ``after``.

    ``days``, when given, limits the answer to those days (her program days); raises
    LookupError when none is left.
    """
    day = max(first, after.astimezone(zone).date() - timedelta(days=1))
    candidates = sorted(d for d in days if d >= day) if days is not None else None
    if candidates is not None:
        for candidate in candidates:
            if local_instant(day=candidate, at=at, zone=zone) > after:
                return candidate
        raise LookupError("No program day is left.")
    while local_instant(day=day, at=at, zone=zone) <= after:
        day += timedelta(days=1)
    return day
