"""Faults found in the issue-7 review: a red flag pauses all her programs, prescribing
starts the day/reminder chains by an explicit service call (not per-row signals), and pain
still above baseline 48 hours after a session is flagged red (CLINICAL.md rule 6)."""

import pytest
from django.test import Client
from django.urls import reverse

from exercises.models import PainFlag, Program, ProgramDay
from practice.accounts.models import User
from tests.exercises.portal_helpers import days_ago, program_make, session_post

pytestmark = pytest.mark.django_db


def test_a_red_flag_pauses_every_running_program_of_hers(
    therapist: User, patient: User, patient_client: Client, django_capture_on_commit_callbacks
) -> None:
    stretches = program_make(therapist=therapist, patient=patient)
    strength = program_make(therapist=therapist, patient=patient, title="Wake up your glutes")
    with django_capture_on_commit_callbacks(execute=True):
        session_post(patient_client, stretches, red_flags=["back_pain"])
    strength.refresh_from_db()
    assert strength.paused_at is not None, "a possible vertebral fracture stops all loading"
    tomorrow = days_ago(-1, patient=patient)
    assert ProgramDay.objects.get(program=strength, day=tomorrow).prescribed == 0
    refused = session_post(patient_client, strength, idempotency_key="other")
    assert refused.status_code == 400
    assert "paused" in refused.content.decode()
    assert PainFlag.objects.count() == 1, "one red flag, on the program she logged"
