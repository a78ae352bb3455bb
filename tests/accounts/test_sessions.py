"""Sessions are rows read with the person signed in on them (``practice.accounts.sessions``):
one statement per signed-in request, and the signed session data stays the authority."""

from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice.accounts.models import Session, User
from practice.accounts.sessions import SessionStore
from tests.fixtures.accounts import login_with_password

pytestmark = pytest.mark.django_db

MY_PROGRAM = reverse("accounts:my_program")


def _signed_in(client: Client) -> bool:
    """Whether "My program" lets her in or sends her to sign in."""
    response = client.get(MY_PROGRAM)
    assert response.status_code == 302
    return not response["Location"].startswith(reverse("account_login"))


def _row(client: Client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_signing_in_names_her_on_the_row_and_signing_out_removes_it(patient: User) -> None:
    client = Client()
    client.get(reverse("account_login"))
    visitor_key = client.cookies["sessionid"].value if "sessionid" in client.cookies else None

    login_with_password(client, patient.email)
    row = _row(client)
    client.post(reverse("account_logout"))

    assert row.session_key != visitor_key, "the key is cycled at sign-in"
    assert row.user_id == patient.pk
    assert not Session.objects.filter(user=patient).exists()
    assert not _signed_in(client)


def test_a_signed_in_page_reads_the_session_and_the_person_in_one_statement(
    therapist_client: Client, therapist: User
) -> None:
    therapist_client.get("/accounts/patients/")

    with CaptureQueriesContext(connection) as queries:
        assert therapist_client.get("/accounts/patients/").status_code == 200

    reading_the_session = [q["sql"] for q in queries if '"accounts_session"' in q["sql"]]
    assert len(reading_the_session) == 1
    (statement,) = reading_the_session
    assert '"accounts_user"' in statement
    assert '"accounts_therapistprofile"' in statement
    assert '"mfa_authenticator"' in statement
    assert not any('FROM "accounts_user"' in q["sql"] for q in queries)


def test_the_signed_data_decides_who_is_signed_in_not_the_row(
    patient_client: Client, patient: User, therapist: User
) -> None:
    """A row naming another account (written by hand, or by an older release) is ignored."""
    Session.objects.filter(user=patient).update(user=therapist)

    page = patient_client.get(reverse("exercises:today"))

    assert page.status_code == 200
    assert page.wsgi_request.user.pk == patient.pk


def test_a_session_past_its_expiry_signs_her_out(patient_client: Client, patient: User) -> None:
    Session.objects.filter(user=patient).update(expire_date=timezone.now() - timedelta(seconds=1))

    assert not _signed_in(patient_client)


def test_deleting_an_account_deletes_its_sessions(patient_client: Client, patient: User) -> None:
    assert Session.objects.filter(user=patient).exists()

    patient.delete()

    assert not Session.objects.filter(user_id=patient.pk).exists()
    assert not _signed_in(patient_client)


def test_a_session_naming_an_id_no_account_has_is_saved_and_signs_nobody_in() -> None:
    """No constraint on the copy: saving such a session must not fail (with no row made,
    Django's store would try new keys for ever)."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = "987654321"
    session.save()

    assert Session.objects.get(session_key=session.session_key).user_id == 987654321
    assert not _signed_in(client)


def test_a_visitors_session_names_nobody() -> None:
    client = Client()
    session = client.session
    session["consult_draft"] = "x"
    session.save()

    assert Session.objects.get(session_key=session.session_key).user_id is None


def test_the_admins_page_deleting_an_account_never_shows_its_session_keys(
    owner_client: Client, patient_client: Client, patient: User
) -> None:
    """A session key is as good as her password: the admin lists the sessions deleting her
    account deletes, and must not print their keys."""
    key = patient_client.cookies["sessionid"].value

    page = owner_client.get(reverse("admin:accounts_user_delete", args=[patient.pk]))

    assert page.status_code == 200
    assert key not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_former_stores_sessions_are_deleted_when_the_new_store_arrives() -> None:
    """Nothing reads ``django_session`` any more, and ``clearsessions`` only clears the
    configured store: the rows it held at the switch (who was signed in, their pending
    sign-ins) would otherwise be kept for ever."""
    former_store = import_module("django.contrib.sessions.backends.db").SessionStore
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0008_sessions_with_their_user")])
    signed_in = former_store()
    signed_in[SESSION_KEY] = "1"
    signed_in.create()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert not former_store.get_model_class().objects.exists()


def test_a_session_saved_by_async_code_names_her_on_the_row_too(patient: User) -> None:
    """``asave`` (``alogin``, ``acycle_key``) builds the row with ``acreate_model_instance``:
    without her id there, deleting her account would leave the session behind."""
    session = SessionStore()
    session[SESSION_KEY] = str(patient.pk)

    async_to_sync(session.acreate)()

    assert Session.objects.get(session_key=session.session_key).user_id == patient.pk


def test_an_unsaved_session_without_an_expiry_has_a_name_and_no_key() -> None:
    """The admin and logs call ``str()`` on sessions not saved yet (no ``expire_date``)."""
    session = Session(session_key="a-secret-key-signing-her-in", session_data="x")

    assert str(session) == "Session (not saved)"
    assert "a-secret-key" not in str(session)


def test_a_sessions_name_gives_its_expiry_in_utc_whatever_zone_it_was_set_in() -> None:
    session = Session(
        session_key="another-secret-key",
        expire_date=datetime(2026, 1, 5, 12, 30, tzinfo=ZoneInfo("America/New_York")),
    )

    assert str(session) == "Session until 2026-01-05 17:30 UTC"
