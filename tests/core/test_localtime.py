"""Times in emails name their zone, so the hour repeated when clocks go back is not ambiguous."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from practice.core.localtime import format_moment

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")


def utc(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        # 2026-11-01: New York sets its clocks back at 2 a.m., so 1:30 a.m. happens twice.
        (utc(2026, 11, 1, 5, 30), NEW_YORK, "1:30 a.m. EDT on Sunday, November 1, 2026"),
        (utc(2026, 11, 1, 6, 30), NEW_YORK, "1:30 a.m. EST on Sunday, November 1, 2026"),
        # 2026-03-29: London skips from 1 a.m. to 2 a.m.
        (utc(2026, 3, 29, 0, 30), LONDON, "12:30 a.m. GMT on Sunday, March 29, 2026"),
        (utc(2026, 3, 29, 1, 30), LONDON, "2:30 a.m. BST on Sunday, March 29, 2026"),
        (utc(2025, 7, 1, 16, 0), NEW_YORK, "noon EDT on Tuesday, July 1, 2025"),
    ],
)
def test_a_moment_is_shown_in_the_zone_with_its_abbreviation(
    moment: datetime, zone: ZoneInfo, expected: str
) -> None:
    assert format_moment(moment, zone=zone) == expected


def test_a_zone_without_a_lettered_abbreviation_shows_its_offset_from_utc() -> None:
    moment = utc(2026, 1, 15, 15, 5)

    shown = format_moment(moment, zone=ZoneInfo("America/Sao_Paulo"))

    assert shown == "12:05 p.m. UTC-03 on Thursday, January 15, 2026"


def test_a_time_without_a_zone_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ValueError, match="time zone"):
        format_moment(datetime(2026, 11, 1, 1, 30), zone=NEW_YORK)
