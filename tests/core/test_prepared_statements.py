"""The statements every signed-in request runs are prepared once per connection
(``practice.core.postgresql``: ``prepared_cursor``), and ``DATABASE_PREPARED_STATEMENTS=off``
(behind a pooler that does not keep them) sends them as plain statements."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from practice.accounts.models import User

pytestmark = pytest.mark.django_db


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{fragment}%"],
        )
        return [row[0] for row in cursor.fetchall()]


def _sessions_read(client: Client, times: int) -> None:
    for _ in range(times):
        assert client.get(reverse("exercises:today")).status_code == 200


def test_the_session_with_the_signed_in_person_is_planned_once(patient_client: Client) -> None:
    _sessions_read(patient_client, 3)

    (statement,) = _prepared('FROM "accounts_session"')
    assert '"accounts_user"' in statement
    assert "$1" in statement, "its value is a parameter, not written into the SQL"


def test_each_list_view_reuses_the_prepared_state_and_audit_statement(
    therapist_client: Client,
) -> None:
    for _ in range(3):
        assert therapist_client.get(reverse("exercises:monitor")).status_code == 200

    (statement,) = _prepared("WITH people AS")
    assert "INSERT INTO" in statement


@override_settings(DATABASE_PREPARED_STATEMENTS=False)
def test_off_behind_a_pooler_nothing_is_prepared_and_she_is_still_signed_in(
    patient_client: Client, patient: User
) -> None:
    page = patient_client.get(reverse("exercises:today"))

    assert page.status_code == 200
    assert page.wsgi_request.user == patient
    assert _prepared('FROM "accounts_session"') == []
