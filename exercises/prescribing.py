"""Templates and prescriptions: the therapist's writes on home programs.

- A prescription is a copy: ``program_assign`` copies each item's exercise and dose, so later
  edits to a template or an exercise's default dose never change a program already assigned.
- ``program_revise`` changes a program in place, keeps every version in ``ProgramRevision``
  (with what changed) and moves ``changed_at``, which the patient sees ("changed on").
- Precautions (CLINICAL.md rules 9 and 10): an exercise whose flag one of her conditions
  rules out cannot be prescribed; one whose flag a condition warns about needs the
  therapist's acknowledgement with a reason, stored and audited.

Every write on a patient's program is audited. Validation raises ``ValidationError``;
``AcknowledgementNeeded`` (a ``ValidationError``) lists the warnings still to acknowledge.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from exercises.dosage import Dose, dose_advice, dose_text, dose_validate
from exercises.models import (
    Condition,
    ConditionPrecaution,
    Exercise,
    PatientCondition,
    PrecautionAcknowledgement,
    PrecautionFlag,
    Program,
    ProgramItem,
    ProgramRevision,
    ProgramTemplate,
    TemplateItem,
)
from exercises.monitor_version import monitor_changed
from exercises.reminders import program_days_refresh_on_commit
from practice.accounts.models import PatientProfile, TherapistProfile, User
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

#: More exercises than this in one program is a note for the therapist (Bachmann 2018;
#: CLINICAL.md rule 14).
ITEMS_ADVISED_MAX = 4
#: The longest a program may run (CLINICAL.md rule 2: 1-52 weeks).
WEEKS_MAX = 52


@dataclass(frozen=True)
class ItemInput:
    """One exercise of a template or program with its dose, as the therapist set it."""

    exercise: Exercise
    dose: Dose
    note: str = ""


@dataclass(frozen=True)
class PrecautionConflict:
    """An exercise with a flag that one of her conditions makes risky."""

    exercise: Exercise
    flag: PrecautionFlag
    condition: Condition
    action: str  # ConditionPrecaution.Action

    @property
    def blocked(self) -> bool:
        return self.action == ConditionPrecaution.Action.BLOCK

    def __str__(self) -> str:
        if self.blocked:
            return (
                f"{self.exercise.name} involves {self.flag.name.lower()}, which is ruled out "
                f"for {self.condition.name.lower()}."
            )
        return (
            f"{self.exercise.name} involves {self.flag.name.lower()}; she has "
            f"{self.condition.name.lower()}."
        )


class AcknowledgementNeeded(ValidationError):
    """Warnings to acknowledge, each with a reason, before the program can be saved."""

    def __init__(self, conflicts: list[PrecautionConflict]) -> None:
        self.conflicts = conflicts
        super().__init__([str(c) for c in conflicts])


# -- precautions ---------------------------------------------------------------------------


def precaution_conflicts(
    *, patient: User, exercises: Iterable[Exercise]
) -> list[PrecautionConflict]:
    """Each (exercise, flag, condition) where her conditions make one of the exercises'
    flags risky, blocked ones first. Two queries."""
    by_id = {e.pk: e for e in exercises}
    if not by_id:
        return []
    rules: dict[int, list[ConditionPrecaution]] = {}
    for rule in ConditionPrecaution.objects.filter(
        condition__patients__patient=patient
    ).select_related("condition", "flag"):
        rules.setdefault(rule.flag_id, []).append(rule)
    conflicts = []
    through = Exercise.precaution_flags.through.objects.filter(exercise_id__in=list(by_id))
    for exercise_id, flag_id in through.values_list("exercise_id", "precautionflag_id"):
        for rule in rules.get(flag_id, []):
            conflicts.append(
                PrecautionConflict(
                    exercise=by_id[exercise_id],
                    flag=rule.flag,
                    condition=rule.condition,
                    action=rule.action,
                )
            )
    return sorted(conflicts, key=lambda c: (not c.blocked, c.exercise.name, c.flag.name))


def _precautions_check(
    *,
    patient: User,
    items: list[ItemInput],
    reasons: Mapping[int, str],
    program: Program | None,
) -> list[PrecautionConflict]:
    """The warnings these items raise, each acknowledged (``reasons`` by exercise id) unless
    this program already holds an acknowledgement for the same exercise, flag and condition.
    Raises ``ValidationError`` for a blocked exercise, ``AcknowledgementNeeded`` otherwise."""
    conflicts = precaution_conflicts(patient=patient, exercises=[i.exercise for i in items])
    blocked = [c for c in conflicts if c.blocked]
    if blocked:
        raise ValidationError([str(c) for c in blocked])
    done: set[tuple[int, int, int]] = set()
    if program is not None:
        done = set(program.acknowledgements.values_list("exercise_id", "flag_id", "condition_id"))
    to_record = [c for c in conflicts if (c.exercise.pk, c.flag.pk, c.condition.pk) not in done]
    missing = [c for c in to_record if not reasons.get(c.exercise.pk, "").strip()]
    if missing:
        raise AcknowledgementNeeded(missing)
    return to_record


def _acknowledgements_record(
    *,
    program: Program,
    conflicts: list[PrecautionConflict],
    reasons: Mapping[int, str],
    therapist: TherapistProfile,
    request: HttpRequest | None,
) -> None:
    for conflict in conflicts:
        ack = PrecautionAcknowledgement.objects.create(
            program=program,
            revision=program.revision,
            exercise=conflict.exercise,
            flag=conflict.flag,
            condition=conflict.condition,
            reason=reasons[conflict.exercise.pk].strip(),
            acknowledged_by=therapist.user,
        )
        audit_record(
            actor=therapist.user,
            patient=program.patient,
            action=AuditEvent.Action.CREATE,
            obj=ack,
            summary=f"Acknowledged a precaution: {conflict}"[:255],
            request=request,
        )


# -- advice --------------------------------------------------------------------------------


def program_advice(*, items: list[ItemInput], condition_codes: Iterable[str] = ()) -> list[str]:
    """Notes for the therapist on a program that are not errors (dose notes per exercise,
    more than ``ITEMS_ADVISED_MAX`` exercises)."""
    codes = set(condition_codes)
    notes = []
    if len(items) > ITEMS_ADVISED_MAX:
        notes.append(
            f"This program has {len(items)} exercises; fewer than {ITEMS_ADVISED_MAX + 1} "
            "helps patients keep to it (Bachmann 2018)."
        )
    for item in items:
        for note in dose_advice(item.dose, kind=item.exercise.kind, condition_codes=codes):
            notes.append(f"{item.exercise.name}: {note}")
    return notes


# -- templates -----------------------------------------------------------------------------


def _items_validate(items: list[ItemInput], *, prescription: bool) -> None:
    if not items:
        raise ValidationError("Add at least one exercise.")
    errors: list[str] = []
    for n, item in enumerate(items, start=1):
        try:
            dose_validate(item.dose, prescription=prescription)
        except ValidationError as exc:
            for messages in exc.message_dict.values():
                errors.extend(f"Exercise {n} ({item.exercise.name}): {m}" for m in messages)
    if errors:
        raise ValidationError(errors)


def _template_items_write(template: ProgramTemplate, items: list[ItemInput]) -> None:
    template.items.all().delete()
    TemplateItem.objects.bulk_create(
        TemplateItem(
            template=template,
            exercise=item.exercise,
            position=n,
            note=item.note,
            **item.dose.as_fields(),
        )
        for n, item in enumerate(items)
    )


def template_create(
    *,
    owner: TherapistProfile | None,
    name: str,
    items: list[ItemInput],
    description: str = "",
    weeks: int = 4,
) -> ProgramTemplate:
    """A reusable program. Raises ``ValidationError`` (no items, a dose out of bounds)."""
    _items_validate(items, prescription=False)
    with transaction.atomic():
        template = ProgramTemplate(owner=owner, name=name, description=description, weeks=weeks)
        template.full_clean()
        template.save()
        _template_items_write(template, items)
    return template


def template_update(
    *,
    template: ProgramTemplate,
    name: str,
    items: list[ItemInput],
    description: str = "",
    weeks: int = 4,
) -> ProgramTemplate:
    """Change a template. Programs already prescribed from it do not change."""
    _items_validate(items, prescription=False)
    with transaction.atomic():
        template.name, template.description, template.weeks = name, description, weeks
        template.updated_at = timezone.now()
        template.full_clean()
        template.save()
        _template_items_write(template, items)
    return template


def _item_inputs(rows: QuerySet[TemplateItem] | QuerySet[ProgramItem]) -> list[ItemInput]:
    """A template's or a program's items as inputs to write again, in their order."""
    return [
        ItemInput(exercise=i.exercise, dose=Dose.of(i), note=i.note)
        for i in rows.select_related("exercise").order_by("position", "pk")
    ]


def template_items(*, template: ProgramTemplate) -> list[ItemInput]:
    return _item_inputs(template.items.all())


def template_duplicate(*, template: ProgramTemplate, owner: TherapistProfile) -> ProgramTemplate:
    """A copy named "<name> (copy)" with the same items and doses."""
    return template_create(
        owner=owner,
        name=f"{template.name} (copy)"[:150],
        description=template.description,
        weeks=template.weeks,
        items=template_items(template=template),
    )


# -- prescriptions -------------------------------------------------------------------------


def program_end(*, start_date: date, end_date: date | None, weeks: int | None) -> date:
    """The last day: ``end_date`` as given, or the last day of ``weeks`` weeks from the
    start. Raises ``ValidationError`` when neither is given, both disagree, the end is
    before the start, or the program would run longer than ``WEEKS_MAX`` weeks."""
    if end_date is None and weeks is None:
        raise ValidationError({"end_date": "Give the last day or the number of weeks."})
    if weeks is not None and not 1 <= weeks <= WEEKS_MAX:
        raise ValidationError({"weeks": f"A program runs 1 to {WEEKS_MAX} weeks."})
    by_weeks = start_date + timedelta(days=7 * weeks - 1) if weeks is not None else None
    if end_date is not None and by_weeks is not None and end_date != by_weeks:
        raise ValidationError(
            {"end_date": "The last day and the number of weeks disagree: give one of them."}
        )
    end = end_date or by_weeks
    assert end is not None
    if end < start_date:
        raise ValidationError({"end_date": "The last day cannot be before the first day."})
    if (end - start_date).days + 1 > 7 * WEEKS_MAX:
        raise ValidationError({"end_date": f"A program runs at most {WEEKS_MAX} weeks."})
    return end


def _patient_of(therapist: TherapistProfile, patient: User) -> None:
    if not PatientProfile.objects.filter(user=patient, therapist=therapist).exists():
        raise ValidationError("She is not one of your patients.")


def _snapshot(program: Program) -> dict[str, object]:
    items = program.items.select_related("exercise").order_by("position", "pk")
    return {
        "title": program.title,
        "instructions": program.instructions,
        "start_date": program.start_date.isoformat(),
        "end_date": program.end_date.isoformat(),
        "items": [
            {
                "exercise_id": i.exercise_id,
                "slug": i.exercise.slug,
                "name": i.exercise.name,
                "dose": Dose.of(i).as_fields(),
                "dose_text": dose_text(Dose.of(i), weeks=program.weeks),
                "note": i.note,
            }
            for i in items
        ],
    }


def _program_items_write(program: Program, items: list[ItemInput]) -> None:
    """Replace the program's items, then (on commit) its prescribed days, her reminder chain
    and the therapist's daily check: an explicit call, since bulk writes send no signals."""
    program.items.all().delete()
    ProgramItem.objects.bulk_create(
        ProgramItem(
            program=program,
            exercise=item.exercise,
            position=n,
            note=item.note,
            **item.dose.as_fields(),
        )
        for n, item in enumerate(items)
    )
    monitor_changed(patient_id=program.patient_id)  # a program prescribed or revised
    program_days_refresh_on_commit(program_id=program.pk)


