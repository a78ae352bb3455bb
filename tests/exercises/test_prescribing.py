"""Templates and prescriptions: copies, revisions with history, dates, precautions."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from exercises.dosage import Dose
from exercises.models import Condition, PrecautionAcknowledgement, ProgramRevision
from exercises.prescribing import (
    AcknowledgementNeeded,
    patient_condition_add,
    program_assign,
    program_end,
    program_revise,
    template_create,
    template_duplicate,
    template_items,
    template_update,
)
from exercises.schedule import patient_today
from practice.accounts.models import User
from practice.audit.models import AuditEvent
from tests.exercises.helpers import exercise_make, item_of, program_make

pytestmark = pytest.mark.django_db


def test_a_prescription_is_a_copy_template_edits_do_not_reach_it(
    therapist: User, patient: User
) -> None:
    stretch = exercise_make(
        name="Lunge hip-flexor stretch",
        kind="static_stretch",
        sets=1,
        reps=3,
        hold_seconds=15,
        side="both",
    )
    template = template_create(
        owner=therapist.therapist_profile,
        name="Hip flexor release",
        items=[item_of(stretch)],
        weeks=4,
    )
    program = program_assign(
        therapist=therapist.therapist_profile,
        patient=patient,
        title=template.name,
        start_date=timezone.localdate(),
        weeks=4,
        template=template,
        items=template_items(template=template),
    )
    template_update(
        template=template, name="Changed", weeks=2, items=[item_of(stretch, hold_seconds=45)]
    )
    stretch.hold_seconds = 99
    stretch.save()
    item = program.items.get()
    assert Dose.of(item).hold_seconds == 15
    assert program.end_date == program.start_date + timedelta(days=27)
    assert program.revisions.get().summary == "Prescribed from the template 'Hip flexor release'"


def test_a_prescription_needs_every_item_13_field(therapist: User, patient: User) -> None:
    bridge = exercise_make(rest_seconds=None, rpe_target=None)
    with pytest.raises(ValidationError) as info:
        program_assign(
            therapist=therapist.therapist_profile,
            patient=patient,
            title="x",
            start_date=timezone.localdate(),
            weeks=1,
            items=[item_of(bridge, rest_seconds=None, load_note="")],
        )
    text = " ".join(info.value.messages)
    assert "Give the rest" in text
    assert "effort target or a load note" in text


def test_only_her_own_therapist_prescribes(other_therapist: User, patient: User) -> None:
    with pytest.raises(ValidationError, match="not one of your patients"):
        program_make(therapist=other_therapist, patient=patient)


@pytest.mark.parametrize(
    ("end", "weeks", "message"),
    [
        (None, None, "last day or the number of weeks"),
        (-1, None, "cannot be before"),
        (None, 53, "1 to 52 weeks"),
        (400, None, "at most 52 weeks"),
        (10, 1, "disagree"),
    ],
)
def test_program_dates(end: int | None, weeks: int | None, message: str) -> None:
    start = timezone.localdate()
    with pytest.raises(ValidationError, match=message):
        program_end(
            start_date=start,
            end_date=start + timedelta(days=end) if end is not None else None,
            weeks=weeks,
        )
    assert program_end(start_date=start, end_date=None, weeks=2) == start + timedelta(days=13)


def test_a_revision_keeps_history_and_tells_her_when(
    therapist: User, patient: User, patient_client: "object"
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    item = program.items.get()
    revised = program_revise(
        therapist=therapist.therapist_profile,
        program=program,
        title=program.title,
        start_date=program.start_date,
        end_date=program.end_date,
        items=[item_of(item.exercise, reps=12)],
        summary="Two more repetitions",
    )
    assert revised.revision == 2
    versions = list(ProgramRevision.objects.filter(program=program).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].snapshot["items"][0]["dose"]["reps"] == 10
    assert versions[1].snapshot["items"][0]["dose"]["reps"] == 12
    assert "12 repetitions" in versions[1].snapshot["items"][0]["dose_text"]
    html = patient_client.get(f"/programs/{program.pk}/").content.decode()  # type: ignore[attr-defined]
    her_today = patient_today(patient_id=patient.pk)  # the page speaks her zone's calendar
    assert f"Changed on {her_today:%-d %B %Y}: Two more repetitions." in html
    assert AuditEvent.objects.filter(action="update", patient_id=patient.pk).exists()


def test_a_flagged_exercise_needs_an_acknowledgement_with_a_reason(
    therapist: User, patient: User
) -> None:
    fracture = Condition.objects.get(code="vertebral_fracture")
    patient_condition_add(
        therapist=therapist.therapist_profile, patient=patient, condition=fracture
    )
    lift = exercise_make(name="Sit to stand with weight", flags=("FLEXION_LOADED",))
    with pytest.raises(AcknowledgementNeeded) as info:
        program_make(therapist=therapist, patient=patient, exercises=[lift])
    assert [c.flag.code for c in info.value.conflicts] == ["FLEXION_LOADED"]
    assert "Sit to stand with weight involves loaded spinal flexion" in info.value.messages[0]
    with pytest.raises(AcknowledgementNeeded):
        program_make(
            therapist=therapist, patient=patient, exercises=[lift], reasons={lift.pk: "   "}
        )
    program = program_make(
        therapist=therapist,
        patient=patient,
        exercises=[lift],
        reasons={lift.pk: "Hip hinge taught in clinic, light load."},
    )
    ack = PrecautionAcknowledgement.objects.get(program=program)
    assert (ack.reason, ack.acknowledged_by, ack.revision) == (
        "Hip hinge taught in clinic, light load.",
        therapist,
        1,
    )
    assert AuditEvent.objects.filter(
        object_type="exercises.precautionacknowledgement",
        object_id=str(ack.pk),
        patient_id=patient.pk,
    ).exists()
    # A revision keeping the same exercise needs no new acknowledgement.
    program_revise(
        therapist=therapist.therapist_profile,
        program=program,
        title="Again",
        start_date=program.start_date,
        end_date=program.end_date,
        items=[item_of(lift, reps=8)],
    )


def test_a_vertebral_fracture_rules_out_impact(therapist: User, patient: User) -> None:
    patient_condition_add(
        therapist=therapist.therapist_profile,
        patient=patient,
        condition=Condition.objects.get(code="vertebral_fracture"),
    )
    hops = exercise_make(name="Heel drops", flags=("IMPACT_MODERATE",))
    with pytest.raises(ValidationError, match="ruled out for osteoporosis with a spine"):
        program_make(
            therapist=therapist, patient=patient, exercises=[hops], reasons={hops.pk: "She insists"}
        )


def test_no_condition_no_warning(therapist: User, patient: User) -> None:
    lift = exercise_make(flags=("FLEXION_LOADED", "IMPACT_HIGH"))
    assert program_make(therapist=therapist, patient=patient, exercises=[lift]).pk


def test_a_template_duplicates_with_its_items(therapist: User) -> None:
    bridge, clam = exercise_make(name="Bridge"), exercise_make(name="Clam")
    template = template_create(
        owner=therapist.therapist_profile,
        name="Glutes",
        items=[item_of(bridge), item_of(clam, reps=12)],
    )
    copy = template_duplicate(template=template, owner=therapist.therapist_profile)
    assert copy.name == "Glutes (copy)"
    assert [(i.exercise.name, i.dose.reps) for i in template_items(template=copy)] == [
        ("Bridge", 10),
        ("Clam", 12),
    ]
