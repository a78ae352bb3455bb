"""Every page and route of the library and programs, for each kind of visitor.

A program is patient data: the patient and her own therapist only, everyone else 404.
Therapists' pages refuse patients (403) and send visitors to sign in.
"""

import pytest
from django.test import Client

from exercises.models import Condition
from exercises.prescribing import patient_condition_add, template_create
from practice.accounts.models import User
from practice.audit.models import AuditEvent
from tests.exercises.helpers import exercise_make, item_of, picture_add, program_make
from tests.fixtures.accounts import login_with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_therapist_client(other_therapist: User) -> Client:
    client = Client()
    login_with_totp(client, other_therapist)
    return client


def program_urls(program_id: int, patient_id: int) -> list[str]:
    return [
        f"/programs/{program_id}/",
        f"/programs/{program_id}/revise/",
        f"/programs/{program_id}/handout.pdf",
        f"/programs/patients/{patient_id}/new/",
        f"/programs/patients/{patient_id}/conditions/",
    ]


def test_programs_are_hers_and_her_therapists_only(
    therapist: User,
    patient: User,
    other_patient: User,
    therapist_client: Client,
    patient_client: Client,
    other_therapist_client: Client,
    client: Client,
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    urls = program_urls(program.pk, patient.pk)
    for url in urls:
        assert therapist_client.get(url).status_code == 200, url
        assert other_therapist_client.get(url).status_code == 404, url
        assert client.get(url).status_code == 302, url
    assert patient_client.get(urls[0]).status_code == 200
    assert patient_client.get(urls[2]).status_code == 200
    for url in urls[1:2] + urls[3:]:
        assert patient_client.get(url).status_code == 403, url  # therapists' pages
    for url in (f"/programs/{program.pk}/save-as-template/",):
        assert other_therapist_client.post(url).status_code == 404
    other = Client()
    from tests.fixtures.accounts import login_with_password

    login_with_password(other, other_patient.email)
    for url in urls[:1] + urls[2:3]:
        assert other.get(url).status_code == 404, url
    assert other.get("/programs/999999/").status_code == 404


def test_a_therapists_reads_of_a_program_are_audited(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    before = AuditEvent.objects.count()
    patient_client.get(f"/programs/{program.pk}/")
    assert AuditEvent.objects.count() == before  # her own reads are not staff access
    therapist_client.get(f"/programs/{program.pk}/")
    therapist_client.get(f"/programs/{program.pk}/handout.pdf")
    views = AuditEvent.objects.filter(
        action="view", patient_id=patient.pk, object_id=str(program.pk)
    )
    assert views.count() == 2
    assert views.first().actor_id == therapist.pk  # type: ignore[union-attr]


def test_therapist_pages_refuse_patients_and_ask_visitors_to_sign_in(
    therapist: User, patient_client: Client, therapist_client: Client, client: Client
) -> None:
    exercise = exercise_make()
    template = template_create(
        owner=therapist.therapist_profile, name="T", items=[item_of(exercise)]
    )
    gets = [
        "/exercises/manage/",
        "/exercises/manage/new/",
        "/exercises/manage/precautions/",
        f"/exercises/manage/{exercise.pk}/",
        "/programs/templates/",
        "/programs/templates/new/",
        f"/programs/templates/{template.pk}/",
    ]
    picture_add(exercise)
    image = exercise.images.get()
    posts = [
        f"/exercises/manage/{exercise.pk}/pictures/{image.pk}/remove/",
        f"/exercises/manage/{exercise.pk}/duplicate/",
        f"/exercises/manage/{exercise.pk}/pictures/",
        f"/programs/templates/{template.pk}/duplicate/",
    ]
    for url in gets:
        assert therapist_client.get(url).status_code == 200, url
        assert patient_client.get(url).status_code == 403, url
        assert client.get(url).status_code == 302, url
    for url in posts:
        assert patient_client.post(url).status_code == 403, url
        assert client.post(url).status_code == 302, url
    assert therapist_client.get("/exercises/manage/999999/").status_code == 404
    assert therapist_client.get("/programs/templates/999999/").status_code == 404


def test_her_conditions_page_records_and_audits(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    condition = Condition.objects.get(code="osteoporosis")
    response = therapist_client.post(
        f"/programs/patients/{patient.pk}/conditions/",
        {"condition": condition.pk, "note": "T-score -2.8"},
        follow=True,
    )
    assert "Recorded Osteoporosis." in response.content.decode()
    assert patient.exercise_conditions.get().note == "T-score -2.8"
    assert AuditEvent.objects.filter(action="create", patient_id=patient.pk).exists()
    therapist_client.post(f"/programs/patients/{patient.pk}/conditions/", {"remove": condition.pk})
    assert not patient.exercise_conditions.exists()
    bad = therapist_client.post(
        f"/programs/patients/{patient.pk}/conditions/", {"condition": "x"}, follow=True
    )
    assert "Choose a condition from the list." in bad.content.decode()
    patient_condition_add(
        therapist=therapist.therapist_profile, patient=patient, condition=condition
    )


def test_prescriptions_in_the_admin_are_the_owners_only_and_audited(
    therapist: User, patient: User, owner_client: Client, therapist_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    url = f"/admin/exercises/program/{program.pk}/change/"
    assert therapist_client.get(url).status_code == 403
    assert owner_client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        object_id=str(program.pk), patient_id=patient.pk, summary="Opened in the admin"
    ).exists()
    assert owner_client.post(url, {"title": "Changed"}).status_code == 403
    program.refresh_from_db()
    assert program.title == "Wake up your glutes"
