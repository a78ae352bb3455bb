"""``POST /api/v1/programs/<id>/sessions/``: log a session of one of her programs.

Idempotent: the ``Idempotency-Key`` header (or the ``idempotency_key`` field) names the
session; sending it again answers 200 with the session first logged (201 the first time).
Another patient's program, or any therapist, gets 404 / 403 in the API's error shape.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exercises.models import SessionItemLog, SessionLog
from exercises.pain import RedFlag
from exercises.session_log import ItemReport, session_log
from exercises.today import patient_programs
from practice.accounts.models import User


class ItemReportSerializer(serializers.Serializer):
    item_id = serializers.IntegerField(min_value=1, help_text="A program item's id.")
    done = serializers.BooleanField(default=True)
    feedback = serializers.ChoiceField(
        choices=SessionItemLog.Feedback.choices, required=False, allow_blank=True, default=""
    )


class SessionLogInputSerializer(serializers.Serializer):
    items = ItemReportSerializer(many=True, help_text="Exercises left out count as not done.")
    pain_before = serializers.IntegerField(min_value=0, max_value=10, help_text="NPRS 0-10.")
    pain_after = serializers.IntegerField(min_value=0, max_value=10, help_text="NPRS 0-10.")
    rpe = serializers.IntegerField(
        min_value=0, max_value=10, required=False, allow_null=True, help_text="Borg CR10, 0-10."
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    red_flags = serializers.ListField(
        child=serializers.ChoiceField(choices=RedFlag.choices), required=False, default=list
    )
    idempotency_key = serializers.CharField(
        required=False, max_length=100, help_text="Or send the Idempotency-Key header."
    )


class SessionLogItemOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = SessionItemLog
        fields = ["program_item", "exercise_name", "done", "feedback"]


class SessionLogOutputSerializer(serializers.ModelSerializer):
    items = SessionLogItemOutputSerializer(many=True, read_only=True)
    program_paused = serializers.SerializerMethodField()

    class Meta:
        model = SessionLog
        fields = [
            "id", "program", "performed_on", "logged_at", "items_done", "items_total",
            "pain_before", "pain_after", "pain_next_morning", "rpe", "rpe_scale", "comment",
            "red_flags", "items", "program_paused",
        ]  # fmt: skip

    def get_program_paused(self, log: SessionLog) -> bool:
        """True when a red flag paused the program: call the practice."""
        return bool(log.red_flags)


class ProgramSessionCreate(APIView):
    """Log a session of one of the patient's own programs (patients only)."""

    @extend_schema(
        request=SessionLogInputSerializer,
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
                description="Names the session: a repeat returns it instead of a second one.",
            )
        ],
        responses={
            201: SessionLogOutputSerializer,
            200: OpenApiResponse(SessionLogOutputSerializer, "Already logged with this key."),
            400: OpenApiResponse(description="Invalid, or the program takes no log today."),
            404: OpenApiResponse(description="Not one of her programs."),
        },
    )  # fmt: skip
    def post(self, request: Request, program_id: int) -> Response:
        patient = request.user
        if not isinstance(patient, User) or not patient.is_patient:
            raise exceptions.NotFound()
        if not patient_programs(patient=patient).filter(pk=program_id).exists():
            raise exceptions.NotFound()  # before reading the body: hers or 404, whatever sent
        data = SessionLogInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        key = request.headers.get("Idempotency-Key") or values.get("idempotency_key", "")
        if not key:
            raise exceptions.ValidationError(
                {"idempotency_key": ["Send an Idempotency-Key header or field."]}
            )
        try:
            log, created = session_log(
                patient=patient,
                program_id=program_id,
                items=[ItemReport(**item) for item in values["items"]],
                pain_before=values["pain_before"],
                pain_after=values["pain_after"],
                rpe=values.get("rpe"),
                comment=values["comment"],
                red_flags=values["red_flags"],
                idempotency_key=key,
                source=SessionLog.Source.API,
            )
        except DjangoValidationError as exc:
            detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            raise exceptions.ValidationError(detail) from exc
        body = SessionLogOutputSerializer(log).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


urlpatterns = [
    path(
        "programs/<db_id:program_id>/sessions/",
        ProgramSessionCreate.as_view(),
        name="program_sessions",
    ),
]
