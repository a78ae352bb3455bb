"""Output shapes of the exercises API (``exercises.apis``). Doses come with their numbers
(units as in ``exercises.models.library.DoseFields``) and their plain words."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exercises.dosage import Dose, dose_text
from exercises.models import Exercise, Program, ProgramItem, RpeScale, Side


class DoseSerializer(serializers.Serializer[Dose]):
    sets = serializers.IntegerField(help_text="1 to 10.")
    reps = serializers.IntegerField(allow_null=True, help_text="Repetitions per set.")
    hold_seconds = serializers.IntegerField(allow_null=True, help_text="Seconds per hold.")
    duration_seconds = serializers.IntegerField(allow_null=True, help_text="Seconds per set.")
    rest_seconds = serializers.IntegerField(allow_null=True, help_text="Seconds between sets.")
    side = serializers.ChoiceField(choices=Side.choices)
    times_per_day = serializers.IntegerField()
    days_per_week = serializers.IntegerField()
    weekdays = serializers.ListField(
        child=serializers.IntegerField(), help_text="ISO weekdays (1 = Monday); empty: any days."
    )
    weeks = serializers.IntegerField(allow_null=True)
    rpe_target = serializers.IntegerField(allow_null=True)
    rpe_scale = serializers.ChoiceField(choices=RpeScale.choices)
    load_note = serializers.CharField()
    tempo = serializers.CharField()
    dose_notes = serializers.CharField()
    text = serializers.CharField(help_text="The dose in plain words.")


def dose_data(dose: Dose, *, weeks: int | None = None) -> dict[str, Any]:
    return {**dose.as_fields(), "text": dose_text(dose, weeks=weeks)}


class ImageSerializer(serializers.Serializer[Any]):
    url = serializers.CharField()
    alt = serializers.CharField(help_text="What the picture shows.")


def images_data(exercise: Exercise, request: Any) -> list[dict[str, str]]:
    return [
        {"url": request.build_absolute_uri(i.image.url), "alt": i.alt_text}
        for i in exercise.images.all()
    ]


class ExerciseSerializer(serializers.ModelSerializer[Exercise]):
    url = serializers.SerializerMethodField(help_text="The public page.")
    precaution_flags = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        many=True, read_only=True, slug_field="code"
    )
    images = serializers.SerializerMethodField()
    dose = serializers.SerializerMethodField(help_text="The default dose.")

    class Meta:
        model = Exercise
        fields = [
            "slug",
            "name",
            "url",
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
            "images",
            "dose",
        ]

    def get_url(self, exercise: Exercise) -> str:
        return self.context["request"].build_absolute_uri(exercise.get_absolute_url())

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, exercise: Exercise) -> list[dict[str, str]]:
        return images_data(exercise, self.context["request"])

    @extend_schema_field(DoseSerializer)
    def get_dose(self, exercise: Exercise) -> dict[str, Any]:
        return dose_data(Dose.of(exercise))


class ItemExerciseSerializer(serializers.ModelSerializer[Exercise]):
    images = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = ["slug", "name", "kind", "position", "equipment", "steps", "cues",
                  "safety_notes", "video_url", "images"]  # fmt: skip

    @extend_schema_field(ImageSerializer(many=True))
    def get_images(self, exercise: Exercise) -> list[dict[str, str]]:
        return images_data(exercise, self.context["request"])


class ProgramItemSerializer(serializers.ModelSerializer[ProgramItem]):
    exercise = ItemExerciseSerializer()
    dose = serializers.SerializerMethodField()

    class Meta:
        model = ProgramItem
        fields = ["id", "position", "exercise", "dose", "note"]

    @extend_schema_field(DoseSerializer)
    def get_dose(self, item: ProgramItem) -> dict[str, Any]:
        return dose_data(Dose.of(item), weeks=item.program.weeks)


class ProgramSerializer(serializers.ModelSerializer[Program]):
    patient = serializers.SerializerMethodField()
    therapist = serializers.CharField(source="therapist.display_name")
    items = ProgramItemSerializer(many=True)
    handout_url = serializers.SerializerMethodField(help_text="The PDF handout.")

    class Meta:
        model = Program
        fields = [
            "id",
            "title",
            "instructions",
            "patient",
            "therapist",
            "start_date",
            "end_date",
            "revision",
            "changed_at",
            "paused_at",
            "items",
            "handout_url",
        ]

    @extend_schema_field(
        {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
    )
    def get_patient(self, program: Program) -> dict[str, Any]:
        return {"id": program.patient_id, "name": program.patient.get_full_name()}

    def get_handout_url(self, program: Program) -> str:
        return self.context["request"].build_absolute_uri(f"/programs/{program.pk}/handout.pdf")
