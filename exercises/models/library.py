"""The exercise library: exercises, their precaution flags and images, and the dose fields
shared by an exercise's default dose and each item of a program (CERT item 13, FITT-VP).

The bounds of each dose field are checked by ``exercises.dosage.dose_validate`` (the rules
and their sources are in docs and ``shared/CLINICAL.md``); the database keeps only what no
dose can ever be (a negative count, a side that does not exist).
"""

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class ExerciseKind(models.TextChoices):
    STATIC_STRETCH = "static_stretch", "Static stretch"
    DYNAMIC_STRETCH = "dynamic_stretch", "Dynamic stretch"
    STRENGTH = "strength", "Strength"
    BALANCE = "balance", "Balance"
    MOBILITY = "mobility", "Mobility"
    AEROBIC = "aerobic", "Aerobic"


class BodyRegion(models.TextChoices):
    NECK = "neck", "Neck"
    SHOULDER = "shoulder", "Shoulder"
    UPPER_BACK = "upper_back", "Upper back"
    LOWER_BACK = "lower_back", "Lower back"
    CORE = "core", "Core"
    HIP = "hip", "Hip"
    GLUTES = "glutes", "Glutes"
    THIGH = "thigh", "Thigh"
    KNEE = "knee", "Knee"
    LOWER_LEG = "lower_leg", "Calf and shin"
    ANKLE_FOOT = "ankle_foot", "Ankle and foot"
    ARM_HAND = "arm_hand", "Arm and hand"
    WHOLE_BODY = "whole_body", "Whole body"


class Position(models.TextChoices):
    STANDING = "standing", "Standing"
    STANDING_SUPPORTED = "standing_supported", "Standing, holding a support"
    SITTING = "sitting", "Sitting"
    LYING_BACK = "lying_back", "Lying on your back"
    LYING_SIDE = "lying_side", "Lying on your side"
    LYING_FRONT = "lying_front", "Lying on your front"
    HANDS_KNEES = "hands_knees", "On hands and knees"
    KNEELING = "kneeling", "Kneeling"
    WALKING = "walking", "Walking"


class Side(models.TextChoices):
    NONE = "none", "Not one-sided"
    LEFT = "left", "Left side only"
    RIGHT = "right", "Right side only"
    BOTH = "both", "Each side in turn"
    ALTERNATING = "alternating", "Alternating sides"


class RpeScale(models.TextChoices):
    """The scale an RPE target is read on, stored with it (CLINICAL.md §5: the anchors differ)."""

    CR10 = "cr10", "0 to 10 (Borg CR10)"
    BORG_6_20 = "borg_6_20", "6 to 20 (Borg RPE)"


class PrecautionFlag(models.Model):
    """A movement some patients should avoid or modify (TFTF 2015 Table 5; CLINICAL.md §6).

    The eight built-in flags are made by migration; a therapist adds others (``is_builtin``
    False). ``code`` is the stable name used in rules and the API.
    """

    code = models.SlugField(max_length=40, unique=True, help_text="e.g. FLEXION_LOADED")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DoseFields(models.Model):
    """One dose in numbers (CERT item 13; FITT-VP). Render it with ``exercises.dosage``.

    Units: seconds for ``hold_seconds`` (per repetition), ``duration_seconds`` (per set, e.g.
    "swing for 1 minute") and ``rest_seconds`` (between sets); ``weekdays`` holds ISO
    weekday numbers (1 = Monday ... 7 = Sunday) when the days are chosen, else is empty and
    ``days_per_week`` says how many days. ``weeks`` empty on a program item means "for the
    whole program".
    """

    sets = models.PositiveSmallIntegerField(default=1)
    reps = models.PositiveSmallIntegerField("repetitions", null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField("hold (seconds)", null=True, blank=True)
    duration_seconds = models.PositiveSmallIntegerField(
        "time per set (seconds)", null=True, blank=True
    )
    rest_seconds = models.PositiveSmallIntegerField("rest (seconds)", null=True, blank=True)
    side = models.CharField(max_length=12, choices=Side.choices, default=Side.NONE)
    times_per_day = models.PositiveSmallIntegerField(default=1)
    days_per_week = models.PositiveSmallIntegerField(default=7)
    weekdays = models.JSONField(default=list, blank=True)
    weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    rpe_target = models.PositiveSmallIntegerField("RPE target", null=True, blank=True)
    rpe_scale = models.CharField(
        "RPE scale", max_length=12, choices=RpeScale.choices, default=RpeScale.CR10
    )
    load_note = models.CharField(
        "load or intensity note", max_length=200, blank=True, help_text="e.g. a light band"
    )
    tempo = models.CharField(max_length=100, blank=True, help_text="e.g. slowly, 3 seconds down")
    dose_notes = models.CharField("dose notes", max_length=300, blank=True)

    class Meta:
        abstract = True


class Exercise(DoseFields):
    """One exercise as the therapist describes it (CERT item 8), with its default dose."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=20, choices=ExerciseKind.choices)
    summary = models.CharField(max_length=300, blank=True, help_text="One plain sentence.")
    body_regions = models.JSONField(default=list, blank=True)
    muscles = models.JSONField(default=list, blank=True)
    equipment = models.CharField(max_length=200, blank=True, help_text="e.g. a sturdy chair")
    position = models.CharField(max_length=20, choices=Position.choices)
    steps = models.JSONField(default=list, blank=True, help_text="Numbered steps, in order.")
    cues = models.JSONField(default=list, blank=True)
    common_mistakes = models.JSONField(default=list, blank=True)
    safety_notes = models.TextField(blank=True)
    video_url = models.URLField("video link", blank=True)
    precaution_flags = models.ManyToManyField(PrecautionFlag, blank=True, related_name="exercises")
    progressions = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="regressions",
        help_text="Harder exercises to move on to; this one is their regression.",
    )
    is_public = models.BooleanField(
        "public", default=False, help_text="Shown to everyone at /exercises/<slug>/."
    )
    created_by = models.ForeignKey(
        "accounts.TherapistProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exercises",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(Lower("name"), name="exercises_exercise_name_lower")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("exercises:detail", kwargs={"slug": self.slug})


class ExerciseImage(models.Model):
    """A picture of an exercise; every picture has a description for people who cannot see it."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="exercises/")
    alt_text = models.CharField(
        "description", max_length=300, help_text="What the picture shows, for screen readers."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["exercise", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(alt_text=""), name="exercises_image_has_alt_text"
            ),
        ]

    def __str__(self) -> str:
        return self.alt_text
