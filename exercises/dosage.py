"""A dose in numbers and in plain words, its bounds and the advice a therapist should see
(contract C7; CERT item 13, Slade 2016; FITT-VP, Garber 2011; bounds and notes from
``shared/CLINICAL.md`` "Rules the software can enforce" 1-4 and 11).

- ``Dose``: the numbers, as stored on an exercise (its default) or a program item.
- ``dose_text(dose)``: plain words, e.g. "Hold 15 seconds, 3 times on each side, twice a day,
  every day for 4 weeks." Every page, the PDF and the API say a dose this way.
- ``dose_validate(dose, ...)``: raises ``ValidationError`` with one message per field when a
  number is out of its bounds; a prescription also needs every item-13 field.
- ``dose_advice(dose, ...)``: notes for the therapist that are not errors (a short stretch).
"""

from collections.abc import Collection
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError

from exercises.models.library import DoseFields, ExerciseKind, RpeScale, Side

#: Inclusive bounds per field (CLINICAL.md rule 2; duration, rest and times a day are ours).
BOUNDS: dict[str, tuple[int, int]] = {
    "sets": (1, 10),
    "reps": (1, 50),
    "hold_seconds": (1, 600),
    "duration_seconds": (1, 3600),
    "rest_seconds": (0, 600),
    "times_per_day": (1, 4),
    "days_per_week": (1, 7),
    "weeks": (1, 52),
}
#: Sessions a week, times a day times days a week (CLINICAL.md rule 2).
SESSIONS_PER_WEEK = (1, 14)
RPE_BOUNDS = {RpeScale.CR10.value: (0, 10), RpeScale.BORG_6_20.value: (6, 20)}

#: The conditions under which the osteoporosis strength dose applies (CLINICAL.md rule 4).
OSTEOPOROSIS_CODES = frozenset(
    {"osteopenia", "osteoporosis", "vertebral_fracture", "high_fracture_risk"}
)

WEEKDAY_NAMES = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}


@dataclass(frozen=True)
class Dose:
    """One dose (see ``exercises.models.library.DoseFields`` for the units).

    ``weekdays`` are ISO numbers (1 = Monday); ``weeks`` None means "for the whole program".
    """

    sets: int = 1
    reps: int | None = None
    hold_seconds: int | None = None
    duration_seconds: int | None = None
    rest_seconds: int | None = None
    side: str = Side.NONE.value
    times_per_day: int = 1
    days_per_week: int = 7
    weekdays: tuple[int, ...] = field(default_factory=tuple)
    weeks: int | None = None
    rpe_target: int | None = None
    rpe_scale: str = RpeScale.CR10.value
    load_note: str = ""
    tempo: str = ""
    dose_notes: str = ""

    @classmethod
    def of(cls, row: DoseFields) -> "Dose":
        """The dose stored on a model row (an exercise, a template or program item)."""
        values = {f.name: getattr(row, f.name) for f in fields(cls)}
        values["weekdays"] = tuple(sorted(row.weekdays or ()))
        return cls(**values)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Dose":
        """A dose from a mapping of field names (unknown keys are ignored)."""
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in names}
        values["weekdays"] = tuple(sorted(values.get("weekdays") or ()))
        return cls(**values)

    def as_fields(self) -> dict[str, Any]:
        """The model field values of this dose, to save on a ``DoseFields`` row."""
        values = asdict(self)
        values["weekdays"] = list(self.weekdays)
        return values

    @property
    def sessions_per_week(self) -> int:
        return self.times_per_day * self.days_per_week

    @property
    def seconds_per_side(self) -> int:
        """Time under the dose's hold or time per set, per side, per session."""
        if self.hold_seconds:
            return self.hold_seconds * (self.reps or 1) * self.sets
        if self.duration_seconds:
            return self.duration_seconds * self.sets
        return 0


# -- plain words ---------------------------------------------------------------------------


def seconds_text(seconds: int) -> str:
    """``90`` -> "1 minute 30 seconds"; ``15`` -> "15 seconds"."""
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if rest or not minutes:
        parts.append(f"{rest} second{'s' if rest != 1 else ''}")
    return " ".join(parts)


