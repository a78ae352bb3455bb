"""Faults found in the issue-7 review: a red flag pauses all her programs, prescribing
starts the day/reminder chains by an explicit service call (not per-row signals), and pain
still above baseline 48 hours after a session is flagged red (CLINICAL.md rule 6)."""

from datetime import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.dosage import Dose
from exercises.models import PainFlag, ProgramDay, SessionLog
from exercises.pain import FlagKind
from exercises.prescribing import ItemInput, program_assign
from exercises.reminders import reminder_preference_save
from practice.accounts.models import User
from practice.scheduling.models import Job
from tests.exercises.helpers import exercise_make
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


def _prescribe_queries(
    *, therapist: User, patient: User, exercises: int, capture: Any, title: str = ""
) -> int:
    """Queries of ``program_assign`` (with its on-commit work) for a program of N exercises."""
    dose = Dose.from_dict(
        {"sets": 2, "reps": 10, "rest_seconds": 30, "days_per_week": 7, "rpe_target": 5}
    )
    items = [ItemInput(exercise=exercise_make(), dose=dose) for _ in range(exercises)]
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        program_assign(
            therapist=therapist.therapist_profile, patient=patient, title=f"P{exercises}{title}",
            start_date=days_ago(0, patient=patient), weeks=2, items=items,
        )  # fmt: skip
    return len(queries)


def test_prescribing_writes_days_and_starts_the_chains_once_however_many_exercises(
    therapist: User, patient: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The days, the reminder chain and the daily check follow from one explicit call in
    the prescribing service, not from a signal per saved row (which bulk writes skip, and
    which re-ran the whole schedule once per exercise)."""
    reminder_preference_save(patient=patient, enabled=True, remind_at=time(23, 59))
    assert not Job.objects.filter(kind="exercises.reminder").exists()
    _prescribe_queries(therapist=therapist, patient=patient, exercises=1, title="first",
                       capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert Job.objects.filter(kind="exercises.reminder").exists()
    assert Job.objects.filter(kind="exercises.monitor").exists()
    assert ProgramDay.objects.filter(program__title="P1first").count() == 14
    one = _prescribe_queries(therapist=therapist, patient=patient, exercises=1,
                             capture=django_capture_on_commit_callbacks)  # fmt: skip
    eight = _prescribe_queries(therapist=therapist, patient=patient, exercises=8,
                               capture=django_capture_on_commit_callbacks)  # fmt: skip
    assert ProgramDay.objects.filter(program__title="P8").count() == 14
    assert eight == one, "prescribing takes the same queries for 1 or 8 exercises"


def test_pain_still_above_its_baseline_48_hours_after_a_session_is_flagged_red(
    therapist: User, patient: User, patient_client: Client
) -> None:
    """CLINICAL.md rule 6: not settled by the next morning is amber; still above the
    pre-exercise score at 48 hours is red."""
    program = program_make(therapist=therapist, patient=patient, start=days_ago(4, patient=patient))
    log = SessionLog.objects.create(
        program=program, patient=patient, performed_on=days_ago(2, patient=patient),
        idempotency_key="two-days-ago", items_done=2, items_total=2,
        pain_before=2, pain_after=4, pain_next_morning=4,
    )  # fmt: skip
    html = patient_client.get(reverse("exercises:today")).content.decode()
    assert "Has your pain settled?" in html
    assert "How is your pain this morning?" not in html
    patient_client.post(
        reverse("exercises:next_morning", kwargs={"log_id": log.pk}), {"pain": "3", "stage": "48h"}
    )
    log.refresh_from_db()
    assert log.pain_next_morning == 4, "the next morning's answer is kept"
    assert log.pain_48h == 3
    flag = PainFlag.objects.get(kind=FlagKind.NOT_SETTLED_48H)
    assert "48 hours" in flag.detail
    assert (
        "Has your pain settled?"
        not in patient_client.get(reverse("exercises:today")).content.decode()
    )


def test_pain_that_settled_by_the_next_morning_is_not_asked_again_at_48_hours(
    therapist: User, patient: User, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient, start=days_ago(4, patient=patient))
    SessionLog.objects.create(
        program=program, patient=patient, performed_on=days_ago(2, patient=patient),
        idempotency_key="settled", items_done=2, items_total=2,
        pain_before=2, pain_after=4, pain_next_morning=2,
    )  # fmt: skip
    assert (
        "Has your pain settled?"
        not in patient_client.get(reverse("exercises:today")).content.decode()
    )
