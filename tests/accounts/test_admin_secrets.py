"""The admin never shows a second factor's secret, not even to the owner.

allauth's Authenticator admin is registered as it comes: its change form shows (and lets the
owner edit) the `data` JSON of each staff member's authenticator, which holds her TOTP secret
in clear (the project's MFA adapter does not encrypt it) and her recovery-code seed. With the
secret, the owner (or whoever steals the owner's session) can make any therapist's codes, so
the second factor is no longer hers; the issue's rule is that no admin shows the secrets it
keeps from staff (as for private emails).
"""

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.fixtures.accounts import login_with_totp, therapist_create

pytestmark = pytest.mark.django_db


def test_the_owner_cannot_read_another_therapists_totp_secret(client: Client) -> None:
    owner = therapist_create(email="owner@example.com", is_superuser=True)
    colleague = therapist_create(email="colleague@example.com", full_name="Ann Colleague")
    login_with_totp(client, owner)
    totp = Authenticator.objects.get(user=colleague, type=Authenticator.Type.TOTP)
    codes = Authenticator.objects.get(user=colleague, type=Authenticator.Type.RECOVERY_CODES)

    pages = [
        client.get(reverse("admin:mfa_authenticator_change", args=[totp.pk])),
        client.get(reverse("admin:mfa_authenticator_change", args=[codes.pk])),
    ]

    for response in pages:
        assert response.status_code in (200, 403, 404)
        html = response.content.decode()
        assert colleague.totp_secret not in html  # type: ignore[attr-defined]
        assert codes.data["seed"] not in html


def test_a_patients_api_key_is_shown_once_when_made_never_listed_and_audited(
    owner_client: Client, patient
) -> None:
    from rest_framework.authtoken.models import Token

    from practice.audit.models import AuditEvent

    made = owner_client.post(
        reverse("admin:accounts_apikey_add"), {"user": patient.pk}, follow=True
    )
    key = Token.objects.get(user=patient).key

    assert f"Her API key is {key}" in made.content.decode()
    listing = owner_client.get(reverse("admin:accounts_apikey_changelist"))
    assert listing.status_code == 200
    assert key not in listing.content.decode()
    detail = owner_client.get(reverse("admin:accounts_apikey_change", args=[patient.pk]))
    assert key not in detail.content.decode()
    assert AuditEvent.objects.filter(patient=patient, summary="Added in the admin").exists()
