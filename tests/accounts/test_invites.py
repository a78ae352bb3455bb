from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from practice.accounts.models import PatientInvite, PatientProfile, User
from practice.audit.models import AuditEvent
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import login_with_password

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Morning-stretches-daily-9"
STRANGER_PASSWORD = "Stranger-chose-this-77"


def invite(client: Client, email: str = "betty.ross@example.com", name: str = "Betty Ross"):
    return client.post(reverse("accounts:patients"), {"full_name": name, "email": email})


def invite_link(email: str = "betty.ross@example.com") -> str:
    return link_path(outbox_for(email)[-1].text_body, "/accounts/invite/")


def test_inviting_a_patient_creates_her_account_and_emails_her_a_link(
    therapist_client: Client, therapist: User
) -> None:
    response = invite(therapist_client)

    assert response["Location"] == reverse("accounts:patients")
    patient = User.objects.get(email="betty.ross@example.com")
    assert patient.role == User.Role.PATIENT
    assert patient.full_name == "Betty Ross"
    assert not patient.has_usable_password()
    assert PatientProfile.objects.get(user=patient).therapist == therapist.therapist_profile
    assert not EmailAddress.objects.get(user=patient).verified
    [message] = outbox_for(patient.email)
    assert message.subject == "Ruth Calder has set up your account at Strong Bones Physical Therapy"
    assert "works for 7 days" in message.text_body
    assert message.private, "staff must not read her invite link in the outbox"
    token = invite_link().rstrip("/").rsplit("/", 1)[1]
    assert token not in PatientInvite.objects.get(patient=patient).token_hash
    page = therapist_client.get(reverse("accounts:patients")).content.decode()
    assert "We emailed an invite to betty.ross@example.com" in page
    assert "Betty Ross" in page
    assert "Invited on" in page


def test_the_invite_link_sets_her_password_and_signs_her_in(
    therapist_client: Client,
) -> None:
    invite(therapist_client)
    patient_browser = Client()

    page = patient_browser.get(invite_link(), follow=True)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ruth Calder has set up an account for you" in html
    assert '<label for="id_new_password1">' in html

    form_url = reverse("accounts:invite")
    weak = patient_browser.post(
        form_url, {"new_password1": "password", "new_password2": "password"}
    )
    assert weak.status_code == 200
    assert 'id="id_new_password2_error"' in weak.content.decode()

    response = patient_browser.post(
        form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert response["Location"] == reverse("accounts:my_program")
    patient = User.objects.get(email="betty.ross@example.com")
    assert patient_browser.session["_auth_user_id"] == str(patient.pk)
    assert patient.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=patient)
    assert address.verified
    assert address.primary
    assert PatientInvite.objects.get(patient=patient).accepted_at is not None

    again = Client().get(invite_link())
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert reverse("account_login") in again.content.decode()
    assert reverse("account_reset_password") in again.content.decode()

    later = Client()
    assert login_with_password(later, patient.email, NEW_PASSWORD) == reverse("accounts:my_program")


def test_an_expired_link_says_so_and_shows_how_to_reach_the_practice(
    therapist_client: Client,
) -> None:
    invite(therapist_client)

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        page = Client().get(invite_link())

    html = page.content.decode()
    assert page.status_code == 410
    assert "This link has expired" in html
    assert "an invite link works for 7 days only" in html
    assert "ask Ruth Calder for a new one" in html
    assert "(555) 010-0123" in html
    assert not User.objects.get(email="betty.ross@example.com").has_usable_password()


def test_an_unknown_link_gets_a_friendly_not_valid_page(client: Client) -> None:
    page = client.get(reverse("accounts:invite_link", args=["not-a-real-token"]))

    assert page.status_code == 404
    assert "This link is not valid" in page.content.decode()
    assert 'class="skip-link"' in page.content.decode()


def test_a_new_link_replaces_the_old_one(therapist_client: Client) -> None:
    invite(therapist_client)
    old_link = invite_link()
    patient = User.objects.get(email="betty.ross@example.com")

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = therapist_client.post(
            reverse("accounts:patient_invite_resend", kwargs={"patient_id": patient.pk})
        )

    assert response["Location"] == reverse(
        "accounts:patient_detail", kwargs={"patient_id": patient.pk}
    )
    assert len(outbox_for(patient.email)) == 2
    new_link = invite_link()
    assert new_link != old_link
    replaced = Client().get(old_link)
    assert replaced.status_code == 410
    assert "replaced by a newer one" in replaced.content.decode()
    assert Client().get(new_link, follow=True).status_code == 200


