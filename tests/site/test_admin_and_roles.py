import pytest
from django.test import Client

from practice.core.models import PracticeProfile
from practice.core.selectors import practice_profile

pytestmark = pytest.mark.django_db


def test_the_owner_edits_the_practice_profile_in_the_admin(owner_client: Client):
    old = practice_profile()
    response = owner_client.get("/admin/core/practiceprofile/")
    assert response.status_code == 302
    change_url = response["Location"]
    assert change_url == "/admin/core/practiceprofile/1/change/"
    assert owner_client.get("/admin/core/practiceprofile/add/").status_code == 403

    response = owner_client.post(
        change_url,
        {
            "name": "Harbour Bone Health",
            "tagline": old.tagline,
            "phone": "(555) 010-9999",
            "email": "care@harbour.example",
            "address": "1 Quay Street\nBath",
            "hours": "Weekdays, 9 am to 5 pm",
            "time_zone": "Europe/London",
        },
    )

    assert response.status_code == 302
    assert PracticeProfile.objects.get().name == "Harbour Bone Health"
    html = Client().get("/").content.decode()
    assert "Harbour Bone Health" in html
    assert 'href="tel:5550109999"' in html
    assert "1 Quay Street<br>Bath" in html


def test_a_therapist_gets_a_link_to_her_patients(therapist_client: Client):
    html = therapist_client.get("/").content.decode()

    assert 'href="/accounts/patients/">My patients</a>' in html


def test_a_patient_has_no_link_to_a_patient_list(patient_client: Client):
    html = patient_client.get("/").content.decode()

    assert "My patients" not in html


def test_an_expired_form_gets_a_plain_explanation(patient_client: Client):
    patient_client.handler.enforce_csrf_checks = True

    response = patient_client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
