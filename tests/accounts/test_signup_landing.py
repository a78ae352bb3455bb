"""A patient who signs up on her own lands where a patient who logs in lands: "My program".

Found by trying `make run` in a browser: after sign-up, the emailed link confirmed the address
and signed her in, but on the home page, while the demo patient logging in lands on
"My program" (the page the issue says tells her how she gets a program).
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def test_confirming_her_signup_signs_her_in_on_my_program(client: Client) -> None:
    client.post(
        reverse("account_signup"),
        {"email": "joan@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    [message] = outbox_for("joan@example.com")
    confirm_path = link_path(message.text_body, "/accounts/confirm-email/")

    response = client.post(confirm_path)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:my_program")