def test_a_second_click_on_send_a_new_link_sends_nothing_more(therapist_client: Client) -> None:
    invite(therapist_client)
    patient = User.objects.get(email="betty.ross@example.com")
    url = reverse("accounts:patient_invite_resend", kwargs={"patient_id": patient.pk})

    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        first = therapist_client.post(url, follow=True).content.decode()
        second = therapist_client.post(url, follow=True).content.decode()

    assert "We emailed a new invite to betty.ross@example.com" in first
    assert "less than a minute ago, so we did not send another" in second
    assert len(outbox_for(patient.email)) == 2
    assert Client().get(invite_link(), follow=True).status_code == 200
    assert PatientInvite.objects.filter(patient=patient, revoked_at=None).count() == 1


def test_a_new_link_can_be_sent_again_a_minute_later(therapist_client: Client) -> None:
    invite(therapist_client)
    patient = User.objects.get(email="betty.ross@example.com")
    url = reverse("accounts:patient_invite_resend", kwargs={"patient_id": patient.pk})

    with time_machine.travel(timezone.now() + timedelta(seconds=30), tick=False):
        too_soon = therapist_client.post(url, follow=True).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        later = therapist_client.post(url, follow=True).content.decode()

    assert "less than a minute ago" in too_soon
    assert "We emailed a new invite to betty.ross@example.com" in later
    assert len(outbox_for(patient.email)) == 2


@pytest.mark.parametrize("number", [2**63, 10**30])
def test_a_patient_number_too_big_for_the_database_is_simply_not_found(
    therapist_client: Client, settings, number: int
) -> None:
    settings.DEBUG = False
    detail = f"/accounts/patients/{number}/"
    resend = f"/accounts/patients/{number}/invite/"

    with pytest.raises(Resolver404):
        resolve(detail)
    with pytest.raises(Resolver404):
        resolve(resend)
    for response in (therapist_client.get(detail), therapist_client.post(resend)):
        assert response.status_code == 404
        assert "We cannot find that page" in response.content.decode()


def test_the_largest_patient_number_is_still_looked_up(therapist_client: Client, settings) -> None:
    settings.DEBUG = False
    largest = 2**63 - 1

    assert resolve(f"/accounts/patients/{largest}/").kwargs == {"patient_id": largest}
    response = therapist_client.get(f"/accounts/patients/{largest}/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()


def test_inviting_an_existing_account_explains_and_creates_nothing(
    therapist_client: Client, patient: User
) -> None:
    response = invite(therapist_client, email=patient.email.upper(), name="Someone Else")

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is already an account with this email address" in html
    assert 'id="id_email_error"' in html
    assert User.objects.filter(email__iexact=patient.email).count() == 1
    assert outbox_for(patient.email) == []


def test_a_patient_who_already_set_her_password_needs_no_new_invite(
    therapist_client: Client, patient: User
) -> None:
    response = therapist_client.post(
        reverse("accounts:patient_invite_resend", kwargs={"patient_id": patient.pk}),
        follow=True,
    )

    assert "She has already set her password" in response.content.decode()
    assert outbox_for(patient.email) == []


def test_another_therapists_patient_is_not_found(
    therapist_client: Client, other_patient: User
) -> None:
    detail = reverse("accounts:patient_detail", kwargs={"patient_id": other_patient.pk})
    resend = reverse("accounts:patient_invite_resend", kwargs={"patient_id": other_patient.pk})

    assert therapist_client.get(detail).status_code == 404
    assert therapist_client.post(resend).status_code == 404
    my_list = therapist_client.get(reverse("accounts:patients")).content.decode()
    assert other_patient.email not in my_list
    assert not AuditEvent.objects.filter(patient=other_patient).exists()


def test_the_invite_page_refuses_to_be_hammered(client: Client) -> None:
    url = reverse("accounts:invite_link", args=["guess"])
    for _ in range(20):
        assert client.get(url).status_code == 404

    assert client.get(url).status_code == 429


# The invite ends when its purpose is done ---------------------------------------------------


def test_an_old_invite_cannot_take_over_her_account_after_she_reset_her_password(
    therapist_client: Client,
) -> None:
    """Once: she chose a password with "Forgot your password?", then the old invite link in
    her mailbox still set a new password and signed whoever opened it in."""
    invite(therapist_client)
    old_link = invite_link()
    patient = User.objects.get(email="betty.ross@example.com")
    EmailAddress.objects.filter(user=patient).update(verified=True)  # e.g. typed by the practice
    browser = Client()
    browser.post(reverse("account_reset_password"), {"email": patient.email})
    reset_link = link_path(outbox_for(patient.email)[-1].text_body, "/password/reset/key/")
    form_url = browser.get(reset_link)["Location"]
    browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)

    intruder = Client()
    page = intruder.get(old_link, follow=True)
    attempt = intruder.post(
        reverse("accounts:invite"),
        {"new_password1": "Intruders-pass-123", "new_password2": "Intruders-pass-123"},
    )

    assert page.status_code == 410
    assert "Your account is already set up" in page.content.decode()
    assert attempt.status_code in (404, 410)
    assert "_auth_user_id" not in intruder.session
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)


