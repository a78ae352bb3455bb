"""allauth's pages, seen by each kind of visitor, all live inside the site's layout."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import PASSWORD, login_with_totp, totp_setup

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


# The account-settings pages speak our words and still do their job -----------------------

#: allauth's own wording, which none of our account pages may show.
ALLAUTH_WORDS = [
    "Two-Factor",
    "Email Addresses",
    "Change Password",
    "Set Password",
    "Deactivate",
    "Activate",
    "Recovery Codes",
    "Make Primary",
    "Re-send Verification",
    "Confirm Email Address",
    "Bad Token",
]


def headings_of(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", h).strip() for h in re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)]


def assert_own_words(client: Client, url: str, heading: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert headings_of(html) == [heading], url
    shown = [words for words in ALLAUTH_WORDS if words in html]
    assert not shown, f"{url} still shows allauth's wording: {shown}"
    return html


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_email", "Your email address"),
        ("account_change_password", "Change your password"),
        ("mfa_index", "Two-step sign-in"),
        ("account_reauthenticate", "Please confirm it's you"),
        ("account_logout", "Log out"),
    ],
)
def test_patient_settings_pages_speak_our_words(
    patient_client: Client, name: str, heading: str
) -> None:
    html = assert_own_words(patient_client, reverse(name), heading)

    assert 'aria-label="Account settings"' in html or name == "account_reauthenticate"


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("mfa_index", "Two-step sign-in"),
        ("mfa_view_recovery_codes", "Your recovery codes"),
        ("mfa_generate_recovery_codes", "Make new recovery codes"),
        ("mfa_deactivate_totp", "Turn off two-step sign-in"),
    ],
)
def test_staff_two_step_pages_speak_our_words(
    therapist_client: Client, name: str, heading: str
) -> None:
    assert_own_words(therapist_client, reverse(name), heading)


def test_staff_are_told_two_step_sign_in_is_required(therapist_client: Client) -> None:
    index = therapist_client.get(reverse("mfa_index")).content.decode()
    turn_off = therapist_client.get(reverse("mfa_deactivate_totp")).content.decode()

    assert "required for staff" in index
    assert "Two-step sign-in is on." in index
    assert "asked to set it up again" in turn_off
    assert "before you can see any patient information" in turn_off


def page_body(html: str) -> str:
    """What the page itself says: inside <main>, after the account-settings links."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return main.split("</nav>", 1)[-1]


def test_two_step_page_for_a_patient_offers_set_up_outside_any_list(
    patient_client: Client,
) -> None:
    body = page_body(patient_client.get(reverse("mfa_index")).content.decode())

    assert "Two-step sign-in is off." in body
    assert "It is up to you" in body
    assert f'href="{reverse("mfa_activate_totp")}">Set up two-step sign-in</a>' in body
    assert "<li" not in body


def test_changing_the_password_works(patient_client: Client, patient: User) -> None:
    new_password = "Gentle-yoga-on-tuesdays-3"

    response = patient_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        follow=True,
    )

    patient.refresh_from_db()
    assert patient.check_password(new_password)
    assert "Your new password is saved." in response.content.decode()


def test_a_wrong_current_password_is_explained_in_our_words(
    patient_client: Client, patient: User
) -> None:
    new_password = "Gentle-yoga-on-tuesdays-3"

    response = patient_client.post(
        reverse("account_change_password"),
        {"oldpassword": "Not-my-password-1", "password1": new_password, "password2": new_password},
    )

    assert "That is not your current password." in response.content.decode()
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_a_second_address_is_confirmed_by_email_then_made_main_and_the_old_one_removed(
    patient_client: Client, patient: User
) -> None:
    email_url = reverse("account_email")
    new_email = "margaret.new@example.com"

    response = patient_client.post(email_url, {"email": new_email, "action_add": ""}, follow=True)

    html = response.content.decode()
    assert f"We have emailed a link to {new_email}" in html
    assert "Not confirmed yet." in html
    assert 'name="action_send"' in html
    [message] = outbox_for(new_email)
    confirm_path = link_path(message.text_body, "/accounts/confirm-email/")

    page = assert_own_words(patient_client, confirm_path, "Confirm your email address")
    assert new_email in page
    patient_client.post(confirm_path)
    assert EmailAddress.objects.get(email=new_email).verified

    response = patient_client.post(
        email_url, {"email": new_email, "action_primary": ""}, follow=True
    )
    assert "that is now your main email address" in response.content.decode()
    patient.refresh_from_db()
    assert patient.email == new_email

    response = patient_client.post(
        email_url, {"email": "margaret.hill@example.com", "action_remove": ""}, follow=True
    )
    assert "We removed margaret.hill@example.com" in response.content.decode()
    assert list(EmailAddress.objects.filter(user=patient).values_list("email", flat=True)) == [
        new_email
    ]


def test_the_main_address_cannot_be_removed_and_has_no_remove_button(
    patient_client: Client, patient: User
) -> None:
    html = patient_client.get(reverse("account_email")).content.decode()

    assert "Your main address, confirmed." in html
    assert 'name="action_remove"' not in html


def test_a_broken_confirmation_link_says_so(client: Client) -> None:
    url = reverse("account_confirm_email", args=["not-a-real-key"])

    html = assert_own_words(client, url, "This link no longer works")

    assert reverse("account_login") in html


def test_a_broken_password_link_offers_a_new_one(client: Client) -> None:
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "nope"})

    html = assert_own_words(client, url, "This link no longer works")

    assert "Email me a new link" in html


def test_a_patient_can_turn_off_her_authenticator(client: Client, patient: User) -> None:
    totp_setup(patient)
    login_with_totp(client, patient)
    assert "Two-step sign-in is on." in client.get(reverse("mfa_index")).content.decode()

    page = assert_own_words(client, reverse("mfa_deactivate_totp"), "Turn off two-step sign-in")
    assert "asked to set it up again" not in page
    response = client.post(reverse("mfa_deactivate_totp"), follow=True)

    html = response.content.decode()
    assert "Two-step sign-in is now off." in html
    assert "Two-step sign-in is off." in html
    assert not Authenticator.objects.filter(user=patient).exists()


def test_with_two_step_sign_in_on_adding_an_address_is_explained_not_offered(
    therapist_client: Client,
) -> None:
    html = therapist_client.get(reverse("account_email")).content.decode()

    assert "While two-step sign-in is on, you cannot add another email address" in html
    assert 'name="action_add"' not in html
