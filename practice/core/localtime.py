"""Moments shown to people: in a given time zone, always naming that zone.

The zone's abbreviation tells the two 1:30 a.m.s apart on the night clocks go back
("1:30 a.m. EDT", then "1:30 a.m. EST"), and tells a reader in another zone which clock
is meant.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat


def format_moment(moment: datetime, *, zone: ZoneInfo) -> str:
    """E.g. "1:30 a.m. EDT on Sunday, November 1, 2026": ``moment`` as a clock in ``zone`` shows it.

    The zone is named by its abbreviation from the tz database; a zone that has none (it
    gives "-03") is named by its offset, "UTC-03". Raises ValueError for a naive datetime,
    whose zone would only be a guess.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("format_moment needs a datetime with a time zone, not a naive one.")
    local = moment.astimezone(zone)
    abbreviation = local.tzname() or ""
    if not abbreviation.isalpha():
        abbreviation = f"UTC{abbreviation}"
    clock = dateformat.format(local, "P")
    day = dateformat.format(local, "l, F j, Y")
    return f"{clock} {abbreviation} on {day}"
