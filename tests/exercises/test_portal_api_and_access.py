"""``POST /api/v1/programs/<id>/sessions/`` and object-level permission on every portal URL:
another patient and another therapist get 404."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from openapi_spec_validator import validate

from exercises.models import PainFlag, Program, SessionLog
from exercises.pain import FlagKind
from practice.accounts.models import User
from tests.exercises.portal_helpers import days_ago, program_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(therapist: User, patient: User) -> Program:
    return program_make(therapist=therapist, patient=patient)


def api_url(program: Program) -> str:
    return f"/api/v1/programs/{program.pk}/sessions/"


def body(program: Program, **extra: object) -> str:
    items = [
        {"item_id": item.pk, "done": True, "feedback": "too_easy"} for item in program.items.all()
    ]
    return json.dumps({"items": items, "pain_before": 1, "pain_after": 2, "rpe": 4, **extra})


def test_logging_by_api_is_idempotent_with_the_header(
    patient_client: Client, program: Program
) -> None:
    first = patient_client.post(
        api_url(program),
        body(program),
        content_type="application/json",
        headers={"Idempotency-Key": "abc"},
    )
    again = patient_client.post(
        api_url(program),
        body(program),
        content_type="application/json",
        headers={"Idempotency-Key": "abc"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["items_done"] == 2
    assert SessionLog.objects.get().source == "api"


def test_the_key_may_come_as_a_field_and_is_required(
    patient_client: Client, program: Program
) -> None:
    missing = patient_client.post(api_url(program), body(program), content_type="application/json")
    assert missing.status_code == 400
    assert "idempotency_key" in missing.json()["error"]["fields"]
    ok = patient_client.post(
        api_url(program), body(program, idempotency_key="f1"), content_type="application/json"
    )
    assert ok.status_code == 201


def test_bad_values_get_field_errors_in_the_api_shape(
    patient_client: Client, program: Program
) -> None:
    response = patient_client.post(
        api_url(program),
        body(program, pain_after=12, red_flags=["x"]),
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )
    error = response.json()["error"]
    assert response.status_code == 400
    assert {"pain_after", "red_flags"} <= set(error["fields"])
    unknown_item = json.dumps({"items": [{"item_id": 999999}], "pain_before": 1, "pain_after": 1})
    response = patient_client.post(
        api_url(program),
        unknown_item,
        content_type="application/json",
        headers={"Idempotency-Key": "k2"},
    )
    assert response.status_code == 400
    assert "items" in response.json()["error"]["fields"]


def test_an_ended_program_refuses_with_its_message(
    therapist: User, patient: User, patient_client: Client
) -> None:
    ended = program_make(
        therapist=therapist, patient=patient, start=days_ago(20, patient=patient), weeks=1
    )
    response = patient_client.post(
        api_url(ended),
        body(ended),
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )
    assert response.status_code == 400
    assert "ended on" in response.json()["error"]["message"]


def test_a_red_flag_by_api_pauses_the_program(patient_client: Client, program: Program) -> None:
    response = patient_client.post(
        api_url(program),
        body(program, red_flags=["height_loss"]),
        content_type="application/json",
        headers={"Idempotency-Key": "k"},
    )
    assert response.json()["program_paused"] is True
    assert PainFlag.objects.filter(kind=FlagKind.RED_FLAG).exists()


def test_another_patient_and_any_therapist_get_404(
    program: Program, other_patient: User, therapist_client: Client
) -> None:
    other = Client()
    other.force_login(other_patient)
    for client in (other, therapist_client):
        response = client.post(
            api_url(program),
            body(program),
            content_type="application/json",
            headers={"Idempotency-Key": "k"},
        )
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert Client().post(
        api_url(program), body(program), content_type="application/json"
    ).status_code in (401, 403)


def test_the_openapi_schema_is_valid_and_documents_the_endpoint(client: Client) -> None:
    schema = client.get("/api/schema/").json()
    validate(schema)
    operation = schema["paths"]["/api/v1/programs/{program_id}/sessions/"]["post"]
    assert "Idempotency-Key" in [p["name"] for p in operation["parameters"]]
    assert {"200", "201", "400", "404"} <= set(operation["responses"])


def _patient_urls(program: Program, log_id: int) -> list[tuple[str, str]]:
    pk = {"program_id": program.pk}
    return [
        ("get", reverse("exercises:my_program", kwargs=pk)),
        ("get", reverse("exercises:player", kwargs=pk)),
        ("post", reverse("exercises:player", kwargs=pk)),
        ("get", reverse("exercises:paused", kwargs=pk)),
        ("post", reverse("exercises:next_morning", kwargs={"log_id": log_id})),
    ]


def test_every_patient_url_is_404_for_another_patient(
    program: Program, patient: User, other_patient: User
) -> None:
    log = SessionLog.objects.create(
        program=program,
        patient=patient,
        performed_on=days_ago(1, patient=patient),
        idempotency_key="y",
        items_done=1,
        items_total=2,
        pain_before=1,
        pain_after=1,
    )
    other = Client()
    other.force_login(other_patient)
    for method, url in _patient_urls(program, log.pk):
        assert getattr(other, method)(url).status_code == 404, url
    log.refresh_from_db()
    assert log.pain_next_morning is None
    assert not log.next_morning_declined


def test_patient_pages_ask_visitors_to_log_in_and_refuse_staff(
    program: Program, therapist_client: Client
) -> None:
    for method, url in [
        *_patient_urls(program, 1),
        ("get", reverse("exercises:today")),
        ("get", reverse("exercises:reminders")),
    ]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
        assert getattr(therapist_client, method)(url).status_code == 403, url


def test_every_therapist_url_is_404_for_another_therapist(
    program: Program, patient: User, patient_client: Client, other_therapist: User
) -> None:
    from tests.fixtures.accounts import login_with_totp

    patient_client.post(
        reverse("exercises:player", kwargs={"program_id": program.pk}),
        {"idempotency_key": "z", "pain_before": 1, "pain_after": 7},
    )
    flag = PainFlag.objects.get()
    other = Client()
    login_with_totp(other, other_therapist)
    urls = [
        ("get", reverse("exercises:monitor_patient", kwargs={"patient_id": patient.pk})),
        ("post", reverse("exercises:flag_done", kwargs={"flag_id": flag.pk})),
        ("post", reverse("exercises:program_resume", kwargs={"program_id": program.pk})),
    ]
    for method, url in urls:
        assert getattr(other, method)(url).status_code == 404, url
        assert getattr(patient_client, method)(url).status_code == 403, url
    html = other.get(reverse("exercises:monitor")).content.decode()
    assert patient.email not in html
    flag.refresh_from_db()
    assert flag.resolved_at is None
