"""The pain-monitoring model as pure rules: zones, next-morning settling, rising trends, flags.

Pain is the 0-10 numeric rating scale (NPRS). The model is Silbernagel's (Silbernagel 2001,
Scand J Med Sci Sports; Silbernagel 2007, Am J Sports Med): pain may reach but not exceed
the acceptable limit during and after exercise, and must settle by the next morning; a
rising trend week to week means too much load. The zone boundaries and flag thresholds are
a clinician's choice (``../shared/CLINICAL.md``, open question 1), so they come in as
``MonitoringThresholds`` (the therapist's settings), with the CLINICAL.md rules as defaults:

- rule 5: 0-2 safe (green), 3-5 acceptable (amber), above 5 too much (red);
- rule 6: next-morning pain above that day's pre-exercise pain has not settled (amber);
  still above it 48 hours after the session is red;
- rule 7: weekly mean pain up by 2 or more points against the first week, or rising two
  weeks running, is "pain rising" (2 points: the NPRS minimal detectable change, Childs 2005);
- rule 8: a new sudden back pain, a fall or a loss of height is never an acceptable pain in
  this population (a possible vertebral fracture): it pauses the program and flags at once;
- a product choice: no log on 3 prescribed days running is a flag.

Nothing here touches the database: the services pass numbers in and store what comes out.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models

PAIN_MIN = 0
PAIN_MAX = 10


class Zone(models.TextChoices):
    """The pain-monitoring zones, named as the model names them, with their traffic colour."""

    SAFE = "safe", "Safe"
    ACCEPTABLE = "acceptable", "Acceptable"
    HIGH = "high", "Too much"


ZONE_COLOURS = {Zone.SAFE: "green", Zone.ACCEPTABLE: "amber", Zone.HIGH: "red"}


class FlagKind(models.TextChoices):
    """Why a therapist is asked to look at a patient's logs."""

    RED_FLAG = "red_flag", "Red-flag symptom reported"
    PAIN_HIGH = "pain_high", "Pain in the red zone"
    NOT_SETTLED = "not_settled", "Pain not settled by the next morning"
    NOT_SETTLED_48H = "not_settled_48h", "Pain still not settled after 48 hours"
    PAIN_RISING = "pain_rising", "Weekly pain rising"
    MISSED_DAYS = "missed_days", "No log on prescribed days"


class RedFlag(models.TextChoices):
    """Symptoms that may mean a vertebral fracture or a fall injury (Leyland/ROS 2021)."""

    BACK_PAIN = "back_pain", "A new, sudden back pain"
    FALL = "fall", "A fall"
    HEIGHT_LOSS = "height_loss", "Losing height (clothes longer, told I look shorter)"


@dataclass(frozen=True)
class MonitoringThresholds:
    """A therapist's pain-monitoring settings (defaults: ``../shared/CLINICAL.md``).

    - ``safe_max``: the highest score in the safe zone (NPRS points, default 2);
    - ``acceptable_max``: the highest acceptable score; above it is too much (default 5);
    - ``rise_points``: the rise of a weekly mean over the first week's that flags (default 2);
    - ``missed_days``: prescribed days in a row without a log that flag (default 3).
    """

    safe_max: int = 2
    acceptable_max: int = 5
    rise_points: float = 2.0
    missed_days: int = 3

    def __post_init__(self) -> None:
        if not PAIN_MIN <= self.safe_max < self.acceptable_max < PAIN_MAX:
            raise ValueError("Need 0 <= safe_max < acceptable_max < 10.")
        if self.rise_points <= 0 or self.missed_days < 1:
            raise ValueError("rise_points must be positive and missed_days at least 1.")


DEFAULT_THRESHOLDS = MonitoringThresholds()


def pain_zone(score: int, *, thresholds: MonitoringThresholds = DEFAULT_THRESHOLDS) -> Zone:
    """The zone of one NPRS score (0-10). Raises ValueError outside 0-10."""
    if not PAIN_MIN <= score <= PAIN_MAX:
        raise ValueError(f"A pain score is 0 to 10, not {score}.")
    if score <= thresholds.safe_max:
        return Zone.SAFE
    if score <= thresholds.acceptable_max:
        return Zone.ACCEPTABLE
    return Zone.HIGH


def session_zone(
    *, before: int, after: int, thresholds: MonitoringThresholds = DEFAULT_THRESHOLDS
) -> Zone:
    """The zone of a session: its worse score, since pain during and after both count."""
    return pain_zone(max(before, after), thresholds=thresholds)


def pain_settled(*, before: int, next_morning: int) -> bool:
    """Whether pain settled by the next morning: no higher than before that day's exercise."""
    return next_morning <= before


def pain_rising(
    weekly_means: Sequence[float | None], *, thresholds: MonitoringThresholds = DEFAULT_THRESHOLDS
) -> bool:
    """Whether pain is rising (CLINICAL.md rule 7) from weekly mean scores, oldest first.

    ``weekly_means[0]`` is the first week (the baseline); a week without logs is None and is
    skipped. Rising: the latest mean is ``rise_points`` or more above the baseline, or the
    means of the last three weeks with logs went up twice running.
    """
    means = [m for m in weekly_means if m is not None]
    if len(means) < 2:
        return False
    if means[-1] - means[0] >= thresholds.rise_points:
        return True
    last = means[-3:]
    return len(last) == 3 and last[0] < last[1] < last[2]


def missed_prescribed_days(
    *, prescribed: Iterable[date], logged: Iterable[date], today: date
) -> int:
    """How many prescribed days in a row, ending with the last one before ``today``, had no log.

    Today does not count: she may still log it.
    """
    logged_days = set(logged)
    missed = 0
    for day in sorted((d for d in prescribed if d < today), reverse=True):
        if day in logged_days:
            break
        missed += 1
    return missed


@dataclass(frozen=True)
class SessionPain:
    """What one logged session says about pain (NPRS 0-10; ``next_morning`` once asked)."""

    before: int
    after: int
    next_morning: int | None = None
    red_flags: tuple[str, ...] = ()
    after_48h: int | None = None


def session_flags(
    pain: SessionPain, *, thresholds: MonitoringThresholds = DEFAULT_THRESHOLDS
) -> list[FlagKind]:
    """The flags one session raises on its own, most urgent first."""
    flags: list[FlagKind] = []
    if pain.red_flags:
        flags.append(FlagKind.RED_FLAG)
    if session_zone(before=pain.before, after=pain.after, thresholds=thresholds) == Zone.HIGH:
        flags.append(FlagKind.PAIN_HIGH)
    if pain.next_morning is not None:
        morning_high = pain_zone(pain.next_morning, thresholds=thresholds) == Zone.HIGH
        if morning_high and FlagKind.PAIN_HIGH not in flags:
            flags.append(FlagKind.PAIN_HIGH)
        if not pain_settled(before=pain.before, next_morning=pain.next_morning):
            flags.append(FlagKind.NOT_SETTLED)
    if pain.after_48h is not None and not pain_settled(
        before=pain.before, next_morning=pain.after_48h
    ):
        flags.insert(0 if FlagKind.RED_FLAG not in flags else 1, FlagKind.NOT_SETTLED_48H)
    return flags