def times_text(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _side_text(side: str) -> str:
    return {
        Side.BOTH.value: " on each side",
        Side.LEFT.value: " on the left side",
        Side.RIGHT.value: " on the right side",
        Side.ALTERNATING.value: ", alternating sides",
    }.get(side, "")


def _what_text(dose: Dose) -> str:
    sets = f", {dose.sets} sets" if dose.sets > 1 else ""
    if dose.hold_seconds:
        reps = f", {times_text(dose.reps)}" if dose.reps and dose.reps > 1 else ""
        return f"Hold {seconds_text(dose.hold_seconds)}{reps}{sets}"
    if dose.duration_seconds:
        if dose.sets > 1:
            return f"{dose.sets} rounds of {seconds_text(dose.duration_seconds)}"
        return f"For {seconds_text(dose.duration_seconds)}"
    count = dose.reps or 1
    words = f"{count} repetition{'s' if count != 1 else ''}"
    return f"{dose.sets} sets of {words}" if dose.sets > 1 else words.capitalize()


def _when_text(dose: Dose, *, weeks: int | None) -> str:
    per_day = {1: "once a day", 2: "twice a day"}.get(
        dose.times_per_day, f"{dose.times_per_day} times a day"
    )
    if dose.weekdays:
        names = [f"{WEEKDAY_NAMES[d]}s" for d in dose.weekdays if d in WEEKDAY_NAMES]
        days = f"on {_and_list(names)}" if len(names) < 7 else "every day"
    elif dose.days_per_week >= 7:
        days = "every day"
    else:
        days = f"{dose.days_per_week} day{'s' if dose.days_per_week != 1 else ''} a week"
    weeks = dose.weeks or weeks
    span = f" for {weeks} week{'s' if weeks != 1 else ''}" if weeks else ""
    return f"{per_day}, {days}{span}"


def _effort_text(dose: Dose) -> str:
    if dose.rpe_target is None:
        return ""
    if dose.rpe_scale == RpeScale.BORG_6_20.value:
        return f"Effort about {dose.rpe_target} on the 6 to 20 scale."
    return f"Effort about {dose.rpe_target} out of 10."


def dose_text(dose: Dose, *, weeks: int | None = None) -> str:
    """The dose in plain words, in full sentences.

    ``weeks`` is used when the dose has none of its own (an item lasting the whole program).
    Example: "Hold 15 seconds, 3 times on each side, twice a day, every day for 4 weeks."
    """
    sentences = [f"{_what_text(dose)}{_side_text(dose.side)}, {_when_text(dose, weeks=weeks)}."]
    if dose.rest_seconds and (dose.sets > 1 or (dose.reps or 1) > 1):
        between = "sets" if dose.sets > 1 else "each one"
        sentences.append(f"Rest {seconds_text(dose.rest_seconds)} between {between}.")
    sentences.append(_effort_text(dose))
    if dose.load_note:
        sentences.append(f"Load: {dose.load_note.rstrip('.')}.")
    if dose.tempo:
        sentences.append(f"Pace: {dose.tempo.rstrip('.')}.")
    if dose.dose_notes:
        sentences.append(dose.dose_notes.strip())
    return " ".join(s for s in sentences if s)


# -- bounds and advice ---------------------------------------------------------------------


def dose_validate(dose: Dose, *, prescription: bool = False) -> None:
    """Check each number against its bounds (``BOUNDS``; CLINICAL.md rule 2).

    With ``prescription`` every CERT item-13 field must be given too (CLINICAL.md rule 1):
    rest, an intensity (RPE target or a load note) with its scale, and the weeks (a program
    item gets them from the program's dates, so they are checked there).

    Raises ``ValidationError`` with a dict: field name -> messages in plain words.
    """
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    labels = {
        "sets": "Sets",
        "reps": "Repetitions",
        "hold_seconds": "The hold",
        "duration_seconds": "The time per set",
        "rest_seconds": "The rest",
        "times_per_day": "Times a day",
        "days_per_week": "Days a week",
        "weeks": "Weeks",
    }
    units = {"hold_seconds": " seconds", "duration_seconds": " seconds", "rest_seconds": " seconds"}
    for name, (low, high) in BOUNDS.items():
        value = getattr(dose, name)
        if value is None:
            continue
        if not low <= value <= high:
            unit = units.get(name, "")
            add(name, f"{labels[name]} must be between {low} and {high}{unit}.")
    if not (dose.reps or dose.hold_seconds or dose.duration_seconds):
        add("reps", "Give the repetitions, a hold time or a time per set.")
    if dose.hold_seconds and dose.duration_seconds:
        add("duration_seconds", "Give a hold time or a time per set, not both.")
    if dose.side not in Side.values:
        add("side", "Choose a side from the list.")
    if dose.weekdays:
        if any(d not in WEEKDAY_NAMES for d in dose.weekdays) or len(set(dose.weekdays)) != len(
            dose.weekdays
        ):
            add("weekdays", "Choose each weekday once.")
        elif len(dose.weekdays) != dose.days_per_week:
            add("weekdays", "The chosen weekdays must match the days a week.")
    low, high = SESSIONS_PER_WEEK
    in_bounds = "times_per_day" not in errors and "days_per_week" not in errors
    if in_bounds and not low <= dose.sessions_per_week <= high:
        add(
            "times_per_day",
            f"That makes {dose.sessions_per_week} sessions a week; "
            f"the most is {high} (twice a day, every day).",
        )
    if dose.rpe_scale not in RPE_BOUNDS:
        add("rpe_scale", "Choose the effort scale.")
    elif dose.rpe_target is not None:
        low, high = RPE_BOUNDS[dose.rpe_scale]
        if not low <= dose.rpe_target <= high:
            add("rpe_target", f"On this scale the effort must be between {low} and {high}.")
    if prescription:
        if dose.rest_seconds is None:
            add("rest_seconds", "Give the rest between sets (0 if none is needed).")
        if dose.rpe_target is None and not dose.load_note.strip():
            add("rpe_target", "Give an effort target or a load note (how hard it should feel).")
    if errors:
        raise ValidationError(errors)


def dose_advice(dose: Dose, *, kind: str, condition_codes: Collection[str] = ()) -> list[str]:
    """Notes for the therapist about a dose that is allowed but unusual. Never a refusal.

    ``kind`` is the exercise's ``ExerciseKind``; ``condition_codes`` the patient's conditions
    (``Condition.code``). Sources: CLINICAL.md rules 3 (stretch holds: ACSM 2021, Garber
    2011), 4 (osteoporosis strength dose: TFTF 2015, SSS 2022) and 11 (RPE 5-8 for strength).
    """
    notes: list[str] = []
    if kind == ExerciseKind.STATIC_STRETCH and dose.hold_seconds:
        if not 10 <= dose.hold_seconds <= 60:
            notes.append(
                "Stretches are usually held 10 to 60 seconds (ACSM); "
                f"this one is held {seconds_text(dose.hold_seconds)}."
            )
        total = dose.hold_seconds * (dose.reps or 1) * dose.sets
        if total < 60:
            notes.append(
                f"This stretch adds up to {seconds_text(total)} per side; about 60 seconds "
                "in total per side is usual (Garber 2011)."
            )
    if kind == ExerciseKind.STRENGTH:
        if OSTEOPOROSIS_CODES.intersection(condition_codes):
            if dose.days_per_week < 2:
                notes.append(
                    "For bone health, strength work is advised at least 2 days a week (TFTF)."
                )
            if dose.reps is not None and not 8 <= dose.reps <= 12:
                notes.append(
                    "For bone health, a load she can lift 8 to 12 times is advised "
                    f"(TFTF, SSS); this dose has {dose.reps} repetitions."
                )
        on_cr10 = dose.rpe_target is not None and dose.rpe_scale == RpeScale.CR10.value
        if on_cr10 and not 5 <= (dose.rpe_target or 0) <= 8:
            notes.append(
                "Strength work usually aims at an effort of 5 to 8 out of 10 "
                "(lower at first if she is new to it)."
            )
    return notes
