"""What patients log about their home sessions, what the therapist is flagged about, and the
therapist's pain-monitoring settings (``exercises.pain`` holds the rules themselves).

Health information: a patient sees only her own rows, a therapist only her patients'.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from exercises.models.library import RpeScale
from exercises.models.programs import Program, ProgramItem
from exercises.pain import DEFAULT_THRESHOLDS, FlagKind, RedFlag

NPRS = [MinValueValidator(0), MaxValueValidator(10)]


class ProgramDay(models.Model):
    """One local calendar day of a program: sessions prescribed and sessions done.

    Kept by ``exercises.schedule`` (prescribed, from the items' doses) and by session logging
    (done), so adherence, the calendar and missed days are plain aggregates over one table.
    ``prescribed`` may be a fraction: "3 days a week, any days" spreads 3/7 of a session over
    each day. ``done`` adds each logged session's share of exercises done (a partial session
    counts by that share). Days before today are history and never recomputed, so a revision
    or a pause changes only the days ahead.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="days")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_program_days"
    )
    day = models.DateField()
    prescribed = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))
    done = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["program", "day"]
        constraints = [
            models.UniqueConstraint(fields=["program", "day"], name="exercises_program_day_once"),
        ]
        indexes = [models.Index(fields=["patient", "day"])]

    def __str__(self) -> str:
        return f"{self.program} on {self.day}: {self.done} of {self.prescribed}"