def _prescription_validate(
    *, title: str, start_date: date, end_date: date | None, weeks: int | None,
    items: list[ItemInput],
) -> date:  # fmt: skip
    """The checks a prescription and its revision share; returns the last day (see
    ``program_end``). Raises ``ValidationError``."""
    end = program_end(start_date=start_date, end_date=end_date, weeks=weeks)
    if not title.strip():
        raise ValidationError({"title": "Give the program a title she will recognise."})
    _items_validate(items, prescription=True)
    return end


def _version_write(
    *,
    program: Program,
    items: list[ItemInput],
    therapist: TherapistProfile,
    at: datetime,
    summary: str,
    conflicts: list[PrecautionConflict],
    reasons: Mapping[int, str],
    action: str,
    audit_summary: str,
    request: HttpRequest | None,
) -> None:
    """Write a saved program's version ``program.revision``: its items, the revision kept in
    the history (``summary``), the acknowledged warnings, and the audit record."""
    _program_items_write(program, items)
    ProgramRevision.objects.create(
        program=program,
        number=program.revision,
        created_at=at,
        created_by=therapist.user,
        summary=summary,
        snapshot=_snapshot(program),
    )
    _acknowledgements_record(
        program=program, conflicts=conflicts, reasons=reasons, therapist=therapist,
        request=request,
    )  # fmt: skip
    audit_record(
        actor=therapist.user,
        patient=program.patient,
        action=action,
        obj=program,
        summary=audit_summary,
        request=request,
    )


