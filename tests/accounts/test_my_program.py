"""A patient's home page: she lands on "My program", which now takes her to Today."""

import pytest
from django.test import Client
from django.urls import reverse

from practice.accounts.models import User
from tests.accounts.helpers import link_path, outbox_for
from tests.fixtures.accounts import PASSWORD, login_with_password

pytestmark = pytest.mark.django_db


def test_the_page_lives_at_my_program() -> None:
    assert reverse("accounts:my_program") == "/my-program/"


def test_her_page_names_her_therapist_and_the_other_ways_to_a_program(
    patient_client: Client,
) -> None:
    response = patient_client.get(reverse("accounts:my_program"), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(reverse("exercises:today"), 302)]
    assert response.status_code == 200
    assert "<h1>Today</h1>" in html
    assert "Ruth Calder" in html
    assert 'href="/consults/book/"' in html
    assert "(555) 010-0123" in html
    assert "<script" not in html


def test_without_a_therapist_she_is_told_how_to_get_one(client: Client) -> None:
    data = {"email": "new.patient@example.com", "password1": PASSWORD, "password2": PASSWORD}
    client.post(reverse("account_signup"), data)
    confirm = link_path(outbox_for("new.patient@example.com")[0].text_body, "/confirm-email/")
    client.post(confirm)

    assert login_with_password(Client(), "new.patient@example.com") == reverse(
        "accounts:my_program"
    ), "a patient who signed up on her own lands on her page, not stranded"
    html = client.get(reverse("accounts:my_program"), follow=True).content.decode()
    assert "your therapist" in html.lower()
    assert 'href="/consults/book/"' in html
    assert "(555) 010-0123" in html


def test_a_patient_lands_on_her_page_after_signing_in(patient: User) -> None:
    assert login_with_password(Client(), patient.email) == reverse("accounts:my_program")


def test_visitors_are_asked_to_sign_in_and_staff_are_turned_away(
    client: Client, therapist_client: Client
) -> None:
    url = reverse("accounts:my_program")

    assert client.get(url)["Location"] == f"{reverse('account_login')}?next={url}"
    assert therapist_client.get(url).status_code == 403
