"""GET /api/v1/exercises/, /api/v1/programs/ and /api/v1/programs/<id>/, and their OpenAPI."""

import json

import pytest
from django.test import Client
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from practice.accounts.models import User
from practice.audit.models import AuditEvent
from tests.exercises.helpers import exercise_make, picture_add, program_make

pytestmark = pytest.mark.django_db


def test_the_public_library_for_anyone(client: Client) -> None:
    bridge = exercise_make(
        name="Glute bridge", body_regions=["glutes"], flags=("FLOOR_TRANSITION",)
    )
    picture_add(bridge, alt="Hips lifted")
    exercise_make(name="Private", is_public=False)
    body = client.get("/api/v1/exercises/").json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["slug"] == "glute-bridge"
    assert item["url"] == "http://testserver/exercises/glute-bridge/"
    assert item["precaution_flags"] == ["FLOOR_TRANSITION"]
    assert item["images"][0]["alt"] == "Hips lifted"
    assert item["dose"]["reps"] == 10
    assert item["dose"]["text"].startswith("3 sets of 10 repetitions")
    assert client.get("/api/v1/exercises/", {"region": "glutes"}).json()["count"] == 1
    assert client.get("/api/v1/exercises/", {"region": "knee"}).json()["count"] == 0
    bad = client.get("/api/v1/exercises/", {"kind": "yoga"})
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"] == {"kind": ["Not a kind of exercise."]}


def test_a_patient_reads_her_own_programs_with_her_api_key(
    therapist: User, patient: User, other_patient: User, other_therapist: User
) -> None:
    mine = program_make(therapist=therapist, patient=patient)
    theirs = program_make(therapist=other_therapist, patient=other_patient)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=patient).key}")
    listing = api.get("/api/v1/programs/").json()
    assert [p["id"] for p in listing["results"]] == [mine.pk]
    for url in ("/api/v1/programs/", f"/api/v1/programs/{mine.pk}/"):
        # Her health record: kept by no browser cache and no proxy.
        assert "no-store" in api.get(url)["Cache-Control"], url
    detail = api.get(f"/api/v1/programs/{mine.pk}/").json()
    assert detail["title"] == "Wake up your glutes"
    assert detail["items"][0]["dose"]["text"].endswith(
        "for 4 weeks. Rest 30 seconds between sets. Effort about 6 out of 10. Load: body weight."
    )
    assert detail["handout_url"] == f"http://testserver/programs/{mine.pk}/handout.pdf"
    assert api.get(f"/api/v1/programs/{theirs.pk}/").status_code == 404
    assert api.get("/api/v1/programs/99999/").status_code == 404
    assert APIClient().get("/api/v1/programs/").status_code in (401, 403)


def test_a_therapist_reads_her_patients_programs_audited(
    therapist: User,
    patient: User,
    other_patient: User,
    other_therapist: User,
    therapist_client: Client,
) -> None:
    mine = program_make(therapist=therapist, patient=patient)
    theirs = program_make(therapist=other_therapist, patient=other_patient)
    listing = therapist_client.get("/api/v1/programs/").json()
    assert [p["id"] for p in listing["results"]] == [mine.pk]
    assert therapist_client.get(f"/api/v1/programs/{theirs.pk}/").status_code == 404
    assert (
        therapist_client.get("/api/v1/programs/", {"patient": other_patient.pk}).json()["count"]
        == 0
    )
    assert therapist_client.get("/api/v1/programs/", {"patient": "x"}).status_code == 400
    therapist_client.get(f"/api/v1/programs/{mine.pk}/")
    assert AuditEvent.objects.filter(
        actor_id=therapist.pk, patient_id=patient.pk, object_id=str(mine.pk), action="view"
    ).exists()


def test_the_schema_is_valid_and_lists_the_routes(client: Client) -> None:
    schema = json.loads(client.get("/api/schema/").content)
    validate(schema)
    assert {"/api/v1/exercises/", "/api/v1/programs/", "/api/v1/programs/{program_id}/"} <= set(
        schema["paths"]
    )


@pytest.mark.parametrize("value", ["99999999999999999999999", "²", "-1", ""])
def test_a_bad_patient_filter_is_a_field_error_not_a_500(
    patient_client: Client, value: str
) -> None:
    response = patient_client.get("/api/v1/programs/", {"patient": value})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["patient"]
