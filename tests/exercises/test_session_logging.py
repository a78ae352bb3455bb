"""Logging a session without JavaScript: one session per submit, refusals, red flags, the
next morning's pain, and the flags the therapist gets."""

import pytest
from django.test import Client
from django.urls import reverse

from exercises.models import PainFlag, Program, ProgramDay, SessionLog
from exercises.pain import FlagKind
from practice.accounts.models import User
from practice.outbox.models import OutboxMessage
from tests.exercises.portal_helpers import days_ago, log_form_data, program_make, session_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(therapist: User, patient: User) -> Program:
    return program_make(therapist=therapist, patient=patient)


def test_today_lists_what_is_due_and_the_dose_in_plain_words(
    patient_client: Client, program: Program
) -> None:
    html = patient_client.get(reverse("exercises:today")).content.decode()
    assert "Hip flexor release" in html
    assert "0 of 2 sessions done today" in html  # the twice-a-day stretch makes two
    assert "Hold 15 seconds, 3 times on each side" in html
    assert reverse("exercises:player", kwargs={"program_id": program.pk}) in html


def test_a_logged_session_shows_on_today_and_counts_on_its_day(
    patient_client: Client, program: Program
) -> None:
    response = session_post(patient_client, program)
    assert response.status_code == 302
    assert response["Location"] == reverse("exercises:today")
    html = patient_client.get(reverse("exercises:today")).content.decode()
    assert "Your session is logged" in html
    assert "1 of 2 sessions done today" in html
    day = ProgramDay.objects.get(program=program, day=days_ago(0, patient=program.patient))
    assert (day.prescribed, day.done) == (2, 1)


def test_a_double_submit_records_one_session(patient_client: Client, program: Program) -> None:
    first = session_post(patient_client, program, idempotency_key="same")
    second = session_post(patient_client, program, idempotency_key="same")
    assert first.status_code == second.status_code == 302
    assert SessionLog.objects.filter(program=program).count() == 1
    assert (
        ProgramDay.objects.get(program=program, day=days_ago(0, patient=program.patient)).done == 1
    )


def test_a_partial_session_counts_by_the_share_of_exercises_done(
    patient_client: Client, program: Program
) -> None:
    first_item = program.items.all()[0]
    data = log_form_data(program)
    del data[f"item_{first_item.pk}_done"]
    patient_client.post(reverse("exercises:player", kwargs={"program_id": program.pk}), data)
    log = SessionLog.objects.get()
    assert (log.items_done, log.items_total) == (1, 2)
    assert ProgramDay.objects.get(program=program, day=log.performed_on).done == 0.5
    assert not log.items.get(program_item=first_item).done


def test_bad_pain_scores_get_field_errors_and_keep_what_she_typed(
    patient_client: Client, program: Program
) -> None:
    response = session_post(patient_client, program, pain_after="11", comment="Knee was fine")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "Knee was fine" in html
    assert not SessionLog.objects.exists()


@pytest.mark.parametrize(
    ("start_offset", "message"),
    [(3, "This program starts on"), (-30, "This program ended on")],
)
def test_a_program_not_started_or_ended_refuses_a_log_with_a_clear_message(
    therapist: User, patient: User, patient_client: Client, start_offset: int, message: str
) -> None:
    start = days_ago(-start_offset, patient=patient)
    program = program_make(therapist=therapist, patient=patient, start=start, weeks=1)
    page = patient_client.get(reverse("exercises:player", kwargs={"program_id": program.pk}))
    assert message in page.content.decode()
    response = session_post(patient_client, program)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SessionLog.objects.exists()


def test_a_fall_pauses_the_program_shows_the_phone_and_emails_the_therapist_at_once(
    patient_client: Client, program: Program, therapist: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = session_post(patient_client, program, red_flags=["fall"], follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse(
        "exercises:paused", kwargs={"program_id": program.pk}
    )
    assert "(555) 010-0123" in html
    program.refresh_from_db()
    assert program.paused_at is not None
    assert PainFlag.objects.filter(kind=FlagKind.RED_FLAG, program=program).exists()
    alert = OutboxMessage.objects.get(to=therapist.email)
    assert "urgent symptom" in alert.subject
    assert "fall" not in alert.text_body.lower(), "the email names no symptom"
    # Paused: Today says so, the days ahead prescribe nothing, a new log is refused.
    today_html = patient_client.get(reverse("exercises:today")).content.decode()
    assert "This program is paused" in today_html
    tomorrow = ProgramDay.objects.get(program=program, day=days_ago(-1, patient=program.patient))
    assert tomorrow.prescribed == 0
    again = session_post(patient_client, program, idempotency_key="key-2")
    assert again.status_code == 400
    assert "paused" in again.content.decode()


def test_pain_above_the_limit_flags_the_therapist(patient_client: Client, program: Program) -> None:
    session_post(patient_client, program, pain_after="7")
    flag = PainFlag.objects.get()
    assert flag.kind == FlagKind.PAIN_HIGH
    assert "Pain 7 of 10" in flag.detail


def test_she_is_asked_next_morning_and_pain_that_did_not_settle_is_flagged(
    therapist: User, patient: User, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient, start=days_ago(3, patient=patient))
    log = SessionLog.objects.create(
        program=program,
        patient=patient,
        performed_on=days_ago(1, patient=patient),
        idempotency_key="yesterday",
        items_done=2,
        items_total=2,
        pain_before=2,
        pain_after=4,
    )
    html = patient_client.get(reverse("exercises:today")).content.decode()
    assert "How is your pain this morning?" in html
    url = reverse("exercises:next_morning", kwargs={"log_id": log.pk})
    patient_client.post(url, {"pain": "4"})
    log.refresh_from_db()
    assert log.pain_next_morning == 4
    assert PainFlag.objects.get().kind == FlagKind.NOT_SETTLED
    html = patient_client.get(reverse("exercises:today")).content.decode()
    assert "How is your pain this morning?" not in html


def test_weekly_pain_rising_two_points_is_flagged(
    therapist: User, patient: User, patient_client: Client
) -> None:
    program = program_make(
        therapist=therapist, patient=patient, start=days_ago(15, patient=patient), weeks=4
    )
    for n, pain in ((15, 1), (14, 1), (8, 2), (7, 2)):
        SessionLog.objects.create(
            program=program,
            patient=patient,
            performed_on=days_ago(n, patient=patient),
            idempotency_key=f"k{n}",
            items_done=2,
            items_total=2,
            pain_before=1,
            pain_after=pain,
        )
    session_post(patient_client, program, pain_before="3", pain_after="4")
    kinds = set(PainFlag.objects.values_list("kind", flat=True))
    assert FlagKind.PAIN_RISING in kinds


def test_without_javascript_the_player_page_is_a_plain_logging_form(
    patient_client: Client, program: Program
) -> None:
    html = patient_client.get(
        reverse("exercises:player", kwargs={"program_id": program.pk})
    ).content.decode()
    assert "data-player hidden" in html, "the player stays hidden until its script runs"
    assert '<form method="post"' in html
    assert 'name="pain_before"' in html
    assert "<script src=" in html
    assert "<script>" not in html
    assert "Hold 15 seconds" in html
