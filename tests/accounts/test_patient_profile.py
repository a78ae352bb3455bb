"""Every patient has a profile, and her pages know which therapist treats her."""

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts.models import PatientProfile, User
from practice.accounts.selectors import patient_therapist_get
from practice.accounts.services import patient_profile_ensure
from tests.fixtures.accounts import user_create

pytestmark = pytest.mark.django_db


def test_a_patients_therapist_is_the_one_who_treats_her(
    patient: User, therapist: User, other_patient: User, other_therapist: User
) -> None:
    assert patient_therapist_get(user=patient) == therapist.therapist_profile
    assert patient_therapist_get(user=other_patient) == other_therapist.therapist_profile
    assert patient_therapist_get(user=therapist) is None
    assert patient_therapist_get(user=user_create()) is None


def test_her_program_page_names_her_therapist(patient_client: Client) -> None:
    html = patient_client.get(reverse("accounts:my_program"), follow=True).content.decode()

    assert "When Ruth Calder gives you one, it will appear on this page." in html


def test_ensuring_a_profile_makes_one_once_and_keeps_her_therapist(
    patient: User, therapist: User
) -> None:
    newcomer = user_create()

    made = patient_profile_ensure(user=newcomer)
    again = patient_profile_ensure(user=newcomer)
    kept = patient_profile_ensure(user=patient)

    assert made == again
    assert made.therapist is None
    assert PatientProfile.objects.filter(user=newcomer).count() == 1
    assert kept.therapist == therapist.therapist_profile
