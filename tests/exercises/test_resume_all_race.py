"""Two presses of "Resume all" (or of one program's "Resume") racing, a double click on two
connections, resume each program once and audit each once."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from exercises.models import Program
from practice.accounts.models import User
from practice.audit.models import AuditEvent
from tests.exercises.portal_helpers import program_make, session_post

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("resume_all", [True, False], ids=["resume-all", "one-program"])
def test_two_racing_presses_audit_each_program_once(
    therapist: User,
    patient: User,
    patient_client: Client,
    therapist_client: Client,
    resume_all: bool,
) -> None:
    programs = [
        program_make(therapist=therapist, patient=patient, title=title)
        for title in ("Hip flexor release", "Wake up your glutes", "Balance")
    ]
    session_post(patient_client, programs[0], red_flags=["back_pain"])
    assert Program.objects.filter(paused_at__isnull=False).count() == 3
    url = (
        reverse("exercises:patient_resume_all", kwargs={"patient_id": patient.pk})
        if resume_all
        else reverse("exercises:program_resume", kwargs={"program_id": programs[1].pk})
    )
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def press(name: str) -> None:
        try:
            start.wait(10)
            results[name] = therapist_client.post(url).status_code
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert results == {"a": 302, "b": 302}, results
    expected = programs if resume_all else programs[1:2]
    assert set(Program.objects.filter(paused_at__isnull=True)) == set(expected)
    resumed = AuditEvent.objects.filter(summary__startswith="Resumed the paused program")
    assert sorted(resumed.values_list("object_id", flat=True)) == sorted(
        str(p.pk) for p in expected
    )
