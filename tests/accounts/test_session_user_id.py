"""A session naming no usable account (tampered, stale or corrupt data) is signed out: the
request goes on as an anonymous visitor's, never a 500 (``practice.accounts.backends``)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.accounts.backends import AuthenticationBackend
from practice.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "user_id",
    ["not-a-number", "99999999999999999999999", "-99999999999999999999999", "1.5", "", None],
)
def test_a_session_naming_no_usable_id_is_signed_out(patient: User, user_id: object) -> None:
    client = Client()
    session = client.session
    session[SESSION_KEY] = user_id
    session[BACKEND_SESSION_KEY] = "practice.accounts.backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = patient.get_session_auth_hash()
    session.save()

    response = client.get(reverse("accounts:my_program"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_session_naming_a_deleted_account_is_signed_out(patient: User) -> None:
    client = Client()
    client.force_login(patient, backend="practice.accounts.backends.AuthenticationBackend")
    User.objects.filter(pk=patient.pk).delete()

    response = client.get(reverse("accounts:my_program"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("user_id", [2**63, -(2**63) - 1])
def test_an_id_beyond_the_column_is_not_sent_to_the_database(user_id: int) -> None:
    """SQLite (``make run``) raises OverflowError on such a parameter: a 500 on every page.
    PostgreSQL compares it as a numeric; the ORM's own lookups never send it either."""
    with CaptureQueriesContext(connection) as queries:
        found = AuthenticationBackend().get_user(user_id)

    assert found is None
    assert queries.captured_queries == []
