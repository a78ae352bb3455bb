"""An address nobody has confirmed opens no account, and blocks nobody from her own address."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.accounts.helpers import link_path, outbox_for, page_text
from tests.fixtures.accounts import PASSWORD, login_with_password, user_create

pytestmark = pytest.mark.django_db

ADDRESS = "joan.real@example.com"
NEW_PASSWORD = "Morning-stretches-daily-9"


def squatter_with_extra_address(email: str = ADDRESS) -> User:
    """Account B, which added someone else's address on her settings page and never confirmed it."""
    squatter = user_create(email="squatter@example.com")
    EmailAddress.objects.create(user=squatter, email=email, verified=False, primary=False)
    return squatter


def reset(email: str) -> tuple[Client, str]:
    browser = Client()
    response = browser.post(reverse("account_reset_password"), {"email": email})
    assert response["Location"] == reverse("account_reset_password_done")
    return browser, page_text(browser.get(response["Location"]).content, email)


def signup(client: Client, email: str):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(reverse("account_signup"), data)


@pytest.mark.parametrize("holder", ["extra address", "unfinished sign-up"])
def test_a_password_reset_to_an_unconfirmed_address_sends_no_link_and_looks_the_same(
    holder: str,
) -> None:
    if holder == "extra address":
        squatter_with_extra_address()
    else:
        user_create(email=ADDRESS, verified=False)
    known = user_create(email="known@example.com")

    _, page_unconfirmed = reset(ADDRESS)
    _, page_known = reset(known.email)

    assert page_unconfirmed == page_known
    [message] = outbox_for(ADDRESS)
    assert "/accounts/password/reset/key/" not in message.text_body
    assert "/accounts/password/reset/key/" in outbox_for(known.email)[0].text_body


def test_an_unconfirmed_extra_address_does_not_stop_its_owner_signing_up(client: Client) -> None:
    squatter = squatter_with_extra_address()

    response = signup(client, ADDRESS.upper())

    assert response["Location"] == reverse("account_email_verification_sent")
    owner = User.objects.get(email=ADDRESS)
    assert owner != squatter
    [message] = outbox_for(ADDRESS)
    assert "confirm" in message.subject.lower()
    client.post(link_path(message.text_body, "/accounts/confirm-email/"))
    assert EmailAddress.objects.get(email=ADDRESS).user == owner
    assert EmailAddress.objects.get(email=ADDRESS).verified
    assert not EmailAddress.objects.filter(user=squatter, email=ADDRESS).exists()
    assert login_with_password(Client(), "squatter@example.com") != reverse(
        "account_email_verification_sent"
    ), "the squatter keeps her own account"


def test_an_unfinished_sign_up_does_not_stop_the_owner_signing_up(client: Client) -> None:
    unfinished = user_create(email=ADDRESS, verified=False, password="Somebody-elses-pass-1")

    signup(client, ADDRESS)

    [owner] = User.objects.filter(email=ADDRESS)
    assert owner.pk != unfinished.pk
    assert owner.check_password(PASSWORD)
    message = outbox_for(ADDRESS)[-1]
    client.post(link_path(message.text_body, "/accounts/confirm-email/"))
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_an_account_someone_uses_is_not_replaced_by_a_sign_up(client: Client) -> None:
    """A sign-up in progress that has signed in once is somebody's account: never replaced."""
    used = user_create(email=ADDRESS, verified=False)
    User.objects.filter(pk=used.pk).update(last_login="2025-01-01T00:00Z")

    signup(client, ADDRESS)

    assert list(User.objects.filter(email=ADDRESS)) == [used]


def test_a_therapist_can_invite_an_address_held_only_unconfirmed(
    therapist_client: Client,
) -> None:
    squatter = squatter_with_extra_address()

    therapist_client.post(
        reverse("accounts:patients"), {"full_name": "Joan Real", "email": ADDRESS}
    )

    patient = User.objects.get(email=ADDRESS)
    browser = Client()
    invite = link_path(outbox_for(ADDRESS)[-1].text_body, "/accounts/invite/")
    page = browser.get(invite, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else invite
    browser.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert EmailAddress.objects.get(email=ADDRESS, verified=True).user == patient
    assert not EmailAddress.objects.filter(user=squatter, email=ADDRESS).exists()


def test_confirming_an_added_address_removes_other_unconfirmed_claims(
    patient_client: Client, patient: User
) -> None:
    squatter = squatter_with_extra_address()

    patient_client.post(reverse("account_email"), {"email": ADDRESS, "action_add": ""})
    message = outbox_for(ADDRESS)[-1]
    patient_client.post(link_path(message.text_body, "/accounts/confirm-email/"))

    assert EmailAddress.objects.get(email=ADDRESS, verified=True).user == patient
    assert not EmailAddress.objects.filter(user=squatter, email=ADDRESS).exists()