def program_assign(
    *,
    therapist: TherapistProfile,
    patient: User,
    title: str,
    start_date: date,
    items: list[ItemInput],
    end_date: date | None = None,
    weeks: int | None = None,
    instructions: str = "",
    template: ProgramTemplate | None = None,
    reasons: Mapping[int, str] | None = None,
    request: HttpRequest | None = None,
) -> Program:
    """Prescribe a program to one of the therapist's patients: a copy of ``items`` (from a
    template or built by hand), from ``start_date`` to ``end_date`` or for ``weeks`` weeks
    (her local days, inclusive). ``reasons`` acknowledges warnings, by exercise id.

    Raises ``ValidationError`` (not her patient, dates, an item-13 field missing or out of
    bounds, a blocked exercise) or ``AcknowledgementNeeded``. Audited.
    """
    _patient_of(therapist, patient)
    end = _prescription_validate(
        title=title, start_date=start_date, end_date=end_date, weeks=weeks, items=items
    )
    reasons = reasons or {}
    with transaction.atomic():
        conflicts = _precautions_check(patient=patient, items=items, reasons=reasons, program=None)
        now = timezone.now()
        program = Program.objects.create(
            patient=patient,
            therapist=therapist,
            title=title.strip(),
            instructions=instructions,
            start_date=start_date,
            end_date=end,
            template=template,
            revision=1,
            created_at=now,
            changed_at=now,
        )
        _version_write(
            program=program,
            items=items,
            therapist=therapist,
            at=now,
            summary="Prescribed" + (f" from the template {template.name!r}" if template else ""),
            conflicts=conflicts,
            reasons=reasons,
            action=AuditEvent.Action.CREATE,
            audit_summary=f"Prescribed the home program {program.title!r}",
            request=request,
        )
    return program


