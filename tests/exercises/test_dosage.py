import pytest
from django.core.exceptions import ValidationError

from exercises.dosage import Dose, dose_advice, dose_text, dose_validate, seconds_text


def errors_of(dose: Dose, **kwargs: bool) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        dose_validate(dose, **kwargs)
    return info.value.message_dict


def test_the_lunge_stretch_reads_as_the_issue_says() -> None:
    dose = Dose(hold_seconds=15, reps=3, side="both", times_per_day=2, days_per_week=7, weeks=4)
    assert dose_text(dose) == (
        "Hold 15 seconds, 3 times on each side, twice a day, every day for 4 weeks."
    )


def test_pendulum_swings_for_a_minute_each_leg() -> None:
    dose = Dose(duration_seconds=60, side="both")
    assert dose_text(dose) == "For 1 minute on each side, once a day, every day."


@pytest.mark.parametrize(
    ("dose", "text"),
    [
        (
            Dose(sets=3, reps=10, rest_seconds=60, days_per_week=3, rpe_target=6),
            "3 sets of 10 repetitions, once a day, 3 days a week. "
            "Rest 1 minute between sets. Effort about 6 out of 10.",
        ),
        (
            Dose(reps=1, weekdays=(1, 3, 5), days_per_week=3, load_note="a light band."),
            "1 repetition, once a day, on Mondays, Wednesdays and Fridays. Load: a light band.",
        ),
        (
            Dose(duration_seconds=90, sets=2, side="alternating", tempo="slowly"),
            "2 rounds of 1 minute 30 seconds, alternating sides, once a day, every day. "
            "Pace: slowly.",
        ),
        (
            Dose(hold_seconds=30, reps=2, side="left", rpe_target=13, rpe_scale="borg_6_20"),
            "Hold 30 seconds, twice on the left side, once a day, every day. "
            "Effort about 13 on the 6 to 20 scale.",
        ),
    ],
)
def test_doses_in_plain_words(dose: Dose, text: str) -> None:
    assert dose_text(dose) == text


def test_an_item_without_weeks_of_its_own_takes_the_programs() -> None:
    assert dose_text(Dose(reps=10), weeks=1).endswith("every day for 1 week.")


def test_seconds_read_as_minutes_and_seconds() -> None:
    assert [seconds_text(s) for s in (1, 45, 60, 61, 600)] == [
        "1 second",
        "45 seconds",
        "1 minute",
        "1 minute 1 second",
        "10 minutes",
    ]


@pytest.mark.parametrize(
    ("dose", "field", "message"),
    [
        (Dose(hold_seconds=601), "hold_seconds", "between 1 and 600 seconds"),
        (Dose(hold_seconds=0, reps=3), "hold_seconds", "between 1 and 600 seconds"),
        (Dose(reps=51), "reps", "between 1 and 50"),
        (Dose(reps=5, sets=11), "sets", "between 1 and 10"),
        (Dose(reps=5, weeks=53), "weeks", "between 1 and 52"),
        (Dose(), "reps", "repetitions, a hold time or a time per set"),
        (Dose(hold_seconds=10, duration_seconds=60), "duration_seconds", "not both"),
        (Dose(reps=5, times_per_day=3, days_per_week=7), "times_per_day", "21 sessions a week"),
        (Dose(reps=5, weekdays=(1, 3), days_per_week=3), "weekdays", "match the days"),
        (Dose(reps=5, weekdays=(1, 1), days_per_week=2), "weekdays", "each weekday once"),
        (Dose(reps=5, rpe_target=11), "rpe_target", "between 0 and 10"),
        (Dose(reps=5, rpe_target=5, rpe_scale="borg_6_20"), "rpe_target", "between 6 and 20"),
        (Dose(reps=5, side="upside"), "side", "Choose a side"),
    ],
)
def test_numbers_out_of_bounds_are_field_errors(dose: Dose, field: str, message: str) -> None:
    assert message in " ".join(errors_of(dose)[field])


def test_a_prescription_needs_rest_and_an_intensity() -> None:
    dose = Dose(reps=10)
    dose_validate(dose)
    errors = errors_of(dose, prescription=True)
    assert set(errors) == {"rest_seconds", "rpe_target"}
    dose_validate(Dose(reps=10, rest_seconds=0, load_note="body weight"), prescription=True)


def test_short_stretches_are_advice_not_errors() -> None:
    dose = Dose(hold_seconds=5, reps=3, side="both")
    dose_validate(dose)
    notes = dose_advice(dose, kind="static_stretch")
    assert any("10 to 60 seconds" in n for n in notes)
    assert any("15 seconds per side" in n for n in notes)
    assert dose_advice(Dose(hold_seconds=20, reps=3), kind="static_stretch") == []
    assert dose_advice(dose, kind="dynamic_stretch") == []


def test_osteoporosis_strength_advice_only_for_her_conditions() -> None:
    dose = Dose(reps=20, days_per_week=1, rpe_target=9)
    with_osteoporosis = dose_advice(dose, kind="strength", condition_codes={"osteoporosis"})
    assert any("at least 2 days a week" in n for n in with_osteoporosis)
    assert any("8 to 12 times" in n for n in with_osteoporosis)
    without = dose_advice(dose, kind="strength")
    assert without == [
        "Strength work usually aims at an effort of 5 to 8 out of 10 "
        "(lower at first if she is new to it)."
    ]


def test_a_dose_round_trips_through_model_fields() -> None:
    dose = Dose(reps=10, weekdays=(5, 1), days_per_week=2)
    assert Dose.from_dict(dose.as_fields()) == Dose(reps=10, weekdays=(1, 5), days_per_week=2)
