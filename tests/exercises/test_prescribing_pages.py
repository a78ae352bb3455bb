"""Prescribing from the therapist's pages: a template copied, doses per item, warnings
acknowledged with a reason, a revision the patient sees."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from exercises.models import Condition, PrecautionAcknowledgement, Program
from exercises.prescribing import patient_condition_add, template_create
from practice.accounts.models import User
from tests.exercises.helpers import exercise_make, item_of

pytestmark = pytest.mark.django_db


def item_fields(n: int, exercise_id: int | str, **dose: Any) -> dict[str, Any]:
    values = {
        "exercise": exercise_id,
        "sets": 2,
        "reps": 10,
        "rest_seconds": 60,
        "side": "none",
        "times_per_day": 1,
        "days_per_week": 3,
        "rpe_target": 6,
        "rpe_scale": "cr10",
        **dose,
    }
    return {f"items-{n}-{k}": v for k, v in values.items()}


def program_post(*items: dict[str, Any], **fields: Any) -> dict[str, Any]:
    data = {
        "title": "Wake up your glutes",
        "start_date": timezone.localdate().isoformat(),
        "weeks": "4",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        **item_fields(len(items), ""),  # a spare row left empty
    }
    for item in items:
        data.update(item)
    data.update(fields)
    return data


def test_a_template_fills_the_form_and_the_program_is_prescribed(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    bridge = exercise_make(name="Glute bridge")
    template = template_create(
        owner=therapist.therapist_profile, name="Glutes", weeks=6, items=[item_of(bridge)]
    )
    url = f"/programs/patients/{patient.pk}/new/"
    page = therapist_client.get(url, {"template": template.pk}).content.decode()
    assert 'value="Glutes"' in page
    assert f'<option value="{bridge.pk}" selected>Glute bridge</option>' in page
    response = therapist_client.post(
        url, program_post(item_fields(0, bridge.pk, reps=12)), follow=True
    )
    program = Program.objects.get(patient=patient)
    assert response.redirect_chain[-1][0] == f"/programs/{program.pk}/"
    assert program.end_date == program.start_date + timedelta(days=27)
    assert program.items.get().reps == 12
    mine = patient_client.get(f"/programs/{program.pk}/").content.decode()
    assert "2 sets of 12 repetitions, once a day, 3 days a week for 4 weeks." in mine


def test_missing_item_13_fields_and_bad_dates_are_shown_by_their_fields(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    bridge = exercise_make()
    url = f"/programs/patients/{patient.pk}/new/"
    response = therapist_client.post(
        url,
        program_post(item_fields(0, bridge.pk, rest_seconds="", rpe_target=""), weeks=""),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Give the rest between sets" in html
    assert "Give an effort target or a load note" in html
    assert not Program.objects.exists()
    no_end = therapist_client.post(url, program_post(item_fields(0, bridge.pk), weeks=""))
    assert "Give the last day or the number of weeks." in no_end.content.decode()
    empty = therapist_client.post(url, program_post())
    assert "Add at least one exercise." in empty.content.decode()


def test_more_rows_adds_rows_without_saving(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    bridge = exercise_make()
    response = therapist_client.post(
        f"/programs/patients/{patient.pk}/new/",
        program_post(item_fields(0, bridge.pk), more="1"),
    )
    assert response.content.decode().count("<legend>Exercise ") == 4
    assert not Program.objects.exists()


def test_a_flagged_exercise_asks_for_a_reason_then_records_it(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    patient_condition_add(
        therapist=therapist.therapist_profile,
        patient=patient,
        condition=Condition.objects.get(code="osteoporosis"),
    )
    lift = exercise_make(name="Basket lift", flags=("BEND_TWIST_LIFT",))
    url = f"/programs/patients/{patient.pk}/new/"
    first = therapist_client.post(url, program_post(item_fields(0, lift.pk))).content.decode()
    assert "Some exercises need your acknowledgement" in first
    assert "Basket lift involves bending and twisting while lifting; she has osteoporosis." in first
    assert f'name="reason-{lift.pk}"' in first
    assert not Program.objects.exists()
    data = program_post(item_fields(0, lift.pk), **{f"reason-{lift.pk}": "Taught in clinic."})
    therapist_client.post(url, data)
    ack = PrecautionAcknowledgement.objects.get()
    assert (ack.reason, ack.flag.code, ack.condition.code) == (
        "Taught in clinic.",
        "BEND_TWIST_LIFT",
        "osteoporosis",
    )
    detail = therapist_client.get(f"/programs/{ack.program_id}/").content.decode()
    assert "Reason: Taught in clinic." in detail


def test_a_revision_from_the_page_is_kept_with_its_note(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    from tests.exercises.helpers import program_make

    program = program_make(therapist=therapist, patient=patient)
    item = program.items.get()
    page = therapist_client.get(f"/programs/{program.pk}/revise/").content.decode()
    assert f'<option value="{item.exercise_id}" selected>' in page
    data = program_post(
        item_fields(0, item.exercise_id, reps=8),
        title=program.title,
        start_date=program.start_date.isoformat(),
        weeks="",
        end_date=program.end_date.isoformat(),
        summary="Fewer repetitions while your knee settles",
    )
    therapist_client.post(f"/programs/{program.pk}/revise/", data)
    program.refresh_from_db()
    assert program.revision == 2
    html = therapist_client.get(f"/programs/{program.pk}/").content.decode()
    assert "Fewer repetitions while your knee settles" in html
    assert "2 sets of 8 repetitions" in html
    hers = patient_client.get(f"/programs/{program.pk}/").content.decode()
    assert "Changed on" in hers
    assert "History" not in hers  # the history is the therapist's


@pytest.mark.parametrize("value", ["99999999999999999999999", "²"])
def test_an_odd_template_id_or_reason_key_is_ignored_not_a_500(
    patient: User, therapist_client: Client, value: str
) -> None:
    url = f"/programs/patients/{patient.pk}/new/"
    assert therapist_client.get(url, {"template": value}).status_code == 200
    bridge = exercise_make(name="Glute bridge")
    response = therapist_client.post(
        url, {**program_post(item_fields(0, bridge.pk)), f"reason-{value}": "x"}
    )
    assert response.status_code in (200, 302)
