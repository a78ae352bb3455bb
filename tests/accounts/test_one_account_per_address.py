"""One account per email address, however the address is typed and whichever route sets it."""

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import PASSWORD, login_with_password, patient_create, user_create

pytestmark = pytest.mark.django_db


def admin_change(client: Client, user: User, **changes: str):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "is_active": "on",
        **changes,
    }
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_a_case_variant_saved_in_the_admin_is_refused_and_her_login_keeps_working(
    owner_client: Client,
) -> None:
    """Once caused a 500 on her next login: two accounts matched her address."""
    patient_create(email="patient@example.com")
    other = patient_create(email="someone.else@example.com")

    response = admin_change(owner_client, other, email="Patient@Example.com")

    browser = Client(raise_request_exception=False)
    login = browser.post(
        reverse("account_login"), {"login": "patient@example.com", "password": PASSWORD}
    )
    assert login.status_code == 302, "her login must not fail because of the other account"
    assert response.status_code == 200
    assert "There is already an account with this email address" in response.content.decode()
    other.refresh_from_db()
    assert other.email == "someone.else@example.com"


def test_the_database_refuses_a_second_account_whose_address_differs_only_in_case() -> None:
    patient_create(email="patient@example.com")
    other = patient_create(email="other@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="PATIENT@example.com")


def test_the_database_refuses_the_same_confirmed_address_on_two_accounts() -> None:
    patient_create(email="patient@example.com")
    other = patient_create(email="other@example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.create(user=other, email="Patient@Example.com", verified=True)


def test_the_admin_add_form_refuses_a_case_variant(owner_client: Client) -> None:
    patient_create(email="patient@example.com")

    response = owner_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": " PATIENT@Example.com ",
            "full_name": "Copy",
            "role": "patient",
            "usable_password": "false",
        },
    )

    assert response.status_code == 200
    assert "There is already an account with this email address" in response.content.decode()
    assert User.objects.filter(email__iexact="patient@example.com").count() == 1


def test_an_address_changed_in_the_admin_is_stored_lowercase_and_her_old_one_stops_working(
    owner_client: Client,
) -> None:
    patient = patient_create(email="margaret@example.com", full_name="Margaret Hill")

    response = admin_change(owner_client, patient, email="  Margaret.New@Example.com ")

    assert response.status_code == 302, response.content.decode()[:3000]
    patient.refresh_from_db()
    assert patient.email == "margaret.new@example.com"
    addresses = EmailAddress.objects.filter(user=patient)
    assert [(a.email, a.primary, a.verified) for a in addresses] == [
        ("margaret.new@example.com", True, True)
    ], "the practice typed it, so it vouches for it"
    # The old address neither signs in nor receives a link to choose a password.
    stranger = Client()
    old = stranger.post(
        reverse("account_login"), {"login": "margaret@example.com", "password": PASSWORD}
    )
    assert old.status_code == 200
    assert "_auth_user_id" not in stranger.session
    Client().post(reverse("account_reset_password"), {"email": "margaret@example.com"})
    assert all(
        "/password/reset/key/" not in m.text_body for m in outbox_for("margaret@example.com")
    )
    notices = [m for m in outbox_for("margaret@example.com") if "changed" in m.subject.lower()]
    assert notices, "her old address is told about the change"
    assert login_with_password(Client(), "Margaret.New@example.com") == reverse(
        "accounts:my_program"
    )


def test_adding_another_accounts_address_in_another_case_never_makes_it_hers(
    patient_client: Client, patient: User
) -> None:
    other = user_create(email="dorothy@example.com")

    patient_client.post(
        reverse("account_email"), {"email": "Dorothy@Example.COM", "action_add": ""}
    )
    for message in outbox_for(other.email):
        if "/accounts/confirm-email/" in message.text_body:
            patient_client.post(link_path(message.text_body, "/accounts/confirm-email/"))

    assert not EmailAddress.objects.filter(
        user=patient, email__iexact=other.email, verified=True
    ).exists()
    assert EmailAddress.objects.get(email__iexact=other.email, verified=True).user == other


def test_the_api_cannot_change_an_address(patient: User) -> None:
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=patient)
    client = Client(headers={"authorization": f"Token {token.key}"})

    response = client.patch(
        "/api/v1/me/", {"email": "other@example.com"}, content_type="application/json"
    )

    assert response.status_code == 200
    patient.refresh_from_db()
    assert patient.email == "margaret.hill@example.com"


# allauth's "Email addresses" admin is a route that sets an address too ---------------------


def invited_betty(therapist_client: Client) -> tuple[User, str]:
    """An invited patient: she signs in with her address but has not confirmed it yet."""
    therapist_client.post(
        reverse("accounts:patients"),
        {"full_name": "Betty Ross", "email": "betty.ross@example.com"},
    )
    betty = User.objects.get(email="betty.ross@example.com")
    return betty, link_path(outbox_for(betty.email)[-1].text_body, "/accounts/invite/")


def assert_her_invite_still_works(link: str) -> None:
    browser = Client(raise_request_exception=False)
    browser.get(link)
    accepted = browser.post(
        reverse("accounts:invite"), {"new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert accepted.status_code == 302, accepted.status_code


def test_the_address_admin_refuses_another_accounts_sign_in_address(
    therapist_client: Client, owner_client: Client, other_patient: User
) -> None:
    """Once gave it, confirmed, to the other account, and her invite then ended in a 500."""
    betty, link = invited_betty(therapist_client)

    response = owner_client.post(
        reverse("admin:account_emailaddress_add"),
        {"user": other_patient.pk, "email": "Betty.Ross@Example.com", "verified": "on"},
    )

    given = EmailAddress.objects.filter(user=other_patient, email__iexact=betty.email)
    assert not given.exists(), "the admin gave Betty's sign-in address to another patient"
    assert response.status_code == 200  # the form, with an error
    assert "There is already an account with this email address" in response.content.decode()
    assert_her_invite_still_works(link)


def test_the_address_admin_confirms_no_claim_on_another_accounts_address(
    therapist_client: Client, owner_client: Client, other_patient: User
) -> None:
    """Another patient typed Betty's address on her settings page (a claim that owns nothing):
    confirming it, on its page or with the list's action, would make it hers."""
    betty, link = invited_betty(therapist_client)
    claim = EmailAddress.objects.create(user=other_patient, email=betty.email, verified=False)

    page = owner_client.post(
        reverse("admin:account_emailaddress_change", args=[claim.pk]), {"verified": "on"}
    )
    action = owner_client.post(
        reverse("admin:account_emailaddress_changelist"),
        {"action": "make_verified", "_selected_action": [claim.pk]},
        follow=True,
    )

    claim.refresh_from_db()
    assert not claim.verified
    assert page.status_code == 200
    assert "There is already an account with this email address" in action.content.decode()
    assert_her_invite_still_works(link)