def test_an_invite_stops_working_once_the_owner_sets_her_password_in_the_admin(
    therapist_client: Client, owner_client: Client
) -> None:
    invite(therapist_client)
    patient = User.objects.get(email="betty.ross@example.com")
    browser = Client()
    assert browser.get(invite_link(), follow=True).status_code == 200  # her page is open

    owner_client.post(
        reverse("admin:auth_user_password_change", args=[patient.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)
    attempt = browser.post(
        reverse("accounts:invite"),
        {"new_password1": "Another-pass-12345", "new_password2": "Another-pass-12345"},
    )

    assert attempt.status_code == 410, "accepting never replaces a password she has"
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in browser.session
    detail = therapist_client.get(
        reverse("accounts:patient_detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "Waiting for her" not in detail


def test_an_invite_ended_by_her_own_password_does_not_come_back_when_the_owner_disables_it(
    therapist_client: Client, owner_client: Client
) -> None:
    """Once, the end was read from "has a usable password" at each use, not recorded, so the
    owner turning off password sign-in (e.g. after a suspected break-in) revived old links."""
    invite(therapist_client)
    patient = User.objects.get(email="betty.ross@example.com")
    old_link = invite_link()
    patient.set_password("Her-own-reset-password-1")  # as every route that sets one does
    patient.save()
    assert Client().get(old_link).status_code == 410

    disabled = owner_client.post(
        reverse("admin:auth_user_password_change", args=[patient.pk]),
        {"usable_password": "false", "unset-password": "1"},
    )
    assert disabled.status_code == 302, disabled.content.decode()[:2000]
    patient.refresh_from_db()
    assert not patient.has_usable_password()

    stranger = Client()
    opened = stranger.get(old_link)
    stranger.post(
        reverse("accounts:invite"),
        {"new_password1": STRANGER_PASSWORD, "new_password2": STRANGER_PASSWORD},
    )
    patient.refresh_from_db()
    assert not patient.check_password(STRANGER_PASSWORD), "an ended invite link came back to life"
    assert opened.status_code in (404, 410)


# An invite is mailed to one address: correcting the address ends it ------------------------


def owner_changes_email(owner_client: Client, user: User, email: str) -> None:
    response = owner_client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {"email": email, "full_name": user.full_name, "role": user.role, "is_active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.email == email


def test_old_invite_link_stops_working_once_the_owner_corrects_the_address(
    therapist_client: Client, owner_client: Client
) -> None:
    """Otherwise whoever reads the mistyped mailbox chooses the password of the account that
    now signs in with, and receives the resets of, the corrected address."""
    typo = "betty.ross@exmaple.com"  # the therapist's typo: someone else's mailbox
    invite(therapist_client, email=typo)
    patient = User.objects.get(email=typo)
    stranger_link = invite_link(typo)

    owner_changes_email(owner_client, patient, "betty.ross@example.com")

    stranger = Client()
    opened = stranger.get(stranger_link)
    accepted = stranger.post(
        reverse("accounts:invite"),
        {"new_password1": STRANGER_PASSWORD, "new_password2": STRANGER_PASSWORD},
    )

    patient.refresh_from_db()
    assert not patient.check_password(STRANGER_PASSWORD), (
        "the invite mailed to the old address set the password of the account that now "
        "belongs to betty.ross@example.com"
    )
    assert opened.status_code in (404, 410), opened.status_code
    assert accepted.status_code in (404, 410), accepted.status_code
    assert "This invite link was cancelled" in opened.content.decode()


def test_after_the_address_is_corrected_her_therapist_sends_a_link_that_works(
    therapist_client: Client, owner_client: Client
) -> None:
    invite(therapist_client, email="betty.ross@exmaple.com")
    patient = User.objects.get(email="betty.ross@exmaple.com")
    owner_changes_email(owner_client, patient, "betty.ross@example.com")
    detail_url = reverse("accounts:patient_detail", kwargs={"patient_id": patient.pk})
    assert (
        "Cancelled: her email address was changed"
        in therapist_client.get(detail_url).content.decode()
    )

    therapist_client.post(
        reverse("accounts:patient_invite_resend", kwargs={"patient_id": patient.pk})
    )

    browser = Client()
    browser.get(invite_link("betty.ross@example.com"))
    done = browser.post(
        reverse("accounts:invite"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("accounts:my_program")
    patient.refresh_from_db()
    assert patient.check_password(NEW_PASSWORD)


# The token leaves the address bar at once --------------------------------------------------


def test_the_invite_token_leaves_the_address_at_once(therapist_client: Client) -> None:
    invite(therapist_client)
    link = invite_link()
    token = link.rstrip("/").rsplit("/", 1)[1]
    browser = Client()

    response = browser.get(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invite")
    assert token not in response["Location"]
    page = browser.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert token not in html
    assert f'action="{reverse("accounts:invite")}"' in html
    done = browser.post(
        reverse("accounts:invite"), {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("accounts:my_program")


def test_the_set_password_page_without_an_invite_in_the_session_explains(client: Client) -> None:
    page = client.get(reverse("accounts:invite"))

    assert page.status_code == 404
    assert "open the link in your invite email again" in page.content.decode()


def test_someone_signed_in_without_the_invite_cannot_set_her_password(
    therapist_client: Client, patient_client: Client
) -> None:
    therapist_client.post(
        reverse("accounts:patients"), {"full_name": "Ida Newby", "email": "ida@example.com"}
    )

    for stranger in (patient_client, therapist_client):
        answer = stranger.post(
            reverse("accounts:invite"),
            {"new_password1": "Stranger-pass-123", "new_password2": "Stranger-pass-123"},
        )
        assert answer.status_code == 404
    assert not User.objects.get(email="ida@example.com").has_usable_password()


# What the pages say ------------------------------------------------------------------------


def test_the_therapist_is_told_the_right_number_of_days(therapist_client: Client) -> None:
    invite(therapist_client)
    html = therapist_client.get(reverse("accounts:patients")).content.decode()

    assert "We emailed an invite to betty.ross@example.com. The link works for 7 days." in html


def test_after_accepting_she_lands_on_my_program(therapist_client: Client) -> None:
    invite(therapist_client)
    browser = Client()
    browser.get(invite_link())

    response = browser.post(
        reverse("accounts:invite"),
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    html = response.content.decode()
    assert [url for url, _ in response.redirect_chain][-2:] == [
        reverse("accounts:my_program"),
        reverse("exercises:today"),
    ], "My program takes her to Today"
    assert "Welcome, Betty! Your account is ready." in html
    assert "Ruth Calder" in html


@pytest.mark.django_db(transaction=True)
def test_links_ended_before_the_end_was_recorded_stay_ended() -> None:
    """Migration 0005: an open link of a patient who has a password is recorded as not needed
    (before, only reading her password ended it); earlier revoked links were replaced."""
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0004_invite_revoked_as")])
    old = executor.loader.project_state([("accounts", "0004_invite_revoked_as")]).apps
    OldUser, OldInvite = (
        old.get_model("accounts", "User"),
        old.get_model("accounts", "PatientInvite"),
    )
    therapist = old.get_model("accounts", "TherapistProfile").objects.create(
        user=OldUser.objects.create(email="ruth@example.com", role="therapist", password="!x"),
        slug="ruth",
        display_name="Ruth",
    )
    later = timezone.now() + timedelta(days=7)

    def old_invite(email: str, password: str, **fields: object) -> int:
        patient = OldUser.objects.create(email=email, password=password)
        invite = OldInvite.objects.create(
            patient=patient, invited_by=therapist, token_hash=email, expires_at=later, **fields
        )
        return invite.pk

    has_password = old_invite("ada@example.com", make_password("Her-own-password-1"))
    waiting = old_invite("bea@example.com", make_password(None))
    replaced = old_invite("cat@example.com", make_password(None), revoked_at=timezone.now())

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    statuses = {i.pk: i.status for i in PatientInvite.objects.select_related("patient")}
    assert statuses == {
        has_password: PatientInvite.Status.NOT_NEEDED,
        waiting: PatientInvite.Status.PENDING,
        replaced: PatientInvite.Status.REPLACED,
    }
