"""Every link in an email starts with SITE_URL, whatever host the visitor's browser used."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.accounts.helpers import outbox_for
from tests.fixtures.accounts import PASSWORD, user_create

pytestmark = pytest.mark.django_db

SITE_URL = "http://127.0.0.1:9999"
#: The address she typed (or a proxy passed on): not the one the site is published at.
OTHER_HOST = "localhost:8000"


@pytest.fixture(autouse=True)
def _site_url(settings) -> None:
    settings.SITE_URL = SITE_URL


def links(email: str) -> list[str]:
    """Every web link in every email to ``email``, text and HTML."""
    found = []
    for message in outbox_for(email):
        found += re.findall(r"https?://[^\s\"'<>]+", message.text_body + message.html_body)
    assert found, f"no links in the emails to {email}"
    return found


def assert_on_site(urls: list[str]) -> None:
    elsewhere = [url for url in urls if url != SITE_URL and not url.startswith(f"{SITE_URL}/")]
    assert elsewhere == []


def test_the_sign_up_confirmation_link_starts_with_site_url() -> None:
    Client(headers={"host": OTHER_HOST}).post(
        reverse("account_signup"),
        {"email": "joan@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    urls = links("joan@example.com")
    assert any("/accounts/confirm-email/" in url for url in urls)
    assert_on_site(urls)


def test_password_reset_and_account_exists_links_start_with_site_url() -> None:
    user = user_create(email="ruth.known@example.com")
    browser = Client(headers={"host": OTHER_HOST})

    browser.post(reverse("account_reset_password"), {"email": user.email})
    browser.post(reverse("account_reset_password"), {"email": "stranger@example.com"})
    browser.post(
        reverse("account_signup"),
        {"email": user.email, "password1": PASSWORD, "password2": PASSWORD},
    )

    known, unknown = links(user.email), links("stranger@example.com")
    assert any("/accounts/password/reset/key/" in url for url in known)
    assert any("/accounts/signup/" in url for url in unknown)
    assert_on_site(known + unknown)


def test_the_invite_link_starts_with_site_url(therapist_client: Client) -> None:
    therapist_client.defaults["HTTP_HOST"] = OTHER_HOST
    therapist_client.post(
        reverse("accounts:patients"),
        {"email": "betty.ross@example.com", "full_name": "Betty Ross"},
    )

    assert User.objects.filter(email="betty.ross@example.com").exists()
    urls = links("betty.ross@example.com")
    assert any("/accounts/invite/" in url for url in urls)
    assert_on_site(urls)
