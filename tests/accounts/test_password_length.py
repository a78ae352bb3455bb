"""Passwords have a generous maximum length, and an over-long one is never hashed."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.fixtures.accounts import PASSWORD, login_with_password, user_create

pytestmark = pytest.mark.django_db

MEGABYTE = "x" * 1_000_000


class CountingHasher(MD5PasswordHasher):
    """The suite's cheap hasher, counting how often a password is hashed."""

    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.calls = 0


def field_errors(response, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def signup(client: Client, password: str):
    data = {"email": "joan@example.com", "password1": password, "password2": password}
    return client.post(reverse("account_signup"), data)


def test_sign_up_takes_a_long_passphrase(client: Client) -> None:
    passphrase = "calcium and sunshine and a walk every day " * 23  # 966 characters

    response = signup(client, passphrase)

    assert response.status_code == 302
    assert User.objects.get(email="joan@example.com").check_password(passphrase)


def test_sign_up_with_an_over_long_password_is_told_the_limit(client: Client) -> None:
    response = signup(client, "calcium and sunshine " * 50)  # 1,050 characters

    assert response.status_code == 200
    assert "at most 1,000 characters" in " ".join(field_errors(response, "password1"))
    assert not User.objects.filter(email="joan@example.com").exists()


def test_the_sign_up_page_names_the_limit(client: Client) -> None:
    assert "up to 1,000 characters" in client.get(reverse("account_signup")).content.decode()


def test_a_megabyte_password_on_login_is_refused_without_hashing_it(client: Client) -> None:
    user = user_create(email="margaret@example.com")
    CountingHasher.calls = 0

    response = client.post(reverse("account_login"), {"login": user.email, "password": MEGABYTE})

    assert response.status_code == 200
    assert "at most 1,000 characters" in " ".join(field_errors(response, "password"))
    assert CountingHasher.calls == 0
    assert "_auth_user_id" not in client.session


def test_a_megabyte_current_password_is_refused_without_hashing_it(client: Client) -> None:
    user = user_create(email="margaret@example.com")
    login_with_password(client, user.email)
    CountingHasher.calls = 0

    change = client.post(
        reverse("account_change_password"),
        {"oldpassword": MEGABYTE, "password1": "A-new-long-password-7", "password2": "x"},
    )
    reauthenticate = client.post(reverse("account_reauthenticate"), {"password": MEGABYTE})

    assert change.status_code == 200
    assert "at most 1,000 characters" in " ".join(field_errors(change, "oldpassword"))
    assert reauthenticate.status_code == 200
    assert "at most 1,000 characters" in " ".join(field_errors(reauthenticate, "password"))
    assert CountingHasher.calls == 0
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
