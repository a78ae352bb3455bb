"""Setting up two-step sign-in: a key she can read on a phone, and back to where she was going."""

import re
from urllib.parse import quote

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.fixtures.accounts import login_with_password, therapist_create, totp_code

pytestmark = pytest.mark.django_db

ACTIVATE = reverse("mfa_activate_totp")
RECOVERY_CODES = reverse("mfa_view_recovery_codes")


@pytest.fixture
def newcomer_client(client: Client) -> Client:
    """A therapist who logged in with her password and has no authenticator yet."""
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    login_with_password(client, therapist.email)
    return client


def test_the_setup_key_is_readable_text_with_a_link_for_an_app_on_this_phone(
    newcomer_client: Client,
) -> None:
    html = newcomer_client.get(ACTIVATE).content.decode()
    secret = newcomer_client.session[SECRET_SESSION_KEY]

    shown = re.search(r'<code class="setup-key"[^>]*>([A-Z2-7 ]+)</code>', html)
    assert shown, "the key is plain text she can select, not a text box"
    assert shown.group(1).replace(" ", "") == secret
    assert "Spaces do not matter" in html
    assert f'value="{secret}"' not in html, "no one-line box that scrolls sideways"
    app_link = re.search(r'<a [^>]*href="(otpauth://totp/[^"]+)"[^>]*>([^<]+)</a>', html)
    assert app_link
    assert f"secret={secret}" in app_link.group(1)
    assert app_link.group(2) == "Open in my authenticator app"


def test_after_setup_and_recovery_codes_she_goes_on_to_the_page_she_asked_for(
    newcomer_client: Client,
) -> None:
    patients = reverse("accounts:patients")
    asked = newcomer_client.get(patients)
    assert asked["Location"] == f"{ACTIVATE}?next={quote(patients, safe='')}"
    form = newcomer_client.get(asked["Location"]).content.decode()
    assert f'<input type="hidden" name="next" value="{patients}">' in form

    code = totp_code(newcomer_client.session[SECRET_SESSION_KEY])
    done = newcomer_client.post(asked["Location"], {"code": code, "next": patients})

    assert done["Location"] == f"{RECOVERY_CODES}?next={quote(patients, safe='')}"
    codes = newcomer_client.get(done["Location"]).content.decode()
    assert re.search(rf'<a class="button" href="{patients}">[^<]*continue[^<]*</a>', codes)
    assert newcomer_client.get(patients).status_code == 200


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/patients/", "javascript:alert(1)"]
)
def test_a_next_address_off_the_site_is_ignored(newcomer_client: Client, next_url: str) -> None:
    form = newcomer_client.get(ACTIVATE, {"next": next_url}).content.decode()
    assert "evil.example" not in form
    assert "javascript:" not in form

    code = totp_code(newcomer_client.session[SECRET_SESSION_KEY])
    done = newcomer_client.post(f"{ACTIVATE}?next={quote(next_url)}", {"code": code})

    assert done["Location"] == RECOVERY_CODES
    codes = newcomer_client.get(RECOVERY_CODES, {"next": next_url}).content.decode()
    assert "evil.example" not in codes
    assert "javascript:" not in codes
