"""Strangers guessing a therapist's address cannot lock her out; a pause says what to do."""

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import PASSWORD, totp_code

pytestmark = pytest.mark.django_db

STRANGER_IP = "203.0.113.9"
HER_IP = "198.51.100.20"


def guess_five_times(email: str) -> None:
    stranger = Client(REMOTE_ADDR=STRANGER_IP)
    for attempt in range(5):
        response = stranger.post(
            reverse("account_login"), {"login": email, "password": f"Guess-{attempt}-wrong"}
        )
        assert response.status_code == 200


def log_in(client: Client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_a_therapist_still_gets_in_from_her_own_place_with_her_password_and_code(
    therapist: User,
) -> None:
    guess_five_times(therapist.email)
    her_browser = Client(REMOTE_ADDR=HER_IP)

    response = log_in(her_browser, therapist.email)

    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in her_browser.session, "the password alone is not enough"
    done = her_browser.post(
        reverse("mfa_authenticate"),
        {"code": totp_code(therapist.totp_secret)},  # type: ignore[attr-defined]
    )
    assert done.status_code == 302
    assert her_browser.session["_auth_user_id"] == str(therapist.pk)


def test_while_paused_a_wrong_password_for_a_therapist_still_gets_nowhere(
    therapist: User,
) -> None:
    guess_five_times(therapist.email)

    response = log_in(Client(REMOTE_ADDR=HER_IP), therapist.email, "Yet-another-guess-1")

    assert response.status_code == 200
    assert "we have paused signing in" in response.content.decode()


def test_the_strangers_own_place_stays_limited(therapist: User) -> None:
    guess_five_times(therapist.email)
    stranger = Client(REMOTE_ADDR=STRANGER_IP)
    for attempt in range(5):
        log_in(stranger, "someone.else@example.com", f"Guess-{attempt}-wrong")

    response = log_in(stranger, therapist.email)

    assert response.status_code == 200, "ten wrong tries a minute from one place are enough"
    assert "_auth_user_id" not in stranger.session


def test_a_paused_patient_is_told_when_it_lifts_how_to_reset_and_whom_to_call(
    patient: User,
) -> None:
    guess_five_times(patient.email)
    her_browser = Client(REMOTE_ADDR=HER_IP)

    response = log_in(her_browser, patient.email)

    html = response.content.decode()
    assert response.status_code == 200
    assert "we have paused signing in" in html
    assert "in about 5 minutes" in html
    assert f'href="{reverse("account_reset_password")}"' in html
    assert "(555) 010-0123" in html
    assert "_auth_user_id" not in her_browser.session

    her_browser.post(reverse("account_reset_password"), {"email": patient.email})
    reset = link_path(outbox_for(patient.email)[-1].text_body, "/password/reset/key/")
    form_url = her_browser.get(reset)["Location"]
    new_password = "Brisk-walks-every-morning-7"
    her_browser.post(form_url, {"password1": new_password, "password2": new_password})
    assert log_in(Client(REMOTE_ADDR=HER_IP), patient.email, new_password).status_code == 302, (
        "choosing a new password ends the pause"
    )
