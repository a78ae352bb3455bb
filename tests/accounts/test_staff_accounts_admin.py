"""Staff the owner trusts with editing accounts edit patients' accounts, never staff accounts.

The user admin keeps roles, superuser status and permissions read-only for staff who are not
the owner ("Only the owner hands out roles and permissions"), so the owner may give a
therapist (or a front-desk account) the "change user" permission. With it, that therapist
could once set the owner's password, or change the owner's address and then reset its
password, and sign in as the superuser; or do the same to another therapist.
"""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.fixtures.accounts import login_with_totp

pytestmark = pytest.mark.django_db

TAKEOVER = "Owner-now-belongs-to-me-5"


@pytest.fixture
def account_editor(therapist: User) -> Client:
    therapist.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_user", "change_user", "delete_user"],
        )
    )
    client = Client()
    login_with_totp(client, therapist)
    return client


def change(client: Client, user: User, **changes: str):
    data = {"email": user.email, "full_name": user.full_name, "is_active": "on", **changes}
    return client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)


def test_a_therapist_who_may_edit_accounts_cannot_set_the_owners_password(
    account_editor: Client, owner: User
) -> None:
    response = account_editor.post(
        reverse("admin:auth_user_password_change", args=[owner.pk]),
        {"password1": TAKEOVER, "password2": TAKEOVER, "usable_password": "true"},
    )

    owner.refresh_from_db()
    assert not owner.check_password(TAKEOVER), "a non-owner set the superuser's password"
    assert response.status_code in (403, 404)


def test_a_therapist_who_may_edit_accounts_cannot_change_the_owners_address(
    account_editor: Client, owner: User
) -> None:
    response = change(account_editor, owner, email="attacker@example.net")

    owner.refresh_from_db()
    assert owner.email == "owner@example.com", "a non-owner moved the superuser's sign-in address"
    assert response.status_code in (403, 404)


def test_nor_another_therapists_address_or_password(
    account_editor: Client, other_therapist: User
) -> None:
    moved = change(account_editor, other_therapist, email="attacker@example.net")
    password = account_editor.post(
        reverse("admin:auth_user_password_change", args=[other_therapist.pk]),
        {"password1": TAKEOVER, "password2": TAKEOVER, "usable_password": "true"},
    )

    other_therapist.refresh_from_db()
    assert other_therapist.email == "jo.okafor@example.com"
    assert not other_therapist.check_password(TAKEOVER)
    assert (moved.status_code, password.status_code) == (403, 403)


def test_nor_delete_a_staff_account_one_by_one_or_from_the_list(
    account_editor: Client, therapist: User, owner: User, other_therapist: User
) -> None:
    # Even with the right to delete what a staff account holds (profile, addresses, keys).
    therapist.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["accounts", "account", "mfa"],
            codename__startswith="delete_",
        )
    )
    one = account_editor.post(
        reverse("admin:accounts_user_delete", args=[owner.pk]), {"post": "yes"}
    )
    listed = account_editor.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [owner.pk, other_therapist.pk],
            "post": "yes",
        },
    )

    assert one.status_code == 403
    assert listed.status_code in (200, 403)
    assert User.objects.filter(pk__in=[owner.pk, other_therapist.pk]).count() == 2


def test_the_owners_page_stays_readable_to_them(account_editor: Client, owner: User) -> None:
    page = account_editor.get(reverse("admin:accounts_user_change", args=[owner.pk]))

    assert page.status_code == 200
    assert 'name="email"' not in page.content.decode(), "shown, not offered for editing"


def test_they_still_correct_a_patients_address(account_editor: Client, patient: User) -> None:
    response = change(account_editor, patient, email="margaret.hill@example.org")

    assert response.status_code == 302, response.content.decode()[:2000]
    patient.refresh_from_db()
    assert patient.email == "margaret.hill@example.org"