def program_revise(
    *,
    therapist: TherapistProfile,
    program: Program,
    title: str,
    start_date: date,
    items: list[ItemInput],
    end_date: date | None = None,
    weeks: int | None = None,
    instructions: str = "",
    summary: str = "",
    reasons: Mapping[int, str] | None = None,
    request: HttpRequest | None = None,
) -> Program:
    """Revise a prescription in place as a new version (history kept; she sees "changed
    on"). Same checks as ``program_assign``; warnings acknowledged on an earlier version of
    this program need no new acknowledgement. Audited."""
    if program.therapist_id != therapist.pk:
        _patient_of(therapist, program.patient)
    end = _prescription_validate(
        title=title, start_date=start_date, end_date=end_date, weeks=weeks, items=items
    )
    reasons = reasons or {}
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        conflicts = _precautions_check(
            patient=program.patient, items=items, reasons=reasons, program=program
        )
        now = timezone.now()
        program.title, program.instructions = title.strip(), instructions
        program.start_date, program.end_date = start_date, end
        program.revision += 1
        program.changed_at = now
        program.save()
        _version_write(
            program=program,
            items=items,
            therapist=therapist,
            at=now,
            summary=summary.strip() or "Program updated",
            conflicts=conflicts,
            reasons=reasons,
            action=AuditEvent.Action.UPDATE,
            audit_summary=(
                f"Revised the home program {program.title!r} (version {program.revision})"
            ),
            request=request,
        )
    return program


def program_items(*, program: Program) -> list[ItemInput]:
    return _item_inputs(program.items.all())


def program_save_as_template(*, program: Program, owner: TherapistProfile) -> ProgramTemplate:
    """Duplicate a prescription as a new template (nothing of the patient is copied but the
    exercises and doses)."""
    return template_create(
        owner=owner,
        name=f"{program.title} (from a program)"[:150],
        weeks=program.weeks,
        items=program_items(program=program),
    )


# -- conditions ----------------------------------------------------------------------------


def patient_condition_add(
    *,
    therapist: TherapistProfile,
    patient: User,
    condition: Condition,
    note: str = "",
    request: HttpRequest | None = None,
) -> PatientCondition:
    """Record a condition on one of her patients. Audited."""
    _patient_of(therapist, patient)
    with transaction.atomic():
        record, created = PatientCondition.objects.get_or_create(
            patient=patient,
            condition=condition,
            defaults={"note": note, "added_by": therapist.user},
        )
        if created:
            audit_record(
                actor=therapist.user,
                patient=patient,
                action=AuditEvent.Action.CREATE,
                obj=record,
                summary=f"Recorded the condition {condition.name!r}",
                request=request,
            )
    return record


def patient_condition_remove(
    *,
    therapist: TherapistProfile,
    patient: User,
    condition_id: int,
    request: HttpRequest | None = None,
) -> None:
    _patient_of(therapist, patient)
    with transaction.atomic():
        record = PatientCondition.objects.filter(patient=patient, condition_id=condition_id).first()
        if record is None:
            return
        audit_record(
            actor=therapist.user,
            patient=patient,
            action=AuditEvent.Action.DELETE,
            obj=record,
            summary=f"Removed the condition {record.condition.name!r}",
            request=request,
        )
        record.delete()
