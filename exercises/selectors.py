"""Reads of the exercise library and of prescriptions.

The library's public part is for everyone; the whole library is for therapists. A program
is health information: the patient herself and her own therapist read it, anyone else gets
``Http404``; a therapist's read is audited here, never in each view.
"""

from collections.abc import Collection
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest

from exercises.dosage import Dose, dose_text
from exercises.models import (
    Condition,
    ConditionPrecaution,
    Exercise,
    ExerciseImage,
    PatientCondition,
    PrecautionFlag,
    Program,
    ProgramItem,
    ProgramTemplate,
    TemplateItem,
)
from practice.accounts.models import TherapistProfile, User
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

# -- the public library --------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseCard:
    """What an article embed or a list shows of a public exercise (contract C3).

    ``url`` is the public page; ``image_url``/``image_alt`` are "" when it has no picture;
    ``dose_text`` is the default dose in plain words.
    """

    slug: str
    name: str
    url: str
    image_url: str
    image_alt: str
    dose_text: str
    summary: str = ""


def _first_image(field: str) -> Subquery:
    return Subquery(
        ExerciseImage.objects.filter(exercise=OuterRef("pk"))
        .order_by("position", "pk")
        .values(field)[:1]
    )


def _card(exercise: Exercise) -> ExerciseCard:
    path = getattr(exercise, "first_image", "") or ""
    return ExerciseCard(
        slug=exercise.slug,
        name=exercise.name,
        url=exercise.get_absolute_url(),
        image_url=default_storage.url(path) if path else "",
        image_alt=(getattr(exercise, "first_image_alt", "") or "") if path else "",
        dose_text=dose_text(Dose.of(exercise)),
        summary=exercise.summary,
    )


def _with_region(exercises: QuerySet[Exercise], region: str) -> QuerySet[Exercise]:
    if connection.features.supports_json_field_contains:
        return exercises.filter(body_regions__contains=[region])
    # SQLite (the no-configuration default) cannot look inside JSON lists.
    ids = [pk for pk, regions in exercises.values_list("pk", "body_regions") if region in regions]
    return exercises.filter(pk__in=ids)


def exercise_public_queryset(
    *, query: str = "", kind: str = "", region: str = ""
) -> QuerySet[Exercise]:
    """Public exercises filtered by a text ``query`` (name or summary), an ``ExerciseKind``
    and a ``BodyRegion`` value (unknown values match nothing), by name."""
    exercises = Exercise.objects.filter(is_public=True)
    if query.strip():
        words = query.strip()
        exercises = exercises.filter(Q(name__icontains=words) | Q(summary__icontains=words))
    if kind:
        exercises = exercises.filter(kind=kind)
    if region:
        exercises = _with_region(exercises, region)
    return exercises.order_by("name")


def exercise_public_list(
    *, query: str = "", kind: str = "", region: str = ""
) -> list[ExerciseCard]:
    """Public exercises as cards (filters as ``exercise_public_queryset``). One query."""
    exercises = exercise_public_queryset(query=query, kind=kind, region=region)
    annotated = exercises.annotate(
        first_image=_first_image("image"), first_image_alt=_first_image("alt_text")
    )
    return [_card(e) for e in annotated]


def exercise_cards(*, slugs: Collection[str]) -> dict[str, ExerciseCard]:
    """Cards for the public exercises among ``slugs``, by slug (contract C3). One query.

    A slug missing from the result is unknown or private.
    """
    if not slugs:
        return {}
    exercises = Exercise.objects.filter(is_public=True, slug__in=list(slugs)).annotate(
        first_image=_first_image("image"), first_image_alt=_first_image("alt_text")
    )
    return {e.slug: _card(e) for e in exercises}


def _exercise_full() -> QuerySet[Exercise]:
    return Exercise.objects.prefetch_related(
        "images",
        "precaution_flags",
        Prefetch("progressions", queryset=Exercise.objects.order_by("name")),
        Prefetch("regressions", queryset=Exercise.objects.order_by("name")),
    )


def exercise_public_get(*, slug: str) -> Exercise:
    """A public exercise with its images, flags and links; private or unknown: ``Http404``.

    Its ``public_progressions``/``public_regressions`` list only public exercises.
    """
    try:
        exercise = _exercise_full().get(slug=slug, is_public=True)
    except Exercise.DoesNotExist as exc:
        raise Http404("No such exercise.") from exc
    exercise.public_progressions = [e for e in exercise.progressions.all() if e.is_public]  # type: ignore[attr-defined]
    exercise.public_regressions = [e for e in exercise.regressions.all() if e.is_public]  # type: ignore[attr-defined]
    return exercise


