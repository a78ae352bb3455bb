"""The exercises API, included under /api/v1/ by practice/api/urls.py (docs/architecture.md).

- ``GET exercises/``: the public library (anyone), ``?kind=`` and ``?region=`` filter it.
- ``GET programs/``: a patient's own programs; a therapist's patients' (``?patient=<id>``).
- ``GET programs/<id>/``: one of them; anyone else's is 404. A therapist's reads are audited
  by the selectors.
- ``POST programs/<id>/sessions/``: log a session, idempotent (``exercises.session_apis``).
"""

from typing import Any

from django.http import Http404
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions

from exercises import session_apis
from exercises.models import BodyRegion, Exercise, ExerciseKind, Program
from exercises.selectors import exercise_public_queryset, program_get, program_list
from exercises.serializers import ExerciseSerializer, ProgramSerializer
from practice.core.converters import database_id_parse


class ExerciseListView(generics.ListAPIView[Exercise]):
    """Public exercises with their steps, pictures and default dose, by name."""

    serializer_class = ExerciseSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", enum=ExerciseKind.values, required=False),
            OpenApiParameter("region", enum=BodyRegion.values, required=False),
        ]
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        kind = self.request.query_params.get("kind", "")
        region = self.request.query_params.get("region", "")
        if kind and kind not in ExerciseKind.values:
            raise exceptions.ValidationError({"kind": ["Not a kind of exercise."]})
        if region and region not in BodyRegion.values:
            raise exceptions.ValidationError({"region": ["Not a body region."]})
        return exercise_public_queryset(kind=kind, region=region).prefetch_related(
            "images", "precaution_flags"
        )


class ProgramListView(generics.ListAPIView[Program]):
    """Home programs: the patient's own, or the therapist's patients' (newest first)."""

    serializer_class = ProgramSerializer

    @extend_schema(
        parameters=[OpenApiParameter("patient", int, required=False, description="Therapists.")]
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        patient = self.request.query_params.get("patient")
        if patient is not None and database_id_parse(patient) is None:
            raise exceptions.ValidationError({"patient": ["A patient id is a whole number."]})
        return program_list(
            user=self.request.user,  # type: ignore[arg-type]
            patient_id=int(patient) if patient else None,
            request=self.request._request,
        )


class ProgramDetailView(generics.RetrieveAPIView[Program]):
    """One home program with its exercises and doses."""

    serializer_class = ProgramSerializer

    def get_object(self) -> Program:
        try:
            return program_get(
                user=self.request.user,  # type: ignore[arg-type]
                program_id=self.kwargs["program_id"],
                request=self.request._request,
            )
        except Http404 as exc:
            raise exceptions.NotFound() from exc


urlpatterns: list[URLPattern | URLResolver] = [
    path("exercises/", ExerciseListView.as_view(), name="exercise-list"),
    path("programs/", ProgramListView.as_view(), name="program-list"),
    path("programs/<db_id:program_id>/", ProgramDetailView.as_view(), name="program-detail"),
    *session_apis.urlpatterns,
]
