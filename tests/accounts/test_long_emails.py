"""Email addresses longer than the 254 characters an address may have are refused kindly."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from practice.outbox.models import OutboxMessage
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

TOO_LONG = "a" * 250 + "@example.com"  # 262 characters, yet a valid-looking address
LONGEST = "a" * 242 + "@example.com"  # 254 characters: still fine
TOO_LONG_MESSAGE = "This email address is too long"


def assert_refused(response, field: str = "email") -> None:
    html = response.content.decode()
    assert response.status_code == 200
    assert TOO_LONG_MESSAGE in html
    assert f'id="id_{field}_error"' in html


def test_signup_refuses_an_address_that_is_too_long(client: Client) -> None:
    data = {"email": TOO_LONG, "password1": PASSWORD, "password2": PASSWORD}

    first = client.post(reverse("account_signup"), data)
    second = Client().post(reverse("account_signup"), data)

    assert_refused(first)
    assert_refused(second)
    assert not User.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert 'maxlength="254"' in client.get(reverse("account_signup")).content.decode()


def test_signup_accepts_the_longest_allowed_address(client: Client) -> None:
    data = {"email": LONGEST, "password1": PASSWORD, "password2": PASSWORD}

    response = client.post(reverse("account_signup"), data)

    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.get().email == LONGEST
    assert OutboxMessage.objects.get().to == LONGEST


def test_adding_an_address_that_is_too_long_is_refused(
    patient_client: Client, patient: User
) -> None:
    response = patient_client.post(reverse("account_email"), {"action_add": "", "email": TOO_LONG})

    assert_refused(response)
    assert list(EmailAddress.objects.filter(user=patient).values_list("email", flat=True)) == [
        patient.email
    ]
    assert not OutboxMessage.objects.exists()
    page = patient_client.get(reverse("account_email")).content.decode()
    assert 'maxlength="254"' in page


def test_password_reset_for_an_address_that_is_too_long_is_refused(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": TOO_LONG})

    assert_refused(response)
    assert not OutboxMessage.objects.exists()


def test_inviting_a_patient_with_an_address_that_is_too_long_is_refused(
    therapist_client: Client,
) -> None:
    response = therapist_client.post(
        reverse("accounts:patients"), {"full_name": "Betty Ross", "email": TOO_LONG}
    )

    assert_refused(response)
    assert not User.objects.filter(role=User.Role.PATIENT).exists()
    assert not OutboxMessage.objects.exists()
    page = therapist_client.get(reverse("accounts:patients")).content.decode()
    assert 'maxlength="254"' in page.split('name="email"')[1].split(">")[0]
