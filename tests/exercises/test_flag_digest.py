"""The therapist's daily check: missed-days flags and one digest email of new flags a day."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from exercises.models import PainFlag, SessionLog
from exercises.pain import FlagKind
from practice.accounts.models import User
from practice.outbox.models import OutboxMessage
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_run_due
from tests.exercises.portal_helpers import days_ago, program_make

pytestmark = pytest.mark.django_db


def test_the_daily_check_flags_missed_days_and_sends_one_digest(
    therapist: User, patient: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        program = program_make(
            therapist=therapist, patient=patient, start=days_ago(6, patient=patient)
        )
    SessionLog.objects.create(
        program=program, patient=patient, performed_on=days_ago(6, patient=patient),
        idempotency_key="old", items_done=2, items_total=2, pain_before=1, pain_after=1,
    )  # fmt: skip
    job = Job.objects.get(kind="exercises.monitor")
    assert job.payload["therapist_id"] == therapist.therapist_profile.pk
    with time_machine.travel(job.due_at + timedelta(seconds=1), tick=False):
        jobs_run_due()
        jobs_run_due()
    flag = PainFlag.objects.get()
    assert flag.kind == FlagKind.MISSED_DAYS
    assert flag.digested_at is not None
    (digest,) = OutboxMessage.objects.filter(to=therapist.email)
    assert "1 new exercise flag" in digest.subject
    assert "No log on prescribed days" in digest.text_body
    assert f"/exercises/monitor/patients/{patient.pk}/" in digest.text_body
    tomorrow = Job.objects.filter(kind="exercises.monitor", done_at__isnull=True).get()
    assert tomorrow.due_at > timezone.now()
