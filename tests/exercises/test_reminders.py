"""Daily reminder emails: her time in her zone, once a day, DST-correct, only on program days
she has not logged, never after the program, a stop link without login, no diagnosis."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from exercises.models import ReminderPreference, SessionLog
from exercises.reminders import reminder_preference_save
from practice.accounts.models import PatientProfile, User
from practice.outbox.models import OutboxMessage
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_run_due
from tests.exercises.portal_helpers import program_make

pytestmark = pytest.mark.django_db

NEW_YORK = "America/New_York"
SATURDAY_BEFORE_SPRING_FORWARD = datetime(2026, 3, 7, 15, 0, tzinfo=UTC)  # 10:00 EST


@pytest.fixture
def patient_in_new_york(patient: User) -> User:
    PatientProfile.objects.filter(user=patient).update(time_zone=NEW_YORK)
    return patient


def reminders_to(patient: User) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=patient.email, subject__icontains="exercises"))


def pending_jobs() -> list[Job]:
    return list(
        Job.objects.filter(
            kind="exercises.reminder", done_at__isnull=True, cancelled_at__isnull=True
        ).order_by("due_at")
    )


def run_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        jobs_run_due()


def test_a_time_that_does_not_exist_on_spring_forward_fires_when_the_clocks_jump(
    therapist: User, patient_in_new_york: User
) -> None:
    patient = patient_in_new_york
    with time_machine.travel(SATURDAY_BEFORE_SPRING_FORWARD, tick=False):
        program_make(therapist=therapist, patient=patient, start=date(2026, 3, 7), weeks=1)
        reminder_preference_save(patient=patient, enabled=True, remind_at=time(2, 30))
    (job,) = pending_jobs()
    assert job.payload == {"patient_id": patient.pk, "day": "2026-03-08"}
    assert job.due_at == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 3:00 EDT, the jump

    run_at(datetime(2026, 3, 8, 6, 59, tzinfo=UTC))
    assert reminders_to(patient) == []
    run_at(datetime(2026, 3, 8, 7, 0, tzinfo=UTC))
    assert len(reminders_to(patient)) == 1
    (following,) = pending_jobs()
    assert following.due_at == datetime(2026, 3, 9, 6, 30, tzinfo=UTC)  # 2:30 EDT next day


def test_exactly_once_a_day_however_often_the_scanner_runs(
    therapist: User, patient_in_new_york: User
) -> None:
    patient = patient_in_new_york
    with time_machine.travel(SATURDAY_BEFORE_SPRING_FORWARD, tick=False):
        program_make(therapist=therapist, patient=patient, start=date(2026, 3, 7), weeks=1)
        reminder_preference_save(patient=patient, enabled=True, remind_at=time(18, 0))
    for minute in range(3):
        run_at(datetime(2026, 3, 7, 23, minute, tzinfo=UTC))
    # She changes the time after today's reminder went: no second one today.
    with time_machine.travel(datetime(2026, 3, 7, 23, 30, tzinfo=UTC), tick=False):
        reminder_preference_save(patient=patient, enabled=True, remind_at=time(19, 0))
    run_at(datetime(2026, 3, 8, 0, 30, tzinfo=UTC))
    assert len(reminders_to(patient)) == 1
    assert pending_jobs()[0].payload["day"] == "2026-03-08"


def test_no_reminder_on_a_day_she_already_logged_and_none_after_the_program_ends(
    therapist: User, patient_in_new_york: User
) -> None:
    patient = patient_in_new_york
    with time_machine.travel(SATURDAY_BEFORE_SPRING_FORWARD, tick=False):
        program = program_make(
            therapist=therapist, patient=patient, start=date(2026, 3, 7), weeks=1
        )
        reminder_preference_save(patient=patient, enabled=True, remind_at=time(18, 0))
        SessionLog.objects.create(
            program=program,
            patient=patient,
            performed_on=date(2026, 3, 7),
            idempotency_key="k",
            items_done=2,
            items_total=2,
            pain_before=1,
            pain_after=1,
        )
    run_at(datetime(2026, 3, 7, 23, 0, tzinfo=UTC))
    assert reminders_to(patient) == []
    # The last day of the program is March 13: its reminder goes, then the chain ends.
    for day in range(8, 14):
        run_at(datetime(2026, 3, day, 22, 0, tzinfo=UTC))
    assert len(reminders_to(patient)) == 6
    assert pending_jobs() == []


def test_the_email_names_no_condition_or_exercise_and_carries_a_stop_link(
    therapist: User, patient_in_new_york: User
) -> None:
    patient = patient_in_new_york
    with time_machine.travel(SATURDAY_BEFORE_SPRING_FORWARD, tick=False):
        program_make(
            therapist=therapist,
            patient=patient,
            start=date(2026, 3, 7),
            weeks=1,
            title="Osteoporosis spine care",
        )
        reminder_preference_save(patient=patient, enabled=True, remind_at=time(18, 0))
    run_at(datetime(2026, 3, 7, 23, 0, tzinfo=UTC))
    (email,) = reminders_to(patient)
    text = f"{email.subject}\n{email.text_body}\n{email.html_body}".lower()
    for word in ("osteoporosis", "spine", "exercise 1", "fracture", "pain"):
        assert word not in text
    assert "List-Unsubscribe=One-Click" in email.headers.values()
    assert "/exercises/reminders/stop/" in email.text_body


def test_the_stop_link_works_without_login_and_leaves_the_url(
    therapist: User, patient_in_new_york: User
) -> None:
    patient = patient_in_new_york
    program_make(therapist=therapist, patient=patient, weeks=2)
    preference = reminder_preference_save(patient=patient, enabled=True, remind_at=time(23, 59))
    assert pending_jobs()
    visitor = Client()
    url = reverse("exercises:reminder_stop_link", kwargs={"token": preference.stop_token})
    opened = visitor.get(url)
    assert opened["Location"] == reverse("exercises:reminder_stop")
    page = visitor.get(opened["Location"])
    assert b"Stop these reminders" in page.content
    assert preference.stop_token.encode() not in page.content
    done = visitor.post(reverse("exercises:reminder_stop"))
    assert b"Reminders stopped" in done.content
    assert not ReminderPreference.objects.get(pk=preference.pk).enabled
    assert pending_jobs() == []


def test_a_mail_clients_one_click_stop_needs_no_page(
    therapist: User, patient_in_new_york: User
) -> None:
    patient = patient_in_new_york
    program_make(therapist=therapist, patient=patient, weeks=2)
    preference = reminder_preference_save(patient=patient, enabled=True, remind_at=time(23, 59))
    url = reverse("exercises:reminder_stop_link", kwargs={"token": preference.stop_token})
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not ReminderPreference.objects.get(pk=preference.pk).enabled


def test_an_unknown_stop_link_says_it_does_not_work(client: Client) -> None:
    client.get(reverse("exercises:reminder_stop_link", kwargs={"token": "nope"}))
    response = client.get(reverse("exercises:reminder_stop"))
    assert response.status_code == 404
    assert b"does not work any more" in response.content


def test_she_turns_reminders_on_from_her_page(
    therapist: User, patient_in_new_york: User, patient_client: Client
) -> None:
    program_make(therapist=therapist, patient=patient_in_new_york, weeks=2)
    url = reverse("exercises:reminders")
    response = patient_client.post(url, {"enabled": "on", "remind_at": "25:00"})
    assert response.status_code == 200
    assert b"Enter a valid time" in response.content
    patient_client.post(url, {"enabled": "on", "remind_at": "07:45"})
    preference = ReminderPreference.objects.get(patient=patient_in_new_york)
    assert (preference.enabled, preference.remind_at) == (True, time(7, 45))
    assert pending_jobs()
    assert b"New York time" in patient_client.get(url).content
