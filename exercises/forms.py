"""Forms for the therapist's pages. Each dose form checks its numbers with
``exercises.dosage.dose_validate`` so a page and the API give the same field errors."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from exercises.dosage import WEEKDAY_NAMES, Dose, dose_validate
from exercises.models import (
    BodyRegion,
    Condition,
    ConditionPrecaution,
    Exercise,
    PrecautionFlag,
    Program,
    ProgramItem,
    ProgramTemplate,
)

DOSE_FIELDS = [
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "rest_seconds",
    "side",
    "times_per_day",
    "days_per_week",
    "weekdays",
    "weeks",
    "rpe_target",
    "rpe_scale",
    "load_note",
    "tempo",
    "dose_notes",
]
DOSE_HELP = {
    "reps": "How many times, per set. Leave empty for a hold or a timed set.",
    "hold_seconds": "Seconds to hold each time (1 to 600).",
    "duration_seconds": "Seconds per set for a timed exercise, e.g. 60 to swing for a minute.",
    "rest_seconds": "Seconds between sets or holds; 0 if none.",
    "weekdays": "Leave all unticked to let her choose the days.",
    "weeks": "Leave empty on a program item: it lasts the whole program.",
    "rpe_target": "How hard it should feel on the chosen scale.",
}


class LinesField(forms.CharField):
    """A list of short texts typed one per line (steps, cues, mistakes)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DoseFormMixin(forms.ModelForm):
    """Dose fields of a ``DoseFields`` model, checked as one dose."""

    weekdays = forms.TypedMultipleChoiceField(
        choices=list(WEEKDAY_NAMES.items()),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=DOSE_HELP["weekdays"],
    )
    #: A prescription needs every CERT item-13 field (CLINICAL.md rule 1).
    prescription = False

    def __init__(self, *args: Any, prescription: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if prescription is not None:
            self.prescription = prescription
        for name, text in DOSE_HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text

    def dose(self) -> Dose:
        data = {name: self.cleaned_data.get(name) for name in DOSE_FIELDS}
        defaults = Dose()
        for name in ("sets", "times_per_day", "days_per_week"):
            if data[name] is None:
                data[name] = getattr(defaults, name)
        for name in ("side", "rpe_scale", "load_note", "tempo", "dose_notes"):
            data[name] = data[name] or getattr(defaults, name)
        if data["weekdays"]:
            data["days_per_week"] = len(data["weekdays"])
        return Dose.from_dict(data)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(name in self.errors for name in DOSE_FIELDS):
            return cleaned
        dose = self.dose()
        try:
            dose_validate(dose, prescription=self.prescription)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            cleaned.update(dose.as_fields())
        return cleaned


class ExerciseForm(DoseFormMixin):
    body_regions = forms.MultipleChoiceField(
        choices=BodyRegion.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    muscles = LinesField(required=False, help_text="One per line, e.g. iliopsoas.")
    steps = LinesField(required=True, help_text="One step per line, in order.")
    cues = LinesField(required=False, help_text="One per line, e.g. keep your back tall.")
    common_mistakes = LinesField(required=False, help_text="One per line.")
    precaution_flags = forms.ModelMultipleChoiceField(
        queryset=PrecautionFlag.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Movements some patients should avoid (see Conditions).",
    )
    video_url = forms.URLField(
        label="Video link", required=False, assume_scheme="https", max_length=200
    )
    progressions = forms.ModelMultipleChoiceField(
        queryset=Exercise.objects.order_by("name"),
        required=False,
        help_text="Harder exercises to move on to. This one becomes their easier version.",
    )

    class Meta:
        model = Exercise
        fields = [
            "name",
            "slug",
            "kind",
            "summary",
            "position",
            "body_regions",
            "muscles",
            "equipment",
            "steps",
            "cues",
            "common_mistakes",
            "safety_notes",
            "video_url",
            "precaution_flags",
            "progressions",
            "is_public",
            *DOSE_FIELDS,
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            others = Exercise.objects.exclude(pk=self.instance.pk).order_by("name")
            self.fields["progressions"].queryset = others  # type: ignore[attr-defined]
        self.fields["weeks"].help_text = "How many weeks it is usually done for (optional)."
        self.fields["slug"].required = False
        self.fields["slug"].label = "Address"
        self.fields[
            "slug"
        ].help_text = "Its page is /exercises/<address>/. Empty: made from the name."

    def clean_video_url(self) -> str:
        url: str = self.cleaned_data["video_url"]
        if url and not url.lower().startswith("https://"):
            raise ValidationError("Use a secure link starting with https://.")
        return url


class ExerciseImageForm(forms.Form):
    image = forms.ImageField(help_text="A photo or drawing, JPEG, PNG or WebP, up to 5 MB.")
    alt_text = forms.CharField(
        label="Description",
        max_length=300,
        help_text="What the picture shows, for people who cannot see it.",
    )

    def clean_image(self) -> Any:
        image = self.cleaned_data["image"]
        if image.size > 5 * 1024 * 1024:
            raise ValidationError("This picture is larger than 5 MB; please use a smaller one.")
        return image


class FlagForm(forms.ModelForm):
    class Meta:
        model = PrecautionFlag
        fields = ["code", "name", "description"]
        help_texts = {"code": "Capital letters and underscores, e.g. HIP_FLEXION_PAST_90."}


class ConditionForm(forms.ModelForm):
    class Meta:
        model = Condition
        fields = ["name", "code", "description"]
        help_texts = {"code": "Lower-case letters and underscores, e.g. knee_replacement."}


class ConditionPrecautionForm(forms.Form):
    """One row per flag: what prescribing it to a patient with this condition needs."""

    NONE = ""
    action = forms.ChoiceField(
        choices=[(NONE, "No precaution"), *ConditionPrecaution.Action.choices], required=False
    )


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ProgramTemplate
        fields = ["name", "description", "weeks"]


class ItemForm(DoseFormMixin):
    """One exercise of a template or program with its dose. A row with no exercise is
    left out (the spare rows at the end of the list)."""

    exercise = forms.ModelChoiceField(queryset=Exercise.objects.order_by("name"), required=False)
    note = forms.CharField(label="Note for her", max_length=300, required=False)

    class Meta:
        model = ProgramItem
        fields = ["exercise", *DOSE_FIELDS, "note"]

    def has_changed(self) -> bool:
        return bool(self.data.get(self.add_prefix("exercise"))) or super().has_changed()

    def is_blank(self) -> bool:
        return not self.data.get(self.add_prefix("exercise"))

    def full_clean(self) -> None:
        if self.is_bound and self.is_blank():
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {"exercise": None}
            return
        super().full_clean()


class ProgramForm(forms.ModelForm):
    weeks = forms.IntegerField(
        min_value=1,
        max_value=52,
        required=False,
        help_text="Or give the last day below. 1 to 52 weeks.",
    )
    summary = forms.CharField(
        label="What changed",
        max_length=300,
        required=False,
        help_text="She sees this note with the date of the change.",
    )

    class Meta:
        model = Program
        fields = ["title", "instructions", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False
        self.fields["end_date"].label = "Last day"
        self.fields["start_date"].label = "First day"


class AcknowledgementForm(forms.Form):
    reason = forms.CharField(
        label="Why this exercise is right for her",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
