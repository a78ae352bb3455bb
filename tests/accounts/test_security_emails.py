"""When her password, email addresses or two-step sign-in change, she hears it in our words."""

from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from practice.core.selectors import practice_profile
from practice.outbox.models import OutboxMessage
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import (
    PASSWORD,
    login_with_password,
    login_with_totp,
    totp_code,
    totp_setup,
    user_create,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Gentle-yoga-on-tuesdays-3"
BROWSER = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) Safari/604.1"
#: 2:30 p.m. in New York, where the practice is unless its profile says otherwise.
MOMENT = datetime(2025, 7, 1, 18, 30, tzinfo=UTC)


def last_email(email: str) -> OutboxMessage:
    return outbox_for(email)[-1]


def assert_security_notice(message: OutboxMessage, *, to: str, subject: str, change: str) -> None:
    """Our subject and words, what changed, where it came from, and whom to call if not her."""
    phone = practice_profile().phone
    assert message.to == to
    assert message.subject == subject
    text = message.text_body
    assert change in text
    assert "This happened at " in text
    assert f"If this was not you, please call us right away at {phone}" in text
    assert "/accounts/password/reset/" in text
    assert "Internet address: 127.0.0.1" in text
    assert change in message.html_body
    assert phone in message.html_body
    assert "Choose a new password" in message.html_body


def test_changing_the_password_tells_her_when_in_the_practices_time(
    patient_client: Client, patient: User
) -> None:
    with time_machine.travel(MOMENT, tick=False):
        patient_client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
            headers={"user-agent": BROWSER},
        )

    message = last_email(patient.email)
    assert_security_notice(
        message,
        to=patient.email,
        subject="Your password for Strong Bones Physical Therapy was changed",
        change="The password for your Strong Bones Physical Therapy account was changed.",
    )
    assert message.text_body.startswith("Hello Margaret,\n")
    assert "This happened at 2:30 p.m. EDT on Tuesday, July 1, 2025." in message.text_body
    assert f"Web browser: {BROWSER}" in message.text_body


def test_the_time_follows_the_time_zone_in_the_practice_profile(
    patient_client: Client, patient: User
) -> None:
    profile = practice_profile()
    profile.time_zone = "America/Los_Angeles"
    profile.save()

    with time_machine.travel(MOMENT, tick=False):
        patient_client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    assert "at 11:30 a.m. PDT on Tuesday, July 1, 2025." in last_email(patient.email).text_body


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2026, 11, 1, 5, 30, tzinfo=UTC), "1:30 a.m. EDT on Sunday, November 1, 2026"),
        (datetime(2026, 11, 1, 6, 30, tzinfo=UTC), "1:30 a.m. EST on Sunday, November 1, 2026"),
    ],
)
def test_the_hour_that_repeats_when_clocks_go_back_names_its_zone(
    patient_client: Client, patient: User, moment: datetime, shown: str
) -> None:
    """New York's clocks go back at 2 a.m. on 2026-11-01, so 1:30 a.m. happens twice."""
    with time_machine.travel(moment, tick=False):
        patient_client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )

    message = last_email(patient.email)
    assert f"This happened at {shown}." in message.text_body
    assert f"This happened at {shown}." in message.html_body


def test_setting_a_first_password_tells_her(client: Client) -> None:
    # Without a password she cannot use the login form, so she is signed in directly.
    user = user_create(email="no.password@example.com", full_name="Ida Long", password=None)
    client.force_login(user)

    client.post(
        reverse("account_set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_security_notice(
        last_email(user.email),
        to=user.email,
        subject="A password was set for your Strong Bones Physical Therapy account",
        change="A password was set for your Strong Bones Physical Therapy account",
    )


def test_resetting_the_password_with_the_emailed_link_tells_her(client: Client) -> None:
    user = user_create(email="forgetful@example.com")
    client.post(reverse("account_reset_password"), {"email": user.email})
    response = client.get(
        link_path(last_email(user.email).text_body, "/accounts/password/reset/key/")
    )

    client.post(response["Location"], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert_security_notice(
        last_email(user.email),
        to=user.email,
        subject="Your password for Strong Bones Physical Therapy was reset",
        change="A new password was chosen for your Strong Bones Physical Therapy account",
    )


def test_a_new_main_address_tells_the_old_one_and_a_removed_address_tells_the_main_one(
    patient_client: Client, patient: User
) -> None:
    old_email, new_email = patient.email, "margaret.new@example.com"
    email_url = reverse("account_email")
    patient_client.post(email_url, {"email": new_email, "action_add": ""})
    patient_client.post(link_path(last_email(new_email).text_body, "/accounts/confirm-email/"))

    patient_client.post(email_url, {"email": new_email, "action_primary": ""})

    assert_security_notice(
        last_email(old_email),
        to=old_email,
        subject="Your email address for Strong Bones Physical Therapy was changed",
        change=(
            f"The main email address on your Strong Bones Physical Therapy account was changed "
            f"from {old_email} to {new_email}."
        ),
    )

    patient_client.post(email_url, {"email": old_email, "action_remove": ""})

    assert_security_notice(
        last_email(new_email),
        to=new_email,
        subject="An email address was removed from your Strong Bones Physical Therapy account",
        change=f"The email address {old_email} was removed from your Strong Bones",
    )


def test_turning_two_step_sign_in_on_tells_her(
    client: Client, patient: User, django_capture_on_commit_callbacks
) -> None:
    login_with_password(client, patient.email)
    client.get(reverse("mfa_activate_totp"))
    code = totp_code(client.session[SECRET_SESSION_KEY])

    # allauth sends this email once the database transaction is saved.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": code})

    assert_security_notice(
        last_email(patient.email),
        to=patient.email,
        subject="Two-step sign-in is now on for your Strong Bones Physical Therapy account",
        change="Two-step sign-in was turned on for your Strong Bones Physical Therapy account.",
    )


def test_turning_two_step_sign_in_off_tells_her(client: Client, patient: User) -> None:
    totp_setup(patient)
    login_with_totp(client, patient)

    client.post(reverse("mfa_deactivate_totp"))

    assert_security_notice(
        last_email(patient.email),
        to=patient.email,
        subject="Two-step sign-in is now off for your Strong Bones Physical Therapy account",
        change="Two-step sign-in was turned off for your Strong Bones Physical Therapy account.",
    )


def test_new_recovery_codes_tell_her(
    therapist_client: Client, therapist: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        therapist_client.post(reverse("mfa_generate_recovery_codes"))

    message = last_email(therapist.email)
    assert_security_notice(
        message,
        to=therapist.email,
        subject="New recovery codes for your Strong Bones Physical Therapy account",
        change="Your old recovery codes no longer work.",
    )
    assert message.text_body.startswith("Hello Ruth,\n")


def test_an_address_corrected_by_the_practice_is_not_revealed_to_the_old_one(
    owner_client: Client,
) -> None:
    """The old address may be a stranger's mailbox (a typo): the notice says what happened
    and whom to call, never where her account's emails go now."""
    patient = user_create(email="margaret@exmaple.com", full_name="Margaret Hill")
    response = owner_client.post(
        reverse("admin:accounts_user_change", args=[patient.pk]),
        {
            "email": "margaret@example.com",
            "full_name": patient.full_name,
            "role": patient.role,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    notice = last_email("margaret@exmaple.com")
    phone = practice_profile().phone
    assert notice.subject == "Your email address for Strong Bones Physical Therapy was changed"
    for body in (notice.text_body, notice.html_body):
        assert "margaret@example.com" not in body, "the new address was told to the old one"
        assert "changed the email address on your Strong Bones Physical Therapy account" in body
        assert phone in body
