"""Two requests racing with the same idempotency key (the player and a retry, two taps on
two connections) record one session, count once, and alert the therapist once."""

import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from exercises.models import Program, ProgramDay, SessionLog
from practice.accounts.models import User
from practice.outbox.models import OutboxMessage
from tests.exercises.portal_helpers import days_ago, program_make
from tests.exercises.test_portal_api_and_access import api_url, body

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_racing_requests_with_one_key_log_one_session(
    therapist: User, patient: User, patient_client: Client
) -> None:
    program = program_make(therapist=therapist, patient=patient)
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def post(name: str) -> None:
        try:
            start.wait(10)
            results[name] = patient_client.post(
                api_url(program),
                body(program, red_flags=["fall"]),
                content_type="application/json",
                headers={"Idempotency-Key": "same-tap"},
            ).status_code
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(results.values()) == [200, 201], results
    assert SessionLog.objects.count() == 1
    today = ProgramDay.objects.get(program=program, day=days_ago(0, patient=patient))
    assert today.done == 1
    assert Program.objects.get(pk=program.pk).paused_at is not None
    assert OutboxMessage.objects.filter(to=therapist.email).count() == 1
