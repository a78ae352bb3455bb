"""A double click, or two tabs, send the same form twice at once: one wins, none sees an error."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice.accounts.invites import patient_invite
from practice.accounts.models import PatientInvite, User
from tests.accounts.helpers import at_the_same_time, client_like, link_path, outbox_for, page_text
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "betty.ross@example.com"
NEW_PASSWORD = "Morning-stretches-daily-9"


def test_sending_the_invite_form_four_times_at_once_invites_her_once(
    therapist_client: Client,
) -> None:
    tabs = [client_like(therapist_client) for _ in range(4)]
    data = {"full_name": "Betty Ross", "email": EMAIL}

    responses = at_the_same_time(
        *[lambda tab=tab: tab.post(reverse("accounts:patients"), data) for tab in tabs]
    )

    assert sorted(r.status_code for r in responses) == [200, 200, 200, 302]
    for response in responses:
        if response.status_code == 200:
            html = response.content.decode()
            assert "There is already an account with this email address" in html
            assert 'id="id_email_error"' in html
    assert User.objects.filter(email=EMAIL).count() == 1
    assert PatientInvite.objects.filter(patient__email=EMAIL).count() == 1
    assert len(outbox_for(EMAIL)) == 1


def test_signing_up_four_times_at_once_makes_one_account_and_answers_like_allauth() -> None:
    """The three that lose get allauth's own answer for an address that already has an account."""
    browsers = [Client(raise_request_exception=False) for _ in range(5)]
    data = {"email": "joan@example.com", "password1": PASSWORD, "password2": PASSWORD}

    responses = at_the_same_time(
        *[lambda b=browser: b.post(reverse("account_signup"), data) for browser in browsers[:4]]
    )
    responses.append(browsers[4].post(reverse("account_signup"), data))  # one more, a bit later

    assert [r.status_code for r in responses] == [302] * 5
    assert {r["Location"] for r in responses} == {reverse("account_email_verification_sent")}
    pages = [page_text(b.get(reverse("account_email_verification_sent")).content) for b in browsers]
    told = [page for page in pages if "We have emailed a link to joan@example.com" in page]
    assert len(told) == 1, "only the sign-up that made the account sent an email"
    assert pages.count(pages[4]) == 4, "the three that lost look like allauth's later answer"
    assert User.objects.filter(email="joan@example.com").count() == 1
    [message] = outbox_for("joan@example.com")
    assert message.subject == "Please confirm your email address for Strong Bones Physical Therapy"
    assert Client().get(link_path(message.text_body, "/accounts/confirm-email/")).status_code == 200


def test_clicking_send_a_new_link_twice_at_once_sends_one_link_that_works(
    therapist: User, therapist_client: Client
) -> None:
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        invite = patient_invite(
            therapist=therapist.therapist_profile, email=EMAIL, full_name="Betty Ross"
        )
    assert invite is not None
    patient = invite.patient
    url = reverse("accounts:patient_invite_resend", kwargs={"patient_id": patient.pk})
    tabs = [client_like(therapist_client) for _ in range(2)]

    responses = at_the_same_time(*[lambda tab=tab: tab.post(url) for tab in tabs])

    assert [r.status_code for r in responses] == [302, 302]
    first, new = outbox_for(EMAIL)
    assert Client().get(link_path(first.text_body, "/accounts/invite/")).status_code == 410
    assert (
        Client().get(link_path(new.text_body, "/accounts/invite/"), follow=True).status_code == 200
    )
    notes = [
        tab.get(r["Location"]).content.decode() for tab, r in zip(tabs, responses, strict=True)
    ]
    assert sum("We emailed a new invite to" in note for note in notes) == 1
    assert sum("less than a minute ago, so we did not send another" in note for note in notes) == 1


def test_accepting_the_invite_twice_at_once_signs_her_in_and_shows_no_error(
    therapist_client: Client,
) -> None:
    """The submit that loses found the invite used (410, "already used", though she is signed
    in) or its session replaced by the winner's login (400)."""
    therapist_client.post(reverse("accounts:patients"), {"full_name": "Betty Ross", "email": EMAIL})
    browser = Client(raise_request_exception=False)
    link = link_path(outbox_for(EMAIL)[-1].text_body, "/accounts/invite/")
    assert browser.get(link).status_code == 302
    tabs = [client_like(browser) for _ in range(2)]
    data = {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}

    url = reverse("accounts:invite")
    responses = at_the_same_time(*[lambda tab=tab: tab.post(url, data) for tab in tabs])

    codes = sorted(r.status_code for r in responses)
    assert User.objects.get(email=EMAIL).check_password(NEW_PASSWORD)
    assert codes == [302, 302], f"the losing submit answered {codes}"
    assert {r["Location"] for r in responses} == {reverse("accounts:my_program")}
