"""Faults found in the second issue-7 review (review-7)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exercises.models import SessionLog
from practice.accounts.models import User
from tests.exercises.portal_helpers import days_ago, program_make

pytestmark = pytest.mark.django_db

SETTLED = "Has your pain settled?"


def test_a_late_next_morning_answer_is_not_asked_again_the_same_day(
    therapist: User, patient: User, patient_client: Client
) -> None:
    """She first opens Today two days after a session: she is asked the next-morning
    question; once she answers it she is not asked "Has your pain settled?" in the same
    breath (the same reading twice), but on a later day she is (CLINICAL.md rule 6)."""
    program = program_make(therapist=therapist, patient=patient, start=days_ago(4, patient=patient))
    log = SessionLog.objects.create(
        program=program, patient=patient, performed_on=days_ago(2, patient=patient),
        idempotency_key="late", items_done=2, items_total=2, pain_before=2, pain_after=4,
    )  # fmt: skip
    today = reverse("exercises:today")
    assert "How is your pain this morning?" in patient_client.get(today).content.decode()
    patient_client.post(reverse("exercises:next_morning", kwargs={"log_id": log.pk}), {"pain": "5"})
    log.refresh_from_db()
    assert log.pain_next_morning == 5
    assert SETTLED not in patient_client.get(today).content.decode()
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        assert SETTLED in patient_client.get(today).content.decode()
