import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse

from practice.accounts.models import PatientProfile, User
from tests.accounts.helpers import link_path, outbox_for, page_text
from tests.fixtures.accounts import PASSWORD, user_create

pytestmark = pytest.mark.django_db


def signup(client: Client, email: str, **extra: str):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post(reverse("account_signup"), data)


def test_signup_emails_a_link_that_confirms_the_address_and_signs_her_in(client: Client) -> None:
    response = signup(client, "joan@example.com")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    [message] = outbox_for("joan@example.com")
    assert message.subject == "Please confirm your email address for Strong Bones Physical Therapy"
    assert message.html_body
    assert message.private, "staff must not read her confirmation link in the outbox"
    confirm_path = link_path(message.text_body, "/accounts/confirm-email/")

    assert client.get(confirm_path).status_code == 200
    response = client.post(confirm_path)

    assert response.status_code == 302
    user = User.objects.get(email="joan@example.com")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified


def test_public_signup_only_ever_creates_patients(client: Client) -> None:
    signup(client, "sneaky@example.com", role="therapist", is_superuser="on")

    user = User.objects.get(email="sneaky@example.com")
    assert user.role == User.Role.PATIENT
    assert not user.is_staff
    assert not user.is_superuser
    assert PatientProfile.objects.filter(user=user, therapist=None).exists()


def test_an_unverified_address_cannot_sign_in_and_is_sent_to_the_verify_page(
    client: Client,
) -> None:
    user = user_create(email="unsure@example.com", verified=False)

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    [message] = outbox_for(user.email)
    assert "/accounts/confirm-email/" in message.text_body


def test_signup_with_a_taken_address_looks_the_same_and_only_the_owner_is_told() -> None:
    owner = user_create(email="taken@example.com")
    new_visitor, impostor = Client(), Client()

    first = signup(new_visitor, "fresh@example.com")
    second = signup(impostor, owner.email)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    page_new = page_text(new_visitor.get(first["Location"]).content, "fresh@example.com")
    page_taken = page_text(impostor.get(second["Location"]).content, owner.email)
    assert page_new == page_taken
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    [to_new] = outbox_for("fresh@example.com")
    [to_owner] = outbox_for(owner.email)
    assert "confirm" in to_new.subject
    assert to_owner.subject == "You already have an account with Strong Bones Physical Therapy"
    assert "/accounts/password/reset/" in to_owner.text_body


def test_password_reset_for_an_unknown_address_looks_the_same_as_for_a_known_one() -> None:
    known = user_create(email="known@example.com")
    first, second = Client(), Client()

    to_known = first.post(reverse("account_reset_password"), {"email": known.email})
    to_unknown = second.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert to_known.status_code == to_unknown.status_code == 302
    assert to_known["Location"] == to_unknown["Location"] == reverse("account_reset_password_done")
    page_known = page_text(first.get(to_known["Location"]).content, known.email)
    page_unknown = page_text(second.get(to_unknown["Location"]).content, "nobody@example.com")
    assert page_known == page_unknown
    [reset] = outbox_for(known.email)
    [unknown] = outbox_for("nobody@example.com")
    assert reset.subject == "Choose a new password for Strong Bones Physical Therapy"
    assert "/accounts/password/reset/key/" in reset.text_body
    assert "we cannot send you a link to choose a password" in unknown.text_body


def test_the_password_reset_link_lets_her_choose_a_new_password(client: Client) -> None:
    user = user_create(email="forgetful@example.com")
    client.post(reverse("account_reset_password"), {"email": user.email})
    [message] = outbox_for(user.email)

    response = client.get(link_path(message.text_body, "/accounts/password/reset/key/"))
    form_url = response["Location"]
    new_password = "Brisk-walks-every-morning-7"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(new_password)
    notice = outbox_for(user.email)[-1]
    assert notice.pk != message.pk, "allauth's own notification goes through the outbox too"
    assert "password" in notice.subject.lower()


def test_repeated_failed_logins_are_blocked_using_the_redis_cache(client: Client) -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    user = user_create(email="target@example.com")
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong-password"}
        )
        assert response.status_code == 200

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "we have paused signing in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_pages_use_the_site_layout_with_labelled_fields(client: Client) -> None:
    response = client.get(reverse("account_login"))
    html = response.content.decode()

    assert 'class="skip-link"' in html
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert "<script" not in html


def test_field_errors_are_announced_with_their_field(client: Client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "typo@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="id_password2_error"' in html
    assert 'aria-invalid="true"' in html
    assert "id_password2_error" in html.split('name="password2"')[1].split(">")[0]
