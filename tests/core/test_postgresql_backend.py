"""A kept database connection the server has closed is replaced before the next query
(``practice.core.postgresql``: the health check polls the socket instead of ``SELECT 1``)."""

from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.exercises.portal_helpers import program_make
from tests.fixtures.accounts import login_with_totp
from tests.fixtures.services import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _kept_connections() -> Iterator[None]:
    """Production's kept connections (the tests close theirs after every request)."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    yield
    connection.close()
    connection.settings_dict.update(saved)


def _server_pid() -> int:
    connection.ensure_connection()
    return int(connection.connection.info.backend_pid)


def _end_of_request() -> None:
    """What Django does between two requests on a kept connection."""
    connection.close_if_unusable_or_obsolete()
    assert connection.health_check_enabled  # type: ignore[attr-defined]
    assert not connection.health_check_done  # type: ignore[attr-defined]


def test_a_connection_ended_by_the_server_is_replaced_before_the_next_query() -> None:
    before = _server_pid()
    _end_of_request()
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [before])
        gone = "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)"
        wait_until(lambda: (admin.execute(gone, [before]).fetchone() or (False,))[0], timeout=10)

    assert User.objects.count() >= 0  # no OperationalError: a new connection was opened
    assert _server_pid() != before


def test_a_healthy_kept_connection_is_kept() -> None:
    before = _server_pid()
    _end_of_request()

    assert User.objects.count() >= 0
    assert _server_pid() == before


def _terminate(pid: int) -> None:
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        gone = "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)"
        wait_until(lambda: (admin.execute(gone, [pid]).fetchone() or (False,))[0], timeout=10)


def test_a_request_whose_first_query_is_in_a_transaction_gets_a_new_connection() -> None:
    """A view (a form's save) that opens ``transaction.atomic()`` before any other query: the
    dead connection must be replaced on entering, not found dead inside the block, where
    Django may not open a new one ("Cannot open a new connection in an atomic block")."""
    before = _server_pid()
    _end_of_request()
    _terminate(before)

    with transaction.atomic():
        User.objects.create_user(email="after-restart@example.com", password=None)

    assert User.objects.filter(email="after-restart@example.com").exists()
    assert _server_pid() != before


def test_her_kept_patients_list_answers_after_the_server_ended_the_connection(
    therapist: User, patient: User
) -> None:
    program_make(therapist=therapist, patient=patient)
    client = Client()
    login_with_totp(client, therapist)
    for _ in range(2):  # the sign-in notice, then the kept page
        assert client.get(reverse("exercises:monitor")).status_code == 200
    before = _server_pid()
    _end_of_request()
    _terminate(before)

    response = client.get(reverse("exercises:monitor"))

    assert response.status_code == 200
    assert "Margaret Hill" in response.content.decode()
    assert _server_pid() != before