# -- the whole library (therapists) --------------------------------------------------------


def exercise_list(*, query: str = "") -> QuerySet[Exercise]:
    """Every exercise in the practice's library, public or not, by name (therapists only)."""
    exercises = Exercise.objects.prefetch_related("precaution_flags").order_by("name")
    if query.strip():
        exercises = exercises.filter(
            Q(name__icontains=query.strip()) | Q(slug__icontains=query.strip())
        )
    return exercises


def exercise_get(*, exercise_id: int) -> Exercise:
    """Any exercise in the library with its images, flags and links, or ``Http404``."""
    try:
        return _exercise_full().get(pk=exercise_id)
    except Exercise.DoesNotExist as exc:
        raise Http404("No such exercise.") from exc


def flag_list() -> QuerySet[PrecautionFlag]:
    return PrecautionFlag.objects.order_by("name")


def condition_list() -> QuerySet[Condition]:
    """Every condition with its flags and their actions (``precaution_list``)."""
    return Condition.objects.prefetch_related(
        Prefetch(
            "precautions",
            queryset=ConditionPrecaution.objects.select_related("flag").order_by("flag__name"),
            to_attr="precaution_list",
        )
    ).order_by("name")


def template_list() -> QuerySet[ProgramTemplate]:
    """The practice's program templates with their items and exercises."""
    return ProgramTemplate.objects.prefetch_related(
        Prefetch("items", queryset=TemplateItem.objects.select_related("exercise"))
    ).order_by("name")


def template_get(*, template_id: int) -> ProgramTemplate:
    try:
        return template_list().get(pk=template_id)
    except ProgramTemplate.DoesNotExist as exc:
        raise Http404("No such template.") from exc


# -- prescriptions (patient data) ----------------------------------------------------------


def _programs() -> QuerySet[Program]:
    return Program.objects.select_related(
        "patient", "therapist", "therapist__user"
    ).prefetch_related(
        Prefetch(
            "items",
            queryset=ProgramItem.objects.select_related("exercise").prefetch_related(
                "exercise__images"
            ),
        )
    )


def _visible_to(user: User) -> Q:
    if user.is_authenticated and user.is_patient:
        return Q(patient=user)
    profile = TherapistProfile.objects.filter(user=user).first() if user.is_authenticated else None
    if profile is None:
        return Q(pk__in=[])
    return Q(patient__patient_profile__therapist=profile)


def program_list(
    *, user: User, patient_id: int | None = None, request: HttpRequest | None = None
) -> list[Program]:
    """Programs ``user`` may read, newest first: a patient's own; a therapist's patients'
    (``patient_id`` narrows to one of them). A therapist's read is audited."""
    programs = _programs().filter(_visible_to(user))
    if patient_id is not None:
        programs = programs.filter(patient_id=patient_id)
    result = list(programs.order_by("-start_date", "-pk"))
    if user.is_authenticated and user.is_therapist:
        patients = {p.patient for p in result}
        target = next(iter(patients)) if len(patients) == 1 else None
        audit_record(
            actor=user,
            patient=target,
            action=AuditEvent.Action.VIEW,
            summary=f"Viewed home programs ({len(result)})",
            request=request,
        )
    return result


def program_get(*, user: User, program_id: int, request: HttpRequest | None = None) -> Program:
    """One program the patient or her therapist reads, with items and revisions; anyone
    else: ``Http404``. A therapist's read is audited."""
    try:
        program = (
            _programs()
            .prefetch_related("revisions", "acknowledgements__flag", "acknowledgements__condition")
            .filter(_visible_to(user))
            .get(pk=program_id)
        )
    except Program.DoesNotExist as exc:
        raise Http404("No such program.") from exc
    if user.is_therapist:
        audit_record(
            actor=user,
            patient=program.patient,
            action=AuditEvent.Action.VIEW,
            obj=program,
            summary=f"Viewed the home program {program.title!r}",
            request=request,
        )
    return program


def patient_conditions(*, patient: User) -> list[PatientCondition]:
    """Her conditions with their flags (``condition.precaution_list``), read by her therapist
    inside an audited page (the caller has already checked the therapist is hers)."""
    return list(
        PatientCondition.objects.filter(patient=patient)
        .select_related("condition")
        .prefetch_related(
            Prefetch(
                "condition__precautions",
                queryset=ConditionPrecaution.objects.select_related("flag"),
                to_attr="precaution_list",
            )
        )
        .order_by("condition__name")
    )
