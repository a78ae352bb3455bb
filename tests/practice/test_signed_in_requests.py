"""What every signed-in page costs, and that the short cuts keep their promises.

The session and the signed-in person (her account, her therapist profile, whether she has an
authenticator) are read in one statement (``practice.accounts.sessions``,
``practice.accounts.principal``); signing out, a password change and removing the
authenticator must still take effect on the very next request.
"""

from html.parser import HTMLParser

from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import clear_script_prefix, reverse, set_script_prefix

from newsletter.models import ConsentRecord
from practice.accounts.models import User
from practice.celery import app
from tests.fixtures.accounts import PASSWORD, login_with_password

PATIENTS = "/accounts/patients/"
NEW_PASSWORD = "a-brand-new-long-passphrase-42"


def _signed_in(client: Client) -> bool:
    """Whether "My program" lets her in (on to today's exercises) or asks her to sign in."""
    response = client.get(reverse("accounts:my_program"))
    assert response.status_code == 302
    return not response["Location"].startswith(reverse("account_login"))


def _statements(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_staff_page_reads_her_account_profile_and_authenticator_in_one_statement(
    therapist_client: Client,
) -> None:
    statements = _statements(therapist_client, PATIENTS)

    (principal,) = [sql for sql in statements if '"mfa_authenticator"' in sql]
    assert '"accounts_session"' in principal
    assert '"accounts_therapistprofile"' in principal
    assert not any('FROM "accounts_therapistprofile"' in sql for sql in statements)


def test_removing_the_authenticator_sends_staff_to_set_up_again_at_once(
    therapist_client: Client,
) -> None:
    assert therapist_client.get(PATIENTS).status_code == 200

    turned_off = therapist_client.post(reverse("mfa_deactivate_totp"))
    response = therapist_client.get(PATIENTS)

    assert turned_off.status_code == 302
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_an_authenticator_deleted_by_the_admin_or_the_shell_re_prompts_at_once(
    therapist_client: Client, therapist: User
) -> None:
    assert therapist_client.get(PATIENTS).status_code == 200

    Authenticator.objects.filter(user=therapist).delete()
    response = therapist_client.get(PATIENTS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_signing_out_ends_the_session_for_anyone_holding_its_cookie(
    patient_client: Client,
) -> None:
    assert _signed_in(patient_client)
    copy = Client()
    copy.cookies = patient_client.cookies.__class__(patient_client.cookies)

    patient_client.post(reverse("account_logout"))

    assert not _signed_in(copy)


def test_a_password_change_signs_her_out_on_her_other_browsers(patient: User) -> None:
    here, elsewhere = Client(), Client()
    login_with_password(here, patient.email)
    login_with_password(elsewhere, patient.email)
    assert _signed_in(elsewhere)

    changed = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert changed.status_code == 302
    assert _signed_in(here), "the browser she used stays signed in"
    assert not _signed_in(elsewhere)


class _FormFields(HTMLParser):
    """The named fields of the footer's sign-up form, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form" and "signup-form" in (attributes.get("class") or ""):
            self._inside = True
            self.action = attributes.get("action") or ""
        elif tag == "input" and self._inside and attributes.get("name"):
            self.fields[str(attributes["name"])] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        self._inside = self._inside and tag != "form"


def _footer_form(html: str) -> _FormFields:
    parser = _FormFields()
    parser.feed(html[html.index('class="site-footer"') :])
    return parser


def test_the_footer_sign_up_form_works_for_a_signed_in_patient_with_csrf_checks_on(
    patient_client: Client,
) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = patient_client.cookies  # signed in, and no CSRF token in hand
    assert _signed_in(browser)
    page = browser.get(reverse("newsletter:guide"))
    form = _footer_form(page.text)
    again = _footer_form(browser.get(reverse("home")).text)

    assert (again.action, again.fields) == (form.action, form.fields), "the same on every page"
    assert form.fields["source"] == "footer"
    app.conf.task_always_eager = True  # the sign-up task runs here, in the test's transaction
    try:
        response = browser.post(
            form.action,
            {**form.fields, "email": "ada@example.com", "first_name": "Ada", "consent": "on"},
        )
    finally:
        app.conf.task_always_eager = False

    assert response.status_code == 302, response.text
    assert response["Location"] == reverse("newsletter:signup_sent")
    consent = ConsentRecord.objects.get(subscriber__email="ada@example.com")
    assert consent.source == "footer"


def test_the_footer_form_under_a_sub_path_posts_to_that_sub_path(
    patient_client: Client,
) -> None:
    patient_client.get(reverse("home"))  # the footer at the root is rendered first
    # Served under /clinic/ by a proxy that passes SCRIPT_NAME: Django's WSGI handler sets the
    # script prefix from it on every request; the test client does not, so it is set here.
    set_script_prefix("/clinic/")
    try:
        page = patient_client.get("/", SCRIPT_NAME="/clinic")
    finally:
        clear_script_prefix()

    assert _footer_form(page.text).action == "/clinic" + reverse("newsletter:signup")
