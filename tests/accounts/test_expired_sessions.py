"""Expired sessions are deleted every day (``practice.accounts.sessions.sessions_clear_expired``,
the ``accounts.sessions_clear_expired`` task on Celery beat), in bounded batches, and the
sessions of people still signed in are left alone."""

import logging
import secrets
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.accounts.models import Session, User
from practice.accounts.sessions import SessionStore, sessions_clear_expired
from tests.fixtures.services import wait_until

pytestmark = pytest.mark.django_db

MY_PROGRAM = reverse("accounts:my_program")


def _expired_sessions_make(count: int, *, expires_in: timedelta = -timedelta(days=1)
                           ) -> list[str]:  # fmt: skip
    """``count`` rows of someone's sessions expiring ``expires_in`` from now (past: negative)."""
    keys = [secrets.token_hex(16) for _ in range(count)]
    for key in keys:
        Session.objects.create(
            session_key=key,
            session_data=SessionStore().encode({SESSION_KEY: "1"}),
            expire_date=timezone.now() + expires_in,
            user_id=1,
        )
    return keys


def _signed_in(client: Client) -> bool:
    response = client.get(MY_PROGRAM)
    return response.status_code == 302 and not response["Location"].startswith(
        reverse("account_login")
    )


def _deletes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('DELETE FROM "accounts_session"')]


def test_expired_rows_go_in_batches_and_signed_in_sessions_stay(
    patient_client: Client, patient: User
) -> None:
    expired = _expired_sessions_make(5)
    assert _signed_in(patient_client)

    with CaptureQueriesContext(connection) as queries:
        deleted = sessions_clear_expired(batch_size=2)
    deletes = _deletes(queries)  # before a request empties the log

    assert deleted == 5
    assert not Session.objects.filter(session_key__in=expired).exists()
    assert Session.objects.filter(user=patient).count() == 1
    assert _signed_in(patient_client), "her live session still signs her in"
    assert len(deletes) == 3, "two full batches of 2, then the last one"
    assert all("LIMIT 2" in sql for sql in deletes), "each statement deletes a bounded batch"


def test_clearing_again_finds_nothing_and_deletes_nothing(patient_client: Client) -> None:
    _expired_sessions_make(3)
    assert sessions_clear_expired() == 3

    assert sessions_clear_expired() == 0
    assert Session.objects.count() == 1


def test_a_session_expired_a_moment_ago_goes_and_one_expiring_in_a_minute_stays() -> None:
    _expired_sessions_make(1, expires_in=-timedelta(milliseconds=1))
    [kept] = _expired_sessions_make(1, expires_in=timedelta(minutes=1))

    assert sessions_clear_expired() == 1

    assert list(Session.objects.values_list("session_key", flat=True)) == [kept]


def test_the_count_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    _expired_sessions_make(2)

    with caplog.at_level(logging.INFO, logger="practice.accounts.sessions"):
        sessions_clear_expired()

    assert "Deleted 2 expired sessions" in caplog.text


def test_manage_py_clearsessions_deletes_in_the_same_bounded_batches(
    patient_client: Client,
) -> None:
    """Django's ``clearsessions`` calls the store's ``clear_expired``: one unbounded DELETE
    there would lock the whole table for as long as it takes."""
    expired = _expired_sessions_make(3)

    with CaptureQueriesContext(connection) as queries:
        call_command("clearsessions")
    deletes = _deletes(queries)  # before a request empties the log

    assert not Session.objects.filter(session_key__in=expired).exists()
    assert _signed_in(patient_client)
    assert deletes
    assert all("LIMIT" in sql for sql in deletes)


def test_async_code_clears_them_the_same_way(patient_client: Client) -> None:
    """``aclear_expired``, Django's async twin of ``clear_expired``, deletes in batches too."""
    expired = _expired_sessions_make(2)

    with CaptureQueriesContext(connection) as queries:
        async_to_sync(SessionStore.aclear_expired)()
    deletes = _deletes(queries)

    assert deletes
    assert all("LIMIT" in sql for sql in deletes)
    assert not Session.objects.filter(session_key__in=expired).exists()
    assert _signed_in(patient_client)


def test_celery_beat_and_a_worker_delete_expired_sessions(
    celery_beat: object, patient_client: Client, patient: User
) -> None:
    """The beat entry in the settings names a task the worker knows, and it runs."""
    expired = _expired_sessions_make(3)

    assert wait_until(
        lambda: not Session.objects.filter(session_key__in=expired).exists(), timeout=20
    )
    assert Session.objects.filter(user=patient).exists()
    assert _signed_in(patient_client)
