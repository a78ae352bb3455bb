"""allauth's pages, seen by each kind of visitor, all live inside the site's layout."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_site_page(client: Client, name: str) -> str:
    response = client.get(reverse(name), follow=True)
    assert response.status_code == 200, name
    html = response.content.decode()
    assert 'class="skip-link"' in html, name
    assert "<script" not in html, f"{name} must work without JavaScript"
    assert "<form" not in html or "<label" in html or "<button" in html, name
    return html


@pytest.mark.parametrize(
    "name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_entrance_pages(client: Client, name: str) -> None:
    assert_site_page(client, name)


@pytest.mark.parametrize(
    "name", ["account_email", "account_change_password", "account_logout", "mfa_index"]
)
def test_account_pages_for_patients(patient_client: Client, name: str) -> None:
    assert_site_page(patient_client, name)


@pytest.mark.parametrize("name", ["mfa_index", "mfa_view_recovery_codes", "account_reauthenticate"])
def test_two_step_pages_for_staff(therapist_client: Client, name: str) -> None:
    assert_site_page(therapist_client, name)
