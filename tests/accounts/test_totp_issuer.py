"""Her authenticator app names the practice, not "Practice site".

On the two-step set-up page of `make run`, the "Open in my authenticator app" link is
`otpauth://totp/therapist%40example.com?secret=...&issuer=Practice%20site`: the app lists the
account as "Practice site", a name the therapist never sees anywhere else (the default of
MFA_TOTP_ISSUER in settings.py, a variable the README's table does not mention). The QR code
carries the same issuer.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from practice.core.selectors import practice_profile
from tests.fixtures.accounts import login_with_password, therapist_create

pytestmark = pytest.mark.django_db


def test_the_otpauth_link_names_the_practice(client: Client) -> None:
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    login_with_password(client, therapist.email)

    page = client.get(reverse("accounts:activate_totp")).content.decode()

    [link] = re.findall(r'href="(otpauth://[^"]+)"', page)
    issuer = parse_qs(urlsplit(html.unescape(link)).query)["issuer"][0]
    assert issuer == practice_profile().name
