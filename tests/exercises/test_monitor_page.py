"""The therapist's patients list is kept whole (``exercises.monitor_page``): served
again after a view, rendered afresh after every write it shows and at a day's turn in her
patients' zones, never served to another therapist, audited on every view."""

from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.flags import missed_days_raise
from exercises.models import MonitorVersion, PainFlag, Program, ProgramDay, SessionLog
from exercises.monitoring import monitoring_settings_save
from exercises.pain import FlagKind, MonitoringThresholds
from exercises.prescribing import program_items, program_revise
from exercises.schedule import patient_today, patient_zone
from exercises.session_log import next_morning_record, pain_48h_record, program_resume
from practice.accounts.models import PatientProfile, User
from practice.accounts.services import user_name_change
from practice.audit.models import AuditEvent
from practice.core.kept_pages import store
from tests.exercises.portal_helpers import days_ago, program_make, row_of, session_post
from tests.fixtures.accounts import login_with_totp, patient_create

pytestmark = pytest.mark.django_db

MONITOR = "exercises:monitor"


def listed(client: Client) -> str:
    response = client.get(reverse(MONITOR))
    assert response.status_code == 200
    return response.content.decode()


def test_the_rows_are_kept_after_a_view_until_a_service_writes(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient, start=days_ago(3, patient=patient))
    listed(therapist_client)  # shows the sign-in notice: a page with notices is not kept
    first = row_of(listed(therapist_client), "Margaret Hill")
    assert "Never" in first
    # A write that bypasses the services is not seen: the second view is the kept rows.
    ProgramDay.objects.filter(program=program).update(done=Decimal(2))
    assert row_of(listed(therapist_client), "Margaret Hill") == first
    session_post(patient_client, program, pain_before="1", pain_after="2")
    fresh = row_of(listed(therapist_client), "Margaret Hill")
    assert "2 of 10" in fresh
    assert "Never" not in fresh


