"""Home programs: reusable templates, prescriptions (a copy of a template or a hand-built
list, per patient), their revision history, and patients' conditions mapped to the
precaution flags they make risky (CLINICAL.md rules 9 and 10).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from exercises.models.library import DoseFields, Exercise, PrecautionFlag


class Condition(models.Model):
    """A condition a patient may have (e.g. osteoporosis with a vertebral fracture).

    ``flags`` says which precaution flags it makes risky and what prescribing such an
    exercise needs (``ConditionPrecaution.Action``). The therapist edits the mapping; the
    defaults come from the migration (TFTF 2015; SSS 2022; CLINICAL.md §6).
    """

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False, editable=False)
    flags = models.ManyToManyField(
        PrecautionFlag, through="ConditionPrecaution", related_name="conditions", blank=True
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConditionPrecaution(models.Model):
    """One flag a condition makes risky, and what prescribing a flagged exercise needs."""

    class Action(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", "Warn: the therapist acknowledges with a reason"
        BLOCK = "block", "Block: cannot be prescribed"

    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="precautions")
    flag = models.ForeignKey(PrecautionFlag, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices, default=Action.ACKNOWLEDGE)

    class Meta:
        ordering = ["condition", "flag"]
        constraints = [
            models.UniqueConstraint(fields=["condition", "flag"], name="exercises_condition_flag"),
        ]

    def __str__(self) -> str:
        return f"{self.condition}: {self.flag} ({self.get_action_display()})"


class PatientCondition(models.Model):
    """A condition on a patient's record (health information: her and her therapist only)."""

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_conditions"
    )
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="patients")
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["patient", "condition"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "condition"], name="exercises_patient_condition_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.condition)


class ProgramTemplate(models.Model):
    """A program the therapist builds once and prescribes to many (e.g. "Hip flexor release")."""

    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    weeks = models.PositiveSmallIntegerField(default=4, help_text="Suggested length in weeks.")
    owner = models.ForeignKey(
        "accounts.TherapistProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="program_templates",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateItem(DoseFields):
    template = models.ForeignKey(ProgramTemplate, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField("note for the patient", max_length=300, blank=True)

    class Meta:
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.template}: {self.exercise}"


class Program(models.Model):
    """A home program prescribed to one patient: a copy, so later edits to the template or
    the exercise's default dose never change it. Revised in place; each version is kept in
    ``ProgramRevision`` and ``changed_at`` tells her when it last changed.

    Dates are the patient's local calendar days, both inclusive.
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_programs"
    )
    therapist = models.ForeignKey(
        "accounts.TherapistProfile", on_delete=models.PROTECT, related_name="prescribed_programs"
    )
    title = models.CharField(max_length=150)
    instructions = models.TextField("general instructions", blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    template = models.ForeignKey(
        ProgramTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="programs"
    )
    revision = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="exercises_program_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["patient", "end_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", kwargs={"program_id": self.pk})

    @property
    def weeks(self) -> int:
        """The program's length in whole weeks, rounded up."""
        return -(-((self.end_date - self.start_date).days + 1) // 7)


class ProgramItem(DoseFields):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField("note for the patient", max_length=300, blank=True)

    class Meta:
        ordering = ["program", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.program}: {self.exercise}"


class ProgramRevision(models.Model):
    """One version of a prescription as the patient saw it, kept forever (CERT item 7b)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField("what changed", max_length=300, blank=True)
    snapshot = models.JSONField(
        help_text="title, dates and items (exercise slug and name, dose numbers and words)."
    )

    class Meta:
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="exercises_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.program} (version {self.number})"


class PrecautionAcknowledgement(models.Model):
    """The therapist's acknowledgement that she prescribed a flagged exercise to a patient
    with a condition that makes it risky, and why (CLINICAL.md rule 9)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="acknowledgements")
    revision = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    flag = models.ForeignKey(PrecautionFlag, on_delete=models.PROTECT, related_name="+")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["program", "-acknowledged_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="exercises_acknowledgement_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise} / {self.flag} for {self.condition}"
