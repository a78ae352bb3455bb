"""The pain-monitoring rules (CLINICAL.md rules 5-8) as a therapist would read them."""

from datetime import date, timedelta

import pytest

from exercises.pain import (
    FlagKind,
    MonitoringThresholds,
    SessionPain,
    Zone,
    missed_prescribed_days,
    pain_rising,
    pain_zone,
    session_flags,
)


@pytest.mark.parametrize(
    ("score", "zone"),
    [
        (0, Zone.SAFE),
        (2, Zone.SAFE),
        (3, Zone.ACCEPTABLE),
        (5, Zone.ACCEPTABLE),
        (6, Zone.HIGH),
        (10, Zone.HIGH),
    ],
)
def test_default_zones_are_0_to_2_safe_3_to_5_acceptable_above_5_too_much(score, zone) -> None:
    assert pain_zone(score) == zone


def test_a_therapist_who_puts_the_safe_limit_at_3_moves_the_boundary() -> None:
    thresholds = MonitoringThresholds(safe_max=3, acceptable_max=4)
    assert pain_zone(3, thresholds=thresholds) == Zone.SAFE
    assert pain_zone(5, thresholds=thresholds) == Zone.HIGH


@pytest.mark.parametrize("score", [-1, 11])
def test_a_score_off_the_scale_is_refused(score) -> None:
    with pytest.raises(ValueError, match="0 to 10"):
        pain_zone(score)


def test_settings_that_overlap_are_refused() -> None:
    with pytest.raises(ValueError, match="safe_max < acceptable_max"):
        MonitoringThresholds(safe_max=5, acceptable_max=5)


def test_pain_above_the_limit_after_a_session_flags_red() -> None:
    assert session_flags(SessionPain(before=2, after=6)) == [FlagKind.PAIN_HIGH]
    assert session_flags(SessionPain(before=2, after=5)) == []


def test_pain_higher_next_morning_than_before_exercise_has_not_settled() -> None:
    assert session_flags(SessionPain(before=2, after=4, next_morning=3)) == [FlagKind.NOT_SETTLED]
    assert session_flags(SessionPain(before=2, after=4, next_morning=2)) == []


def test_a_red_flag_symptom_comes_first_even_with_no_pain() -> None:
    assert session_flags(SessionPain(before=0, after=0, red_flags=("fall",))) == [FlagKind.RED_FLAG]


def test_weekly_pain_two_points_above_the_first_week_is_rising() -> None:
    assert pain_rising([2.0, 2.5, 4.0])
    assert not pain_rising([2.0, 3.0, 2.5])


def test_pain_rising_two_weeks_running_is_rising_even_by_small_steps() -> None:
    assert pain_rising([3.0, 3.5, 4.0])


def test_weeks_without_logs_are_skipped_and_one_week_says_nothing() -> None:
    assert pain_rising([1.0, None, 3.0])
    assert not pain_rising([5.0])
    assert not pain_rising([None, 4.0])


def test_missed_days_count_back_from_yesterday_over_prescribed_days_only() -> None:
    today = date(2026, 3, 10)
    prescribed = [today - timedelta(days=n) for n in range(0, 8, 2)]  # every other day
    assert missed_prescribed_days(prescribed=prescribed, logged=[], today=today) == 3
    logged = [today - timedelta(days=4)]
    assert missed_prescribed_days(prescribed=prescribed, logged=logged, today=today) == 1
    assert missed_prescribed_days(prescribed=[today], logged=[], today=today) == 0
