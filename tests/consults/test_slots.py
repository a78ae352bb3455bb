"""Free slots: the host's hours in her own zone, quarter hours, DST days, buffers, notice,
horizon, overrides, blocked periods, the daily cap and "first free" across hosts."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from consults.models import BlockedPeriod, Booking, ConsultHost, DateOverride
from consults.selectors import day_slot_list, slot_list
from tests.consults.conftest import host_create

NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
EARLY = datetime(2026, 1, 1, tzinfo=UTC)  # "now" well before every day tested


def local_starts(host: ConsultHost, day: date, *, now: datetime = EARLY) -> list[str]:
    zone = host.zone
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    slots = slot_list(start=start, end=end, host_id=host.pk, now=now).slots
    return [f"{s.starts_at.astimezone(zone):%H:%M %Z}" for s in slots]


def book(host: ConsultHost, starts_at: datetime, **fields: str) -> Booking:
    ends_at = starts_at + timedelta(minutes=15)
    defaults = {"name": "Ann", "email": "ann@example.com", "phone": "+12025550123"}
    return Booking.objects.create(
        host=host,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_from=starts_at - host.buffer_before,
        blocked_until=ends_at + host.buffer_after,
        host_date=starts_at.astimezone(host.zone).date(),
        concern="balance",
        time_zone="America/New_York",
        consented_at=EARLY,
        **{**defaults, **fields},
    )


@pytest.mark.django_db
def test_a_weekday_offers_every_quarter_hour_of_its_ranges() -> None:
    host = host_create()
    starts = local_starts(host, date(2026, 12, 1))  # a Tuesday
    assert len(starts) == 12 + 16
    assert starts[0] == "09:00 EST"
    assert starts[11] == "11:45 EST"
    assert starts[12] == "13:00 EST"
    assert starts[-1] == "16:45 EST"
    assert local_starts(host, date(2026, 12, 5)) == []  # a Saturday


@pytest.mark.django_db
def test_hours_keep_their_local_meaning_across_the_dst_change_in_new_york() -> None:
    host = host_create(ranges=((time(9), time(10)),))
    friday = slot_list(
        start=datetime(2026, 3, 6, tzinfo=UTC), end=datetime(2026, 3, 7, tzinfo=UTC), now=EARLY
    ).slots
    monday = slot_list(
        start=datetime(2026, 3, 9, tzinfo=UTC), end=datetime(2026, 3, 10, tzinfo=UTC), now=EARLY
    ).slots
    assert friday[0].starts_at == datetime(2026, 3, 6, 14, 0, tzinfo=UTC)  # 9:00 EST
    assert monday[0].starts_at == datetime(2026, 3, 9, 13, 0, tzinfo=UTC)  # 9:00 EDT
    assert [s.host_id for s in monday] == [host.pk] * 4


@pytest.mark.django_db
def test_hours_keep_their_local_meaning_across_the_dst_change_in_london() -> None:
    host = host_create(time_zone="Europe/London", ranges=((time(9), time(10)),))
    assert local_starts(host, date(2026, 3, 27))[0] == "09:00 GMT"
    assert local_starts(host, date(2026, 3, 30))[0] == "09:00 BST"
    week = slot_list(
        start=datetime(2026, 3, 27, tzinfo=UTC), end=datetime(2026, 3, 31, tzinfo=UTC), now=EARLY
    ).slots
    assert [s.starts_at.hour for s in week if s.starts_at.minute == 0] == [9, 8]


@pytest.mark.django_db
def test_a_skipped_local_time_is_never_offered() -> None:
    # Sunday March 8, 2026: New York's clocks jump from 2:00 EST to 3:00 EDT.
    host = host_create(weekdays=(6,), ranges=((time(1), time(4)),))
    starts = local_starts(host, date(2026, 3, 8))
    assert starts == [
        "01:00 EST", "01:15 EST", "01:30 EST", "01:45 EST",
        "03:00 EDT", "03:15 EDT", "03:30 EDT", "03:45 EDT",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_repeated_local_time_is_never_offered_in_new_york_or_london() -> None:
    # Sunday November 1, 2026 (New York) and October 25, 2026 (London): 1:00-2:00 happens twice.
    for zone, day in (
        ("America/New_York", date(2026, 11, 1)),
        ("Europe/London", date(2026, 10, 25)),
    ):
        host = host_create(time_zone=zone, weekdays=(6,), ranges=((time(0), time(3)),))
        starts = local_starts(host, day)
        assert [s[:5] for s in starts] == [
            "00:00", "00:15", "00:30", "00:45", "02:00", "02:15", "02:30", "02:45",
        ]  # fmt: skip


@pytest.mark.django_db
def test_slots_start_on_the_quarter_hours_of_the_hosts_zone() -> None:
    host = host_create(time_zone="Asia/Kolkata", ranges=((time(9, 5), time(10)),))
    slots = slot_list(
        start=datetime(2026, 12, 1, tzinfo=UTC) - timedelta(hours=6),
        end=datetime(2026, 12, 2, tzinfo=UTC),
        host_id=host.pk,
        now=EARLY,
    ).slots
    assert [f"{s.starts_at.astimezone(host.zone):%H:%M}" for s in slots] == [
        "09:15",
        "09:30",
        "09:45",
    ]
    assert slots[0].starts_at == datetime(2026, 12, 1, 3, 45, tzinfo=UTC)


@pytest.mark.django_db
def test_buffers_keep_time_free_around_each_booking() -> None:
    host = host_create(
        ranges=((time(9), time(12)),), buffer_before_minutes=10, buffer_after_minutes=10
    )
    book(host, datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK))
    starts = [s[:5] for s in local_starts(host, date(2026, 12, 1))]
    # Buffers never overlap either: between two consults lie her buffer after the first and
    # her buffer before the second, 20 minutes here.
    assert starts[:3] == ["09:00", "09:15", "10:45"]


@pytest.mark.django_db
def test_minimum_notice_and_horizon_bound_the_offer() -> None:
    host_create(minimum_notice_minutes=12 * 60, horizon_days=3)
    with time_machine.travel(datetime(2026, 12, 1, 2, 0, tzinfo=NEW_YORK), tick=False):
        search = slot_list(
            start=datetime(2026, 12, 1, tzinfo=UTC), end=datetime(2026, 12, 10, tzinfo=UTC)
        )
    # 12 hours on from 2:00 a.m. is 2:00 p.m.; 3 days on is Friday 2:00 a.m., before her hours.
    assert search.slots[0].starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=NEW_YORK)
    assert search.slots[-1].starts_at == datetime(2026, 12, 3, 16, 45, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_date_overrides_replace_a_days_hours_or_make_it_a_day_off() -> None:
    host = host_create()
    DateOverride.objects.create(host=host, date=date(2026, 12, 1))  # a Tuesday off
    DateOverride.objects.create(
        host=host, date=date(2026, 12, 5), starts=time(10), ends=time(10, 30)
    )
    DateOverride.objects.create(
        host=host, date=date(2026, 12, 5), starts=time(14), ends=time(14, 15)
    )
    assert local_starts(host, date(2026, 12, 1)) == []
    assert [s[:5] for s in local_starts(host, date(2026, 12, 5))] == ["10:00", "10:15", "14:00"]
    assert len(local_starts(host, date(2026, 12, 2))) == 28


@pytest.mark.django_db
def test_a_blocked_period_offers_nothing_inside_it() -> None:
    host = host_create()
    BlockedPeriod.objects.create(
        host=host,
        starts_at=datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK),
        ends_at=datetime(2026, 12, 2, 16, 0, tzinfo=NEW_YORK),
        reason="Conference",
    )
    assert [s[:5] for s in local_starts(host, date(2026, 12, 1))] == [
        "09:00",
        "09:15",
        "09:30",
        "09:45",
    ]
    assert [s[:5] for s in local_starts(host, date(2026, 12, 2))] == [
        "16:00",
        "16:15",
        "16:30",
        "16:45",
    ]


@pytest.mark.django_db
def test_a_day_that_reached_its_cap_offers_nothing() -> None:
    host = host_create(daily_cap=2)
    book(host, datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK), email="a@example.com")
    assert len(local_starts(host, date(2026, 12, 1))) == 27
    book(host, datetime(2026, 12, 1, 16, 0, tzinfo=NEW_YORK), email="b@example.com")
    assert local_starts(host, date(2026, 12, 1)) == []
    assert len(local_starts(host, date(2026, 12, 2))) == 28


@pytest.mark.django_db
def test_first_free_gives_each_time_to_the_host_with_fewest_consults_that_day() -> None:
    busy = host_create(ranges=((time(9), time(10)),))
    quiet = host_create(ranges=((time(9), time(10)),))
    book(busy, datetime(2026, 12, 1, 9, 0, tzinfo=NEW_YORK))
    book(quiet, datetime(2026, 12, 2, 9, 30, tzinfo=NEW_YORK))
    tuesday = day_slot_list(day=date(2026, 12, 1), zone=NEW_YORK).slots
    wednesday = day_slot_list(day=date(2026, 12, 2), zone=NEW_YORK).slots
    # Tuesday: "quiet" has none booked, so she gets every time, 9:00 included.
    assert [(f"{s.starts_at.astimezone(NEW_YORK):%H:%M}", s.host_id) for s in tuesday] == [
        ("09:00", quiet.pk), ("09:15", quiet.pk), ("09:30", quiet.pk), ("09:45", quiet.pk),
    ]  # fmt: skip
    # Wednesday: "busy" has none; "quiet" keeps nothing but what "busy" cannot take (none).
    assert {s.host_id for s in wednesday} == {busy.pk}
    assert len(wednesday) == 4


@pytest.mark.django_db
def test_the_visitors_day_is_her_own_calendar_day() -> None:
    host_create(ranges=((time(9), time(10)),))
    tokyo = ZoneInfo("Asia/Tokyo")
    slots = day_slot_list(day=date(2026, 12, 2), zone=tokyo).slots
    # Her 9:00 EST on Tuesday, December 1 is 23:00 JST that day; Wednesday's is December 2's.
    assert [f"{s.starts_at.astimezone(tokyo):%m-%d %H:%M}" for s in slots] == [
        "12-02 23:00", "12-02 23:15", "12-02 23:30", "12-02 23:45",
    ]  # fmt: skip
    assert slots[0].starts_at == datetime(2026, 12, 2, 9, 0, tzinfo=NEW_YORK)


@pytest.mark.django_db
def test_slot_search_runs_a_fixed_number_of_queries(django_assert_num_queries) -> None:
    one = host_create()
    start, end = datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 30, tzinfo=UTC)
    with django_assert_num_queries(5):
        assert slot_list(start=start, end=end, now=EARLY).slots
    for extra in range(2):
        other = host_create()
        DateOverride.objects.create(host=other, date=date(2026, 12, 3 + extra))
        BlockedPeriod.objects.create(host=other, starts_at=start, ends_at=start + timedelta(days=1))
    for n in range(20):
        book(one, datetime(2026, 12, 1 + n, 10, 0, tzinfo=NEW_YORK), email=f"p{n}@example.com")
    with django_assert_num_queries(5):
        assert slot_list(start=start, end=end, now=EARLY).slots
