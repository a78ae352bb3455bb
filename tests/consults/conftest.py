"""Consult hosts for the tests: a therapist who takes consults on weekdays, 9-12 and 13-17."""

from datetime import time

import pytest

from consults.models import ConsultHost, WeeklyHours
from practice.accounts.models import User
from tests.fixtures.accounts import therapist_create


def host_create(
    *,
    therapist: User | None = None,
    time_zone: str = "America/New_York",
    ranges: tuple[tuple[time, time], ...] = ((time(9), time(12)), (time(13), time(17))),
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    **rules: int,
) -> ConsultHost:
    """A host in ``time_zone`` with ``ranges`` on each of ``weekdays``; ``rules`` set the
    buffers, notice, horizon and cap (by default none, and a year ahead)."""
    therapist = therapist or therapist_create(totp=False)
    profile = therapist.therapist_profile
    profile.time_zone = time_zone
    profile.save(update_fields=["time_zone"])
    defaults = {
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 0,
        "minimum_notice_minutes": 0,
        "horizon_days": 365,
    }
    host = ConsultHost.objects.create(therapist=profile, **{**defaults, **rules})
    WeeklyHours.objects.bulk_create(
        WeeklyHours(host=host, weekday=day, starts=starts, ends=ends)
        for day in weekdays
        for starts, ends in ranges
    )
    return host


@pytest.fixture
def host(therapist: User) -> ConsultHost:
    return host_create(therapist=therapist)
