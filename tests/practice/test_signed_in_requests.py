"""What every signed-in page costs, and that the short cuts keep their promises.

Sessions are read from the cache (``cached_db``) and whether staff have an authenticator is
remembered (``practice.accounts.two_factor``); signing out, a password change and removing
the authenticator must still take effect on the very next request.
"""

from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practice.accounts.models import User
from tests.fixtures.accounts import PASSWORD, login_with_password

PATIENTS = "/accounts/patients/"
NEW_PASSWORD = "a-brand-new-long-passphrase-42"


def _signed_in(client: Client) -> bool:
    """Whether "My program" lets her in (it sends her on to today's exercises) or asks to sign in."""
    response = client.get(reverse("accounts:my_program"))
    assert response.status_code == 302
    return not response["Location"].startswith(reverse("account_login"))


def _tables_read(client: Client, path: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return " ".join(query["sql"] for query in queries.captured_queries)


def test_a_staff_page_reads_neither_the_session_nor_the_authenticator_from_the_database(
    therapist_client: Client,
) -> None:
    _tables_read(therapist_client, PATIENTS)

    sql = _tables_read(therapist_client, PATIENTS)

    assert "django_session" not in sql
    assert "mfa_authenticator" not in sql


def test_removing_the_authenticator_sends_staff_to_set_up_again_at_once(
    therapist_client: Client,
) -> None:
    assert therapist_client.get(PATIENTS).status_code == 200

    turned_off = therapist_client.post(reverse("mfa_deactivate_totp"))
    response = therapist_client.get(PATIENTS)

    assert turned_off.status_code == 302
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_authenticator_deleted_by_the_admin_or_the_shell_re_prompts_at_once(
    therapist_client: Client, therapist: User
) -> None:
    assert therapist_client.get(PATIENTS).status_code == 200

    Authenticator.objects.filter(user=therapist).delete()
    response = therapist_client.get(PATIENTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_signing_out_ends_the_session_for_anyone_holding_its_cookie(
    patient_client: Client,
) -> None:
    assert _signed_in(patient_client)
    copy = Client()
    copy.cookies = patient_client.cookies.__class__(patient_client.cookies)

    patient_client.post(reverse("account_logout"))

    assert not _signed_in(copy)


def test_a_password_change_signs_her_out_on_her_other_browsers(patient: User) -> None:
    here, elsewhere = Client(), Client()
    login_with_password(here, patient.email)
    login_with_password(elsewhere, patient.email)
    assert _signed_in(elsewhere)

    changed = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert changed.status_code == 302
    assert _signed_in(here), "the browser she used stays signed in"
    assert not _signed_in(elsewhere)