def test_a_kept_view_runs_fewer_queries_and_is_still_audited(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    program_make(therapist=therapist, patient=patient)
    listed(therapist_client)  # shows the sign-in notice: a page with notices is not kept
    with CaptureQueriesContext(connection) as rendered:
        listed(therapist_client)
    with CaptureQueriesContext(connection) as kept:
        listed(therapist_client)
    assert len(kept) < len(rendered)
    assert not any("exercises_programday" in q["sql"] for q in kept.captured_queries)
    views = AuditEvent.objects.filter(
        actor=therapist, summary="Viewed adherence and pain of her patients (1)"
    )
    assert views.count() == 3


def test_each_view_is_audited_by_the_query_that_reads_the_lists_state(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    """Two statements for a kept view: the session with her, then the list's state with
    its audit entry, which counts the patients the list shows."""
    patient_create(email="second@example.com", full_name="Second Patient", therapist=therapist)
    listed(therapist_client)
    listed(therapist_client)
    with CaptureQueriesContext(connection) as kept:
        page = therapist_client.get(reverse(MONITOR), HTTP_USER_AGENT="Tablet/1.0")

    assert page.status_code == 200
    assert len(kept) == 2
    (entry,) = AuditEvent.objects.filter(user_agent="Tablet/1.0")
    assert entry.summary == "Viewed adherence and pain of her patients (2)"
    assert (entry.actor_id, entry.patient_id, entry.path) == (therapist.pk, None, reverse(MONITOR))
    assert entry.action == AuditEvent.Action.VIEW


def test_another_therapist_never_gets_her_rows(
    therapist: User,
    patient: User,
    other_therapist: User,
    other_patient: User,
    therapist_client: Client,
) -> None:
    program_make(therapist=therapist, patient=patient)
    program_make(therapist=other_therapist, patient=other_patient)
    assert "Margaret Hill" in listed(therapist_client)
    other = Client()
    login_with_totp(other, other_therapist)
    for _ in range(2):  # rendered, then kept
        html = listed(other)
        assert "Dorothy Evans" in html
        assert "Margaret Hill" not in html
    assert "Dorothy Evans" not in listed(therapist_client)


def _log(program: Program, patient_client: Client) -> SessionLog:
    session_post(patient_client, program, pain_before="2", pain_after="3")
    return SessionLog.objects.get(program=program)


def _next_morning(program: Program, client: Client) -> None:
    log = _log(program, client)
    next_morning_record(patient=program.patient, log_id=log.pk, pain=6)


def _after_48h(program: Program, client: Client) -> None:
    log = _log(program, client)
    SessionLog.objects.filter(pk=log.pk).update(pain_next_morning=2)  # settled next morning
    pain_48h_record(patient=program.patient, log_id=log.pk, pain=6)


def _missed_days(program: Program, client: Client) -> None:
    missed_days_raise(program=program, today=patient_today(patient_id=program.patient_id))


def _revised(program: Program, client: Client) -> None:
    later = patient_today(patient_id=program.patient_id) + timedelta(days=7)
    items = program_items(program=program)
    program_revise(
        therapist=program.therapist,
        program=program,
        title="Hip flexor release, from next week",
        start_date=later,
        weeks=2,
        items=items,
        reasons={item.exercise.pk: "Checked" for item in items},
    )


@pytest.mark.parametrize(
    ("write", "before", "after"),
    [
        (_log, "Never", "3 of 10"),
        (_next_morning, "Pain not settled by the next morning", None),
        (_after_48h, "Pain still not settled after 48 hours", None),
        (_missed_days, "No log on prescribed days", None),
        (_revised, "<td>1</td>", "<td>0</td>"),
    ],
    ids=["session", "next-morning pain", "48-hour pain", "flag raised", "program revised"],
)
def test_each_write_shows_on_the_next_view(
    therapist: User,
    patient: User,
    therapist_client: Client,
    patient_client: Client,
    write: Callable[[Program, Client], None],
    before: str,
    after: str | None,
) -> None:
    """``after`` None: ``before`` is what must appear (a flag), absent before the write."""
    program = program_make(therapist=therapist, patient=patient, start=days_ago(5, patient=patient))
    ProgramDay.objects.filter(program=program).update(done=0)  # 5 prescribed days missed
    html = row_of(listed(therapist_client), "Margaret Hill")
    if after is None:
        assert before not in html
    else:
        assert before in html
    write(program, patient_client)
    html = row_of(listed(therapist_client), "Margaret Hill")
    if after is None:
        assert before in html
    else:
        assert after in html
        assert before not in html


def test_a_program_prescribed_paused_resumed_and_its_flag_dealt_with(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    assert "<td>0</td>" in row_of(listed(therapist_client), "Margaret Hill")
    program = program_make(therapist=therapist, patient=patient)
    assert "<td>1</td>" in row_of(listed(therapist_client), "Margaret Hill")
    session_post(patient_client, program, red_flags=["back_pain"])  # pauses the program
    assert "Red-flag symptom reported" in row_of(listed(therapist_client), "Margaret Hill")
    token = MonitorVersion.objects.get().token
    program.refresh_from_db()
    program_resume(therapist=therapist.therapist_profile, program=program)
    assert MonitorVersion.objects.get().token != token
    flag = PainFlag.objects.get(kind=FlagKind.RED_FLAG)
    therapist_client.post(reverse("exercises:flag_done", kwargs={"flag_id": flag.pk}))
    assert "Red-flag" not in row_of(listed(therapist_client), "Margaret Hill")


def test_her_settings_and_the_accounts_changes_show_on_the_next_view(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    session_post(patient_client, program, pain_before="1", pain_after="3")
    assert "acceptable" in row_of(listed(therapist_client), "Margaret Hill")
    monitoring_settings_save(
        therapist=therapist.therapist_profile,
        thresholds=MonitoringThresholds(safe_max=3, acceptable_max=6),
    )
    assert "safe" in row_of(listed(therapist_client), "Margaret Hill")
    # The accounts app calls nothing of exercises: her patients' fingerprint is in the key.
    user_name_change(user=patient, full_name="Margaret Hill-Jones")
    assert "Margaret Hill-Jones" in listed(therapist_client)
    newcomer = patient_create(therapist=therapist, email="ann.lee@example.com", full_name="Ann Lee")
    assert "Ann Lee" in listed(therapist_client)
    PatientProfile.objects.filter(user=newcomer).update(therapist=None)
    assert "Ann Lee" not in listed(therapist_client)


def test_a_day_turning_over_in_her_zone_changes_adherence(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    zone = patient_zone(patient_id=patient.pk)
    tomorrow = patient_today(patient_id=patient.pk) + timedelta(days=1)
    evening = datetime.combine(tomorrow, time(22, 0), tzinfo=zone)
    with time_machine.travel(evening, tick=False):
        program = program_make(therapist=therapist, patient=patient)  # twice a day, from today
        session_post(patient_client, program)  # one of today's two: begun, so due
        assert "100%" in row_of(listed(therapist_client), "Margaret Hill")
    with time_machine.travel(evening + timedelta(hours=3), tick=False):  # 1 a.m. the next day
        html = row_of(listed(therapist_client), "Margaret Hill")
        assert "50%" in html  # 1 of yesterday's 2; today's not begun
    assert len(store) == 1  # one version per therapist is kept


def test_a_kept_view_records_the_client_address_the_proxy_saw(
    therapist: User, patient: User, therapist_client: Client, settings: Any
) -> None:
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    listed(therapist_client)  # rendered, then kept

    page = therapist_client.get(
        reverse(MONITOR) + "?sort=name",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
        HTTP_USER_AGENT="Kept/2.0",
    )

    assert page.status_code == 200
    (entry,) = AuditEvent.objects.filter(user_agent="Kept/2.0")
    assert (entry.ip, entry.path) == ("203.0.113.9", reverse(MONITOR) + "?sort=name")
    assert entry.summary == "Viewed adherence and pain of her patients (1)"
