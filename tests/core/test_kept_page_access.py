"""A kept page (``practice.core.kept_pages``) is never served past a change of who may see it:
each of these takes effect on the very next request, though her list itself did not change."""

import pytest
from django.test import Client
from django.urls import clear_script_prefix, reverse, set_script_prefix

from practice.accounts.models import TherapistProfile, User
from tests.exercises.portal_helpers import program_make
from tests.fixtures.accounts import login_with_totp

pytestmark = pytest.mark.django_db

MONITOR = "exercises:monitor"
ROW = "Margaret Hill"


@pytest.fixture
def kept(therapist: User, patient: User) -> Client:
    """Her browser, her patients list kept (the first view after sign-in shows a notice)."""
    program_make(therapist=therapist, patient=patient)
    client = Client()
    login_with_totp(client, therapist)
    for _ in range(2):
        response = client.get(reverse(MONITOR))
        assert response.status_code == 200
        assert ROW in response.content.decode()
    return client


def test_a_deactivated_account_is_signed_out(kept: Client, therapist: User) -> None:
    User.objects.filter(pk=therapist.pk).update(is_active=False)

    response = kept.get(reverse(MONITOR))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_therapist_made_a_patient_is_refused(kept: Client, therapist: User) -> None:
    User.objects.filter(pk=therapist.pk).update(role=User.Role.PATIENT)

    assert kept.get(reverse(MONITOR)).status_code == 403


def test_a_deleted_therapist_profile_shows_no_list(other_therapist: User) -> None:
    """(A profile with patients or programs cannot be deleted: they protect it.)"""
    client = Client()
    login_with_totp(client, other_therapist)
    for _ in range(2):
        assert "You have no patients" in client.get(reverse(MONITOR)).content.decode()
    TherapistProfile.objects.filter(user=other_therapist).delete()

    html = client.get(reverse(MONITOR)).content.decode()

    assert "You have no patients" not in html
    assert "Your therapist profile has not been set up yet" in html


def test_a_password_set_elsewhere_signs_this_browser_out(kept: Client, therapist: User) -> None:
    therapist.set_password("a-brand-new-long-passphrase-42")
    therapist.save()

    response = kept.get(reverse(MONITOR))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_under_a_sub_path_her_links_lead_into_the_sub_path(kept: Client) -> None:
    # Django's WSGI handler sets the script prefix from SCRIPT_NAME; the test client does not.
    set_script_prefix("/clinic/")
    try:
        html = kept.get(reverse(MONITOR), SCRIPT_NAME="/clinic").content.decode()
    finally:
        clear_script_prefix()

    assert 'href="/clinic/exercises/' in html
    assert 'href="/exercises/' not in html
