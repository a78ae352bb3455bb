"""Faults found in the second issue-7 review (review-7)."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from exercises.flags import flag_digest_send
from exercises.models import PainFlag, SessionLog
from exercises.monitoring import monitoring_settings_save
from exercises.pain import FlagKind, MonitoringThresholds
from practice.accounts.models import PatientProfile, User
from practice.outbox.models import OutboxMessage
from tests.exercises.portal_helpers import days_ago, program_make, session_post
from tests.fixtures.accounts import login_with_totp

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


def test_a_former_therapist_can_no_longer_resume_her_program_or_clear_her_flags(
    therapist: User,
    other_therapist: User,
    patient: User,
    patient_client: Client,
    therapist_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Once she is another therapist's patient, the one who prescribed her program earlier
    gets 404 on resuming it and on marking her flags dealt with, as on every other page of
    hers (a therapist sees her own patients), and changes nothing."""
    program = program_make(therapist=therapist, patient=patient)
    with django_capture_on_commit_callbacks(execute=True):
        session_post(patient_client, program, red_flags=["fall"], pain_after="9")
    flag = PainFlag.objects.filter(patient=patient).first()
    assert flag is not None
    PatientProfile.objects.filter(user=patient).update(therapist=other_therapist.therapist_profile)
    resume = therapist_client.post(
        reverse("exercises:program_resume", kwargs={"program_id": program.pk})
    )
    done = therapist_client.post(reverse("exercises:flag_done", kwargs={"flag_id": flag.pk}))
    assert (resume.status_code, done.status_code) == (404, 404)
    program.refresh_from_db()
    flag.refresh_from_db()
    assert program.paused_at is not None
    assert flag.resolved_at is None


def test_her_new_therapist_sees_resumes_and_clears_what_the_former_one_prescribed(
    therapist: User,
    other_therapist: User,
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A fall paused her program; then the practice moved her to another therapist. The
    former one gets 404 now, so the new one must see the paused program and its flags on
    her page and be able to resume it and mark the flags dealt with (else it stays paused
    for good and the flag stays open in the new therapist's list)."""
    program = program_make(therapist=therapist, patient=patient)
    with django_capture_on_commit_callbacks(execute=True):
        session_post(patient_client, program, red_flags=["fall"])
    PatientProfile.objects.filter(user=patient).update(therapist=other_therapist.therapist_profile)
    now_hers = Client()
    login_with_totp(now_hers, other_therapist)
    page = now_hers.get(reverse("exercises:monitor_patient", kwargs={"patient_id": patient.pk}))
    assert "Resume all her paused programs (1)" in page.content.decode()
    resumed = now_hers.post(
        reverse("exercises:patient_resume_all", kwargs={"patient_id": patient.pk})
    )
    assert resumed.status_code == 302
    program.refresh_from_db()
    assert program.paused_at is None
    for flag in PainFlag.objects.filter(patient=patient):
        done = now_hers.post(reverse("exercises:flag_done", kwargs={"flag_id": flag.pk}))
        assert done.status_code == 302
    assert not PainFlag.objects.filter(patient=patient, resolved_at__isnull=True).exists()


def test_a_red_flag_alerts_her_therapist_now_not_the_one_who_prescribed_it(
    therapist: User,
    other_therapist: User,
    patient: User,
    patient_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Moved to another therapist, she logs a fall on a program the former one prescribed:
    the urgent email goes to her therapist now (who can open her page), not to the former
    one (who gets 404 there and is no longer hers)."""
    program = program_make(therapist=therapist, patient=patient)
    PatientProfile.objects.filter(user=patient).update(therapist=other_therapist.therapist_profile)
    with django_capture_on_commit_callbacks(execute=True):
        session_post(patient_client, program, red_flags=["fall"])
    assert OutboxMessage.objects.filter(to=other_therapist.email).count() == 1
    assert not OutboxMessage.objects.filter(to=therapist.email).exists()


def test_a_logging_form_with_errors_shows_messages_not_python(
    therapist: User, patient: User, patient_client: Client
) -> None:
    """The no-JavaScript logging form sent without her pain scores: each field says what is
    missing; no ``dict_items([...])`` printout of the form's errors above the exercises."""
    program = program_make(therapist=therapist, patient=patient)
    response = session_post(patient_client, program, pain_before="", pain_after="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert "dict_items" not in html


def test_the_flag_digest_goes_to_her_therapist_now_not_the_former_one(
    therapist: User, other_therapist: User, patient: User, patient_client: Client
) -> None:
    """A flag on a program a former therapist prescribed (she moved since) is in her
    therapist's digest now; the former one is not emailed about a patient no longer hers."""
    program = program_make(therapist=therapist, patient=patient)
    PatientProfile.objects.filter(user=patient).update(therapist=other_therapist.therapist_profile)
    session_post(patient_client, program, pain_before="1", pain_after="9")  # red zone
    assert PainFlag.objects.filter(patient=patient).exists()
    day = days_ago(0, patient=patient).isoformat()
    assert flag_digest_send(therapist_id=therapist.therapist_profile.pk, day=day) == 0
    assert flag_digest_send(therapist_id=other_therapist.therapist_profile.pk, day=day) >= 1
    assert not OutboxMessage.objects.filter(to=therapist.email).exists()
    assert OutboxMessage.objects.filter(to=other_therapist.email).count() == 1


def test_flags_follow_her_therapists_zones_now_not_the_former_ones(
    therapist: User, other_therapist: User, patient: User, patient_client: Client
) -> None:
    """Her therapist now counts pain up to 8 as acceptable; a session on a program the
    former therapist prescribed (defaults: above 5 is too much) is judged by those zones,
    the ones her list shows, not flagged red by the former therapist's."""
    program = program_make(therapist=therapist, patient=patient)
    PatientProfile.objects.filter(user=patient).update(therapist=other_therapist.therapist_profile)
    monitoring_settings_save(
        therapist=other_therapist.therapist_profile,
        thresholds=MonitoringThresholds(safe_max=2, acceptable_max=8),
    )
    session_post(patient_client, program, pain_before="1", pain_after="7")
    assert not PainFlag.objects.filter(patient=patient, kind=FlagKind.PAIN_HIGH).exists()
