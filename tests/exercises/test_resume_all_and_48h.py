"""The therapist's patient page: the 48-hour pain score beside before / after / next morning,
and "Resume all her paused programs" after a red-flag report."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from exercises.models import Program, SessionLog
from practice.accounts.models import User
from practice.audit.models import AuditEvent
from tests.exercises.portal_helpers import (
    days_ago,
    program_make,
    session_post,
    unsettled_log_make,
)
from tests.fixtures.accounts import login_with_totp

pytestmark = pytest.mark.django_db


def _page(client: Client, patient: User) -> str:
    url = reverse("exercises:monitor_patient", kwargs={"patient_id": patient.pk})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _pain_table(html: str) -> tuple[list[str], list[list[str]]]:
    """The pain data table's column headers and its rows' cells, as text."""
    table = html[html.index('<caption id="pain-caption">') : html.index("</table>")]
    headers = re.findall(r'<th scope="col">(.*?)</th>', table)
    rows = [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>") :])
    ]
    return headers, rows


def test_the_48_hour_score_stands_beside_the_others_in_the_table_and_the_log(
    therapist: User, patient: User, patient_client: Client, therapist_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient, start=days_ago(4, patient=patient))
    log = unsettled_log_make(program)
    SessionLog.objects.create(
        program=program, patient=patient, performed_on=days_ago(3, patient=patient),
        idempotency_key="three-days-ago", items_done=2, items_total=2,
        pain_before=1, pain_after=2, pain_next_morning=1,
    )  # fmt: skip
    patient_client.post(
        reverse("exercises:next_morning", kwargs={"log_id": log.pk}), {"pain": "5", "stage": "48h"}
    )
    html = _page(therapist_client, patient)
    headers, rows = _pain_table(html)
    assert headers == ["Day", "Before", "After", "Next morning", "48 hours after"]
    day = f"{log.performed_on:%b} {log.performed_on.day}"
    assert [day, "2", "4", "4", "5"] in rows
    assert [cells[4] for cells in rows if cells[0] != day] == ["\u2013"], "not asked: a dash"
    assert "pain 2 → 4 · next morning 4 · 48 hours after 5" in html
    assert "Pain still not settled after 48 hours" in html


def _two_paused_programs(therapist: User, patient: User, patient_client: Client) -> list[Program]:
    first = program_make(therapist=therapist, patient=patient, title="Hip flexor release")
    second = program_make(therapist=therapist, patient=patient, title="Wake up your glutes")
    session_post(patient_client, first, red_flags=["fall"])
    paused = list(Program.objects.filter(paused_at__isnull=False).order_by("pk"))
    assert paused == [first, second], "one red-flag report pauses all her programs"
    return paused


def _resume_all(client: Client, patient: User, **kwargs: Any) -> Any:
    url = reverse("exercises:patient_resume_all", kwargs={"patient_id": patient.pk})
    return client.post(url, **kwargs)


def test_resume_all_resumes_every_paused_program_audited_once_each(
    therapist: User, patient: User, patient_client: Client, therapist_client: Client
) -> None:
    programs = _two_paused_programs(therapist, patient, patient_client)
    html = _page(therapist_client, patient)
    assert "2 of her programs are paused" in html
    assert "Resume all her paused programs (2)" in html
    response = _resume_all(therapist_client, patient, follow=True)
    page = response.content.decode()
    assert "Running again: Hip flexor release, Wake up your glutes." in page
    assert "Resume all her paused programs" not in page
    assert not Program.objects.filter(paused_at__isnull=False).exists()
    resumed = AuditEvent.objects.filter(
        actor=therapist, patient=patient, action="update", summary__startswith="Resumed"
    )
    assert sorted(resumed.values_list("object_id", flat=True)) == sorted(
        str(p.pk) for p in programs
    )
    again = _resume_all(therapist_client, patient, follow=True)
    assert "None of her programs is paused." in again.content.decode()
    assert resumed.count() == 2, "a double submit audits nothing twice"
    # She can log again.
    session_post(patient_client, programs[1], idempotency_key="after-resume")
    assert SessionLog.objects.filter(program=programs[1]).count() == 1


def test_resume_all_is_hidden_with_nothing_paused(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    program_make(therapist=therapist, patient=patient)
    assert "Resume all" not in _page(therapist_client, patient)


def test_resume_all_is_her_own_therapists_by_post_with_csrf_only(
    therapist: User,
    patient: User,
    other_patient: User,
    other_therapist: User,
    patient_client: Client,
    therapist_client: Client,
) -> None:
    _two_paused_programs(therapist, patient, patient_client)
    other = Client()
    login_with_totp(other, other_therapist)
    assert _resume_all(other, patient).status_code == 404
    assert _resume_all(patient_client, patient).status_code == 403
    anonymous = _resume_all(Client(), patient)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    url = reverse("exercises:patient_resume_all", kwargs={"patient_id": patient.pk})
    assert therapist_client.get(url).status_code == 405
    # Not her patient (another therapist's), and no such patient at all: 404.
    assert _resume_all(therapist_client, other_patient).status_code == 404
    missing = reverse("exercises:patient_resume_all", kwargs={"patient_id": 999999})
    assert therapist_client.post(missing).status_code == 404
    therapist_client.handler.enforce_csrf_checks = True  # a form posted without its token
    assert _resume_all(therapist_client, patient).status_code == 403
    assert Program.objects.filter(paused_at__isnull=False).count() == 2
    assert not AuditEvent.objects.filter(summary__startswith="Resumed").exists()
