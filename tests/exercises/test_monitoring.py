"""The therapist's view: adherence over 7 and 28 days, latest pain and zone, flags, in a
constant number of queries; one patient's calendar, chart, comments and history; settings."""

from datetime import timedelta
from decimal import Decimal

import pytest
from defusedxml import ElementTree
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.models import (
    MonitoringSettings,
    PainFlag,
    Program,
    ProgramDay,
    SessionLog,
)
from exercises.pain import FlagKind
from practice.accounts.models import PatientProfile, User
from practice.audit.models import AuditEvent
from tests.exercises.portal_helpers import days_ago, program_make, row_of, session_post

pytestmark = pytest.mark.django_db


def test_adherence_counts_sessions_done_of_prescribed_and_today_only_as_done(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    # Twice a day for the last 6 days and today: 12 sessions prescribed before today.
    program = program_make(therapist=therapist, patient=patient, start=days_ago(6, patient=patient))
    for n in range(1, 7):
        ProgramDay.objects.filter(program=program, day=days_ago(n, patient=patient)).update(
            done=Decimal(1) if n % 2 else Decimal(2)
        )  # 3 days once, 3 days twice: 9 of 12
    html = therapist_client.get(reverse("exercises:monitor")).content.decode()
    row = row_of(html, patient.full_name or patient.email)
    assert "75%" in row  # 9 / 12, today not held against her yet
    session_post(patient_client, program, pain_before="1", pain_after="2")
    html = therapist_client.get(reverse("exercises:monitor")).content.decode()
    row = row_of(html, patient.full_name or patient.email)
    assert "77%" in row  # 10 / 13
    assert "2 of 10" in row
    assert "safe" in row


def test_an_extra_session_does_not_make_up_for_a_missed_one(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    program = program_make(
        therapist=therapist,
        patient=patient,
        start=days_ago(2, patient=patient),
        doses=({"sets": 2, "reps": 10, "rest_seconds": 30},),
    )
    ProgramDay.objects.filter(program=program, day=days_ago(2, patient=patient)).update(done=3)
    html = therapist_client.get(reverse("exercises:monitor")).content.decode()
    assert "50%" in row_of(html, patient.full_name or patient.email)


def _population(therapist: User, count: int) -> None:
    """``count`` patients, each with a running program, 28 days and 2 logs a day: in bulk."""
    profile = therapist.therapist_profile
    users = User.objects.bulk_create(
        [User(email=f"bulk{count}-{n}@example.com", full_name=f"Bulk {n}") for n in range(count)]
    )
    PatientProfile.objects.bulk_create([PatientProfile(user=u, therapist=profile) for u in users])
    today = days_ago(0, patient=users[0])
    programs = Program.objects.bulk_create(
        [
            Program(
                patient=u,
                therapist=profile,
                title="Bulk",
                start_date=today - timedelta(days=27),
                end_date=today + timedelta(days=7),
            )
            for u in users
        ]
    )
    ProgramDay.objects.bulk_create(
        ProgramDay(
            program=p,
            patient_id=p.patient_id,
            day=today - timedelta(days=d),
            prescribed=Decimal(2),
            done=Decimal(1),
        )
        for p in programs
        for d in range(28)
    )
    SessionLog.objects.bulk_create(
        SessionLog(
            program=p,
            patient_id=p.patient_id,
            performed_on=today - timedelta(days=d),
            idempotency_key=f"{d}-{k}",
            items_done=1,
            items_total=1,
            pain_before=2,
            pain_after=3 + d % 5,
        )
        for p in programs
        for d in range(28)
        for k in range(2)
    )
    PainFlag.objects.bulk_create(
        PainFlag(
            patient_id=p.patient_id, program=p, kind=FlagKind.PAIN_HIGH, key=f"b{p.pk}", detail="x"
        )
        for p in programs[::3]
    )


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("exercises:monitor"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_takes_the_same_queries_for_5_and_200_patients(
    therapist: User, therapist_client: Client
) -> None:
    _queries(therapist_client)  # fills what any signed-in page caches (her two-step check)
    _population(therapist, 5)
    few = _queries(therapist_client)
    _population(therapist, 195)
    many = _queries(therapist_client)
    assert few == many
    html = therapist_client.get(reverse("exercises:monitor")).content.decode()
    assert html.count("<tr>") == 201
    assert "54%" in row_of(html, "Bulk 7<")  # 1 of 2 a day; today 1 done of 1 counted: 7/13


def test_zones_follow_the_therapists_settings(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    session_post(patient_client, program, pain_before="1", pain_after="3")
    name = patient.full_name or patient.email
    assert "acceptable" in row_of(
        therapist_client.get(reverse("exercises:monitor")).content.decode(), name
    )
    url = reverse("exercises:monitoring_settings")
    bad = therapist_client.post(
        url, {"safe_max": 5, "acceptable_max": 4, "rise_points": "2", "missed_days": 3}
    )
    assert bad.status_code == 400
    assert b"Must be above the highest safe pain" in bad.content
    therapist_client.post(
        url, {"safe_max": 3, "acceptable_max": 6, "rise_points": "2", "missed_days": 3}
    )
    assert MonitoringSettings.objects.get().safe_max == 3
    assert "safe" in row_of(
        therapist_client.get(reverse("exercises:monitor")).content.decode(), name
    )


def test_the_patient_page_has_calendar_chart_table_comments_and_history(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    session_post(patient_client, program, pain_before="2", pain_after="6", comment="Hips sore <b>")
    url = reverse("exercises:monitor_patient", kwargs={"patient_id": patient.pk})
    html = therapist_client.get(url).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert ElementTree.fromstring(svg).get("role") == "img"
    assert "Hips sore &lt;b&gt;" in html
    assert "Pain in the red zone" in html
    assert "revision 1" in html
    assert "Prescribed" in html
    assert html.count('class="cal--') == 28
    assert AuditEvent.objects.filter(
        actor=therapist, patient=patient, summary__contains="exercise logs"
    ).exists()


def test_the_therapist_resumes_a_paused_program_and_deals_with_its_flag(
    therapist: User, patient: User, therapist_client: Client, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    session_post(patient_client, program, red_flags=["back_pain"])
    flag = PainFlag.objects.get(kind=FlagKind.RED_FLAG)
    listed = therapist_client.get(reverse("exercises:monitor")).content.decode()
    assert "Red-flag symptom reported" in row_of(listed, patient.full_name or patient.email)
    therapist_client.post(reverse("exercises:flag_done", kwargs={"flag_id": flag.pk}))
    therapist_client.post(reverse("exercises:program_resume", kwargs={"program_id": program.pk}))
    flag.refresh_from_db()
    program.refresh_from_db()
    assert flag.resolved_at is not None
    assert program.paused_at is None
    html = therapist_client.get(reverse("exercises:monitor")).content.decode()
    assert "Red-flag" not in row_of(html, patient.full_name or patient.email)
