"""A therapist "invites" a woman who already has an account: she is asked to confirm by email."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from practice.accounts.models import PatientProfile, User
from practice.audit.models import AuditEvent
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import login_with_password, login_with_totp, patient_create

pytestmark = pytest.mark.django_db

EMAIL = "joan.baker@example.com"


def invite(client: Client, email: str = EMAIL):
    return client.post(
        reverse("accounts:patients"), {"full_name": "Joan Baker", "email": email}, follow=True
    )


def request_link() -> str:
    return link_path(outbox_for(EMAIL)[-1].text_body, "/accounts/therapist/")


@pytest.fixture
def joan(db: None) -> User:
    """A patient who signed up on her own and has no therapist yet."""
    return patient_create(email=EMAIL, full_name="Joan Baker")


def test_she_confirms_by_email_and_becomes_the_therapists_patient(
    therapist_client: Client, therapist: User, joan: User
) -> None:
    page = invite(therapist_client, email="Joan.Baker@Example.com").content.decode()

    assert "We emailed her and asked her to confirm you as her therapist" in page
    assert f"{EMAIL} already has an account" in page, "the address as stored, not as typed"
    assert User.objects.filter(email=EMAIL).count() == 1
    assert PatientProfile.objects.get(user=joan).therapist is None
    [message] = outbox_for(EMAIL)
    assert message.subject == "Ruth Calder would like to be your therapist"
    assert message.private
    assert AuditEvent.objects.filter(
        actor=therapist, patient=joan, summary__contains="confirm"
    ).exists()

    browser = Client()
    opened = browser.get(request_link())
    assert opened["Location"] == reverse("accounts:therapist_confirm")
    to_login = browser.get(opened["Location"])
    assert to_login["Location"].startswith(reverse("account_login"))
    login = browser.post(
        to_login["Location"], {"login": EMAIL, "password": "Calcium-and-sunshine-42"}
    )
    assert login["Location"] == reverse("accounts:therapist_confirm")
    question = browser.get(reverse("accounts:therapist_confirm")).content.decode()
    assert "Ruth Calder would like to be your therapist" in question
    done = browser.post(reverse("accounts:therapist_confirm"), follow=True)

    assert [url for url, _ in done.redirect_chain][-2:] == [
        reverse("accounts:my_program"),
        reverse("exercises:today"),
    ], "My program takes her to Today"
    assert "Ruth Calder is now your therapist" in done.content.decode()
    assert PatientProfile.objects.get(user=joan).therapist == therapist.therapist_profile
    assert AuditEvent.objects.filter(
        actor=joan, patient=joan, summary__contains="Ruth Calder"
    ).exists()
    assert joan.email in therapist_client.get(reverse("accounts:patients")).content.decode()


def test_the_link_works_only_for_her_account(
    therapist_client: Client, therapist: User, joan: User, other_patient: User
) -> None:
    invite(therapist_client)
    browser = Client()
    login_with_password(browser, other_patient.email)

    browser.get(request_link())
    page = browser.get(reverse("accounts:therapist_confirm"))
    browser.post(reverse("accounts:therapist_confirm"))

    assert page.status_code == 403
    assert "This link is for another account" in page.content.decode()
    assert PatientProfile.objects.get(user=joan).therapist is None
    assert PatientProfile.objects.get(user=other_patient).therapist != therapist.therapist_profile


def test_another_therapist_signed_in_cannot_answer_for_her(
    therapist_client: Client, therapist: User, joan: User, other_therapist: User
) -> None:
    invite(therapist_client)
    browser = Client()
    login_with_totp(browser, other_therapist)

    browser.get(request_link())
    page = browser.get(reverse("accounts:therapist_confirm"))
    browser.post(reverse("accounts:therapist_confirm"))

    assert page.status_code == 403
    assert "Joan" not in page.content.decode()
    assert PatientProfile.objects.get(user=joan).therapist is None


def test_without_the_emailed_link_the_question_page_is_not_found(patient_client: Client) -> None:
    page = patient_client.get(reverse("accounts:therapist_confirm"))
    answer = patient_client.post(reverse("accounts:therapist_confirm"))

    assert (page.status_code, answer.status_code) == (404, 404)


def test_a_changed_link_is_not_valid(client: Client, joan: User) -> None:
    token = signing.dumps({"patient": joan.pk, "therapist": 1}, salt="not-ours")

    page = client.get(reverse("accounts:therapist_link", args=[token]))

    assert page.status_code == 404
    assert "This link is not valid" in page.content.decode()


def test_a_patient_of_another_therapist_is_not_asked_and_the_therapist_is_told(
    therapist_client: Client, other_patient: User
) -> None:
    page = invite(therapist_client, email=other_patient.email).content.decode()

    assert "already the patient of another therapist at the practice" in page
    assert outbox_for(other_patient.email) == []


def test_her_own_patient_is_simply_found_in_the_list(
    therapist_client: Client, patient: User
) -> None:
    page = invite(therapist_client, email=patient.email.upper()).content.decode()

    assert "She is already your patient" in page
    assert outbox_for(patient.email) == []


def test_a_staff_address_cannot_be_invited_as_a_patient(
    therapist_client: Client, other_therapist: User
) -> None:
    page = invite(therapist_client, email=other_therapist.email).content.decode()

    assert "belongs to a staff account" in page
    assert outbox_for(other_therapist.email) == []
