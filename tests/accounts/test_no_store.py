"""Pages with account details or secrets are never kept by the browser or a shared cache."""

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User

pytestmark = pytest.mark.django_db


def assert_no_store(response, url: str) -> None:
    assert "no-store" in response.get("Cache-Control", ""), (url, response.get("Cache-Control"))


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/invite/",
        "/accounts/invite/not-a-real-token/",
        "/accounts/therapist/",
    ],
)
def test_entrance_and_invite_pages(client: Client, url: str) -> None:
    assert_no_store(client.get(url), url)


@pytest.mark.parametrize(
    "url",
    ["/accounts/email/", "/accounts/password/change/", "/accounts/2fa/", "/exercises/today/"],
)
def test_her_account_pages(patient_client: Client, url: str) -> None:
    response = patient_client.get(url)

    assert response.status_code == 200
    assert_no_store(response, url)


def test_the_api_me_endpoint(patient: User) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=patient)
    response = Client(headers={"authorization": f"Token {token.key}"}).get("/api/v1/me/")

    assert response.status_code == 200
    assert_no_store(response, "/api/v1/me/")


def test_two_step_pages_for_staff(therapist_client: Client) -> None:
    for name in ["mfa_index", "mfa_view_recovery_codes"]:
        response = therapist_client.get(reverse(name))
        assert response.status_code == 200
        assert_no_store(response, name)


def test_pages_are_chosen_by_name_so_a_site_under_a_sub_path_is_covered(
    patient_client: Client,
) -> None:
    response = patient_client.get("/accounts/email/", SCRIPT_NAME="/practice")

    assert response.status_code == 200
    assert response.wsgi_request.path == "/practice/accounts/email/"
    assert_no_store(response, "/practice/accounts/email/")


def test_public_pages_may_still_be_cached(client: Client) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")
