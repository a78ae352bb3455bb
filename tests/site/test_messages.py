"""A notice ("You are logged in", "Please set up two-step sign-in") shows once, however it came."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.fixtures.accounts import login_with_password, therapist_create

pytestmark = pytest.mark.django_db


def test_a_notice_asked_for_twice_before_she_sees_it_shows_once(client: Client) -> None:
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    login_with_password(client, therapist.email)
    # Two staff pages opened (two tabs, a double click) before either answer is shown.
    client.get("/admin/")
    client.get(reverse("accounts:patients"))

    html = client.get(reverse("mfa_activate_totp")).content.decode()

    assert html.count("staff accounts use two-step sign-in. Please set it up now") == 1
    assert html.count('<p class="message message--') == 2, "the login notice and the set-up notice"


def test_the_next_page_shows_the_notice_again_only_when_asked_again(client: Client) -> None:
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    login_with_password(client, therapist.email)
    first = client.get("/admin/", follow=True).content.decode()
    assert first.count("Please set it up now") == 1

    again = client.get("/admin/", follow=True).content.decode()
    assert again.count("Please set it up now") == 1
    quiet = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Please set it up now" not in quiet