class SessionLog(models.Model):
    """One home session as she logged it (CERT item 16a: adherence; item 11: adverse events).

    ``performed_on`` is her local calendar day. ``items_done`` of ``items_total`` is how much
    of the program she did: adherence counts a partial session by that share. Pain is NPRS
    0-10; effort (RPE) is stored with its scale. ``idempotency_key`` makes a double submit
    one session.
    """

    class Source(models.TextChoices):
        PLAYER = "player", "Guided player"
        FORM = "form", "Logging form"
        API = "api", "API"
        DEMO = "demo", "Demo data"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="session_logs")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_session_logs"
    )
    performed_on = models.DateField(help_text="Her local day.")
    logged_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=100)
    items_done = models.PositiveSmallIntegerField()
    items_total = models.PositiveSmallIntegerField()
    pain_before = models.PositiveSmallIntegerField(validators=NPRS)
    pain_after = models.PositiveSmallIntegerField(validators=NPRS)
    pain_next_morning = models.PositiveSmallIntegerField(null=True, blank=True, validators=NPRS)
    next_morning_logged_at = models.DateTimeField(null=True, blank=True)
    next_morning_declined = models.BooleanField(default=False)
    pain_48h = models.PositiveSmallIntegerField(
        "pain 48 hours after", null=True, blank=True, validators=NPRS,
        help_text="Asked only when the next morning's pain was above the pre-exercise score.",
    )  # fmt: skip
    pain_48h_logged_at = models.DateTimeField(null=True, blank=True)
    pain_48h_declined = models.BooleanField(default=False)
    rpe = models.PositiveSmallIntegerField("effort (RPE)", null=True, blank=True)
    rpe_scale = models.CharField(max_length=12, choices=RpeScale.choices, default=RpeScale.CR10)
    comment = models.TextField(blank=True, max_length=2000)
    red_flags = models.JSONField(
        default=list, blank=True, help_text=f"Codes from {', '.join(RedFlag.values)}."
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)

    class Meta:
        ordering = ["-performed_on", "-logged_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "idempotency_key"], name="exercises_session_log_once"
            ),
            models.CheckConstraint(
                condition=models.Q(pain_before__lte=10, pain_after__lte=10)
                & (models.Q(pain_next_morning__isnull=True) | models.Q(pain_next_morning__lte=10)),
                name="exercises_session_pain_nprs",
            ),
            models.CheckConstraint(
                condition=models.Q(items_done__lte=models.F("items_total"), items_total__gte=1),
                name="exercises_session_items_done_of_total",
            ),
        ]
        indexes = [
            models.Index(fields=["patient", "-performed_on"]),
            models.Index(fields=["program", "performed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.program} on {self.performed_on}"

    @property
    def completion(self) -> float:
        return self.items_done / self.items_total


class SessionItemLog(models.Model):
    """One exercise of a logged session: done or not, and how it felt."""

    class Feedback(models.TextChoices):
        TOO_EASY = "too_easy", "Too easy"
        ABOUT_RIGHT = "about_right", "About right"
        TOO_HARD = "too_hard", "Too hard"

    session = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="items")
    program_item = models.ForeignKey(
        ProgramItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exercise_name = models.CharField(max_length=150, help_text="As prescribed that day.")
    done = models.BooleanField(default=True)
    feedback = models.CharField(max_length=12, choices=Feedback.choices, blank=True)

    class Meta:
        ordering = ["session", "pk"]

    def __str__(self) -> str:
        return self.exercise_name


class PainFlag(models.Model):
    """Something the therapist should look at (``exercises.pain.FlagKind``).

    Raised once per cause (``key``); ``digested_at`` marks it as sent in a daily digest,
    ``resolved_at`` as dealt with by the therapist.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_flags"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="flags")
    session = models.ForeignKey(
        SessionLog, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    key = models.CharField(max_length=120, unique=True)
    detail = models.CharField(max_length=300)
    raised_at = models.DateTimeField(default=timezone.now)
    digested_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["patient", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.detail}"


class MonitoringSettings(models.Model):
    """A therapist's pain-monitoring zones and flag thresholds (``MonitoringThresholds``)."""

    therapist = models.OneToOneField(
        "accounts.TherapistProfile", on_delete=models.CASCADE, related_name="monitoring_settings"
    )
    safe_max = models.PositiveSmallIntegerField(
        "highest safe pain",
        default=DEFAULT_THRESHOLDS.safe_max,
        validators=[MaxValueValidator(8)],
        help_text="0 up to this score is safe (green). CLINICAL.md: 2; some sources say 3.",
    )
    acceptable_max = models.PositiveSmallIntegerField(
        "highest acceptable pain",
        default=DEFAULT_THRESHOLDS.acceptable_max,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="Above this score is too much (red). Silbernagel 2007: 5.",
    )
    rise_points = models.DecimalField(
        "weekly rise that flags",
        max_digits=3,
        decimal_places=1,
        default=DEFAULT_THRESHOLDS.rise_points,
        validators=[MinValueValidator(0.5), MaxValueValidator(10)],
        help_text="NPRS points of weekly mean pain over the first week. Childs 2005: 2.",
    )
    missed_days = models.PositiveSmallIntegerField(
        "missed days that flag",
        default=DEFAULT_THRESHOLDS.missed_days,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text="Prescribed days in a row without a log.",
    )

    class Meta:
        verbose_name = "pain-monitoring settings"
        verbose_name_plural = "pain-monitoring settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(safe_max__lt=models.F("acceptable_max"), acceptable_max__lt=10),
                name="exercises_monitoring_zones_in_order",
                violation_error_message="The safe limit must be below the acceptable limit.",
            ),
        ]

    def __str__(self) -> str:
        return f"Pain monitoring for {self.therapist}"


class MonitorVersion(models.Model):
    """A token that changes with everything a therapist's patients list shows from this app.

    Set to a new random value (``exercises.monitor_version``) inside the transaction of every
    write that changes the list: a session logged, a pain answer, a flag raised or resolved,
    a program prescribed, revised, paused or resumed, prescribed days rewritten, her
    monitoring settings saved. The rendered list is kept per version
    (``exercises.monitor_page``), so a new token makes the next view render it afresh.
    """

    therapist = models.OneToOneField(
        "accounts.TherapistProfile", on_delete=models.CASCADE, related_name="monitor_version"
    )
    token = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Patients list version of {self.therapist}"
