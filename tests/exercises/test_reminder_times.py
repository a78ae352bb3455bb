"""Daily reminder instants across daylight-saving changes (America/New_York, 2026)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from exercises.reminder_times import local_instant, next_reminder_day

NEW_YORK = ZoneInfo("America/New_York")
SPRING_FORWARD = date(2026, 3, 8)  # 2:00 EST -> 3:00 EDT
FALL_BACK = date(2026, 11, 1)  # 2:00 EDT -> 1:00 EST


def test_an_ordinary_day_fires_at_her_clock_time() -> None:
    assert local_instant(day=date(2026, 3, 7), at=time(8, 0), zone=NEW_YORK) == datetime(
        2026, 3, 7, 13, 0, tzinfo=UTC
    )
    assert local_instant(day=date(2026, 3, 9), at=time(8, 0), zone=NEW_YORK) == datetime(
        2026, 3, 9, 12, 0, tzinfo=UTC
    )


@pytest.mark.parametrize("at", [time(2, 0), time(2, 30), time(2, 59)])
def test_a_time_that_does_not_exist_fires_when_the_clocks_jump(at) -> None:
    moment = local_instant(day=SPRING_FORWARD, at=at, zone=NEW_YORK)
    assert moment == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert moment.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_a_time_that_happens_twice_fires_at_the_first() -> None:
    moment = local_instant(day=FALL_BACK, at=time(1, 30), zone=NEW_YORK)
    assert moment.astimezone(NEW_YORK).strftime("%H:%M %Z") == "01:30 EDT"


def test_the_next_day_skips_days_off_and_todays_time_once_passed() -> None:
    days = {date(2026, 3, 9), date(2026, 3, 11)}
    after = datetime(2026, 3, 9, 12, 30, tzinfo=UTC)  # 8:30 EDT on the 9th
    assert next_reminder_day(
        after=after, at=time(8), zone=NEW_YORK, days=days, first=date(2026, 3, 1)
    ) == date(2026, 3, 11)
    assert next_reminder_day(
        after=after, at=time(9), zone=NEW_YORK, days=days, first=date(2026, 3, 1)
    ) == date(2026, 3, 9)
    with pytest.raises(LookupError):
        next_reminder_day(
            after=after, at=time(8), zone=NEW_YORK, days={date(2026, 3, 9)}, first=date(2026, 3, 1)
        )


def test_every_day_when_no_days_are_given() -> None:
    after = datetime(2026, 3, 8, 8, 0, tzinfo=UTC)  # 4:00 EDT on the 8th
    assert next_reminder_day(
        after=after, at=time(2, 30), zone=NEW_YORK, first=date(2026, 3, 1)
    ) == date(2026, 3, 9)
