from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import clear_script_prefix, reverse, set_script_prefix

from practice.accounts.models import User
from tests.fixtures.accounts import (
    PASSWORD,
    login_with_password,
    therapist_create,
    totp_code,
)

pytestmark = pytest.mark.django_db

PROTECTED = ["/admin/", "/accounts/patients/"]


def test_staff_without_an_authenticator_must_set_one_up_before_patient_data(
    client: Client,
) -> None:
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    login_with_password(client, therapist.email)

    page = client.get("/admin/", follow=True)
    setup = reverse("mfa_activate_totp")
    assert page.redirect_chain == [(f"{setup}?next=%2Fadmin%2F", 302)], "no second password"
    html = page.content.decode()
    assert "staff accounts use two-step sign-in" in html
    assert 'class="skip-link"' in html
    assert '<label for="id_code">' in html
    for path in PROTECTED:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{setup}?{urlencode({'next': path})}", path
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"
    assert client.get(reverse("home")).status_code == 200, "public pages stay open"

    code = totp_code(client.session[SECRET_SESSION_KEY])
    response = client.post(reverse("mfa_activate_totp"), {"code": code})

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    for path in PROTECTED:
        assert client.get(path).status_code == 200, path


def test_staff_with_an_authenticator_are_asked_for_the_code_after_the_password(
    client: Client, therapist: User
) -> None:
    assert login_with_password(client, therapist.email) == reverse("mfa_authenticate")

    assert "_auth_user_id" not in client.session
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))

    response = client.post(
        reverse("mfa_authenticate"),
        {"code": totp_code(therapist.totp_secret)},  # type: ignore[attr-defined]
    )

    assert response["Location"] == reverse("accounts:patients")
    for path in PROTECTED:
        assert client.get(path).status_code == 200, path


def test_a_wrong_code_keeps_staff_out(client: Client, therapist: User) -> None:
    login_with_password(client, therapist.email)

    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_staff_session_without_the_second_step_must_confirm_the_code(
    client: Client, therapist: User
) -> None:
    client.force_login(therapist)  # a session that never went through two-step sign-in

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "confirm it&#x27;s you" in page.content.decode()

    response = client.post(
        response["Location"],
        {"code": totp_code(therapist.totp_secret)},  # type: ignore[attr-defined]
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_therapist_client_fixture_has_completed_two_step_sign_in(
    therapist_client: Client,
) -> None:
    assert therapist_client.get("/admin/").status_code == 200
    assert therapist_client.get(reverse("accounts:patients")).status_code == 200


def test_patients_never_see_the_admin_or_therapist_pages(patient_client: Client) -> None:
    response = patient_client.get("/admin/", follow=True)
    assert response.status_code == 403

    assert patient_client.get(reverse("accounts:patients")).status_code == 403
    assert patient_client.get(reverse("home")).status_code == 200


def test_a_login_older_than_a_few_minutes_must_confirm_the_password_to_set_up(
    client: Client,
) -> None:
    therapist = therapist_create(email="slow.staff@example.com", totp=False)
    with time_machine.travel(datetime.now(tz=UTC), tick=True) as traveller:
        login_with_password(client, therapist.email)
        traveller.shift(timedelta(minutes=10))

        response = client.get(reverse("mfa_activate_totp"))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        response = client.post(response["Location"], {"password": PASSWORD})
        assert response["Location"] == reverse("mfa_activate_totp")


def test_the_admin_login_goes_through_the_sites_login_with_its_rate_limits(
    client: Client,
) -> None:
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    page = client.get("/admin/", follow=True)
    assert page.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert "Log in" in page.content.decode()


@pytest.fixture
def script_prefix_restored():
    yield
    clear_script_prefix()


def test_under_a_sub_path_staff_without_two_step_sign_in_are_still_stopped(
    client: Client, script_prefix_restored: None
) -> None:
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    login_with_password(client, therapist.email)
    # Served under /clinic/ by a proxy that passes SCRIPT_NAME: Django's WSGI handler sets the
    # script prefix from it on every request; the test client does not, so it is set here.
    set_script_prefix("/clinic/")
    clinic = "/clinic"

    api = client.get("/api/v1/me/", SCRIPT_NAME=clinic)
    admin = client.get("/admin/", SCRIPT_NAME=clinic)

    assert api.status_code == 403
    assert api.json()["error"]["code"] == "two_factor_required"
    assert admin.status_code == 302
    assert admin["Location"] == "/clinic/accounts/2fa/totp/activate/?next=%2Fclinic%2Fadmin%2F"
    assert client.get("/", SCRIPT_NAME=clinic).status_code == 200, "public pages stay open"


def test_the_code_that_turned_two_step_sign_in_on_cannot_sign_in_again(client: Client) -> None:
    """Someone who saw the set-up code (over her shoulder) and knows her password must not get
    in with it while it is still showing: each code works once (allauth marks codes used at
    sign-in; setting up must too)."""
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    middle_of_a_period = datetime(2026, 3, 2, 9, 0, 10, tzinfo=UTC)
    with time_machine.travel(middle_of_a_period, tick=False):
        login_with_password(client, therapist.email)
        client.get(reverse("mfa_activate_totp"))
        code = totp_code(client.session[SECRET_SESSION_KEY])
        assert client.post(reverse("mfa_activate_totp"), {"code": code}).status_code == 302

        onlooker = Client()
        assert login_with_password(onlooker, therapist.email) == reverse("mfa_authenticate")
        response = onlooker.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert "_auth_user_id" not in onlooker.session
