"""A kept signed-in page (``practice.core.kept_pages``, used by the therapist's patients list)
is what a fresh render would show: her own working CSRF token in every answer, the notices
waiting for her, her name and the practice's details as they are now."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from practice.accounts.services import user_name_change
from practice.core.kept_pages import store
from practice.core.selectors import practice_profile
from tests.exercises.portal_helpers import program_make
from tests.fixtures.accounts import login_with_totp

pytestmark = pytest.mark.django_db

MONITOR = "exercises:monitor"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _kept_list(client: Client) -> str:
    """Her patients list once it is kept (the first view after sign-in shows a notice)."""
    for _ in range(2):
        response = client.get(reverse(MONITOR))
        assert response.status_code == 200
    assert len(store) == 1
    return response.content.decode()


def _signed_out(client: Client, html: str) -> bool:
    """Log out with the token of the page, as her browser would; whether it worked."""
    (token,) = TOKEN.findall(html)
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code in (302, 403)
    return response.status_code == 302 and client.get(reverse(MONITOR)).status_code == 302


def test_each_browser_gets_a_token_of_its_own_that_works(therapist: User, patient: User) -> None:
    program_make(therapist=therapist, patient=patient)
    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        login_with_totp(browser, therapist)
        browser.handler.enforce_csrf_checks = True  # from here on, as a browser is checked
    laptop_page = _kept_list(laptop)
    phone.get(reverse(MONITOR))  # the sign-in notice
    phone_page = phone.get(reverse(MONITOR)).content.decode()

    assert TOKEN.findall(laptop_page) != TOKEN.findall(phone_page)
    assert not _signed_out(laptop, phone_page)  # the other browser's token is refused
    assert _signed_out(laptop, laptop_page)
    assert _signed_out(phone, phone_page)


def test_a_notice_waiting_for_her_is_shown_on_the_kept_page(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    program_make(therapist=therapist, patient=patient)
    assert "settings are saved" not in _kept_list(therapist_client)
    therapist_client.post(
        reverse("exercises:monitoring_settings"),
        {"safe_max": "2", "acceptable_max": "5", "rise_points": "2", "missed_days": "3"},
    )

    shown = therapist_client.get(reverse(MONITOR)).content.decode()
    after = therapist_client.get(reverse(MONITOR)).content.decode()

    assert "Your pain-monitoring settings are saved." in shown
    assert "Your pain-monitoring settings are saved." not in after


def test_her_new_name_and_the_practice_s_new_phone_show_on_the_next_view(
    therapist: User, patient: User, therapist_client: Client
) -> None:
    program_make(therapist=therapist, patient=patient)
    page = _kept_list(therapist_client)
    assert "Signed in as Ruth" in page

    user_name_change(user=therapist, full_name="Rose Bennett")
    profile = practice_profile()
    profile.phone = "+1 212 555 0199"
    profile.save()
    page = therapist_client.get(reverse(MONITOR)).content.decode()

    assert "Signed in as Rose" in page
    assert "+1 212 555 0199" in page
