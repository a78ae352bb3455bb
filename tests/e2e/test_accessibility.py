"""axe-core (WCAG 2.2 A and AA, and best practices) on every page of the site, in Chromium.

axe is injected with ``page.evaluate``, which goes through the DevTools protocol and so is not
subject to the page's Content-Security-Policy: the pages are scanned exactly as they are served.
Each page is reached the way a person reaches it: logging in through the forms (therapists with
their authenticator code), sending forms with mistakes, opening the link from an invite email.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from practice.accounts import invites
from practice.accounts.models import PatientInvite, User
from tests.accounts.helpers import link_path, outbox_for
from tests.consults.conftest import host_create
from tests.e2e.consult_pages import consult_pages
from tests.e2e.exercise_library_pages import library_pages
from tests.e2e.exercise_portal_pages import portal_pages
from tests.education import scenarios as articles
from tests.fixtures.accounts import PASSWORD, therapist_create, totp_code
from tests.newsletter import scenarios as newsletter_scenarios
from tests.newsletter.campaign_scenarios import campaign_pages

pytestmark = pytest.mark.django_db(transaction=True)

AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
WRONG_PASSWORD = "Not-the-right-one-7"
NEW_PASSWORD = "Morning-stretches-daily-9"
INVITED_EMAIL = "betty.ross@example.com"

#: Reaches a page: (browser tab, the therapist, her patient) -> None.
Scenario = Callable[[Page, User, User], None]


def violations_report(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} accessibility problem(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(node['target'])}: {node['html']}")
    return "\n".join(lines)


def main_button(page: Page, name: str) -> None:
    page.locator("main").get_by_role("button", name=name, exact=True).click()


def submit_without_browser_checks(page: Page, button: str) -> None:
    """Send the form as it is, so the site's own error messages show (not the browser's)."""
    page.locator("main form").first.evaluate("form => { form.noValidate = true; }")
    main_button(page, button)


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    main_button(page, "Log in")


def log_in_with_code(page: Page, therapist: User) -> None:
    log_in(page, therapist.email)
    page.locator("input[name=code]").fill(totp_code(therapist.totp_secret))  # type: ignore[attr-defined]
    main_button(page, "Log in")
    expect(page.get_by_role("link", name="My patients")).to_be_visible()


def invite_create(therapist: User) -> tuple[PatientInvite, str]:
    """A patient invite, and the path of the link in the email she gets."""
    invite = invites.patient_invite(
        therapist=therapist.therapist_profile, email=INVITED_EMAIL, full_name="Betty Ross"
    )
    assert invite is not None
    return invite, link_path(outbox_for(INVITED_EMAIL)[-1].text_body, "/accounts/invite/")


def visit(path: str) -> Scenario:
    return lambda page, *_: page.goto(path)


def as_patient(path: str) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        log_in(page, patient.email)
        expect(page.get_by_text("Signed in as Margaret")).to_be_visible()
        page.goto(path)

    return scenario


def as_therapist(path: str) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        log_in_with_code(page, therapist)
        page.goto(path)

    return scenario


# Visitors -------------------------------------------------------------------------------


def login_empty(page: Page, *_: User) -> None:
    page.goto("/accounts/login/")
    submit_without_browser_checks(page, "Log in")
    expect(page.locator(".errorlist").first).to_be_visible()


def login_wrong_password(page: Page, therapist: User, patient: User) -> None:
    log_in(page, patient.email, WRONG_PASSWORD)
    expect(page.get_by_role("alert")).to_be_visible()


def signup_errors(page: Page, *_: User) -> None:
    page.goto("/accounts/signup/")
    page.locator("main input[name=email]").fill("not-an-email-address")
    page.locator("input[name=password1]").fill("password")
    submit_without_browser_checks(page, "Create my account")
    expect(page.locator(".errorlist").first).to_be_visible()


def signup_done(page: Page, *_: User) -> None:
    page.goto("/accounts/signup/")
    page.locator("main input[name=email]").fill("joan.baker@example.com")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    main_button(page, "Create my account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please check your email")


def password_reset_done(page: Page, therapist: User, patient: User) -> None:
    page.goto("/accounts/password/reset/")
    page.locator("main input[name=email]").fill(patient.email)
    main_button(page, "Email me a link")
    expect(page.get_by_role("heading", level=1)).to_have_text("Please check your email")


def form_expired(page: Page, therapist: User, patient: User) -> None:
    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.locator("input[name=login]").fill(patient.email)
    page.locator("input[name=password]").fill(PASSWORD)
    main_button(page, "Log in")
    expect(page.get_by_role("heading", level=1)).to_have_text("This form has expired")


def server_error(page: Page, *_: User) -> None:
    with override_settings(ROOT_URLCONF="tests.site.boom_urls"):
        page.goto("/boom/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("something went wrong")


def too_many_tries(page: Page, *_: User) -> None:
    path = "/accounts/invite/a-guess/"
    for _try in range(20):
        page.request.get(path)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Please wait a moment")


# A patient ---------------------------------------------------------------------------


def password_change_errors(page: Page, therapist: User, patient: User) -> None:
    as_patient("/accounts/password/change/")(page, therapist, patient)
    page.locator("input[name=oldpassword]").fill(WRONG_PASSWORD)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    main_button(page, "Change my password")
    expect(page.locator(".errorlist").first).to_be_visible()


def email_two_addresses(page: Page, therapist: User, patient: User) -> None:
    as_patient("/accounts/email/")(page, therapist, patient)
    page.get_by_label("The email address to add").fill("margaret.new@example.com")
    main_button(page, "Add this address")
    expect(page.get_by_text("Not confirmed yet.")).to_be_visible()


def confirm_email_link(page: Page, *_: User) -> None:
    signup_done(page)
    page.goto(link_path(outbox_for("joan.baker@example.com")[-1].text_body, "/confirm-email/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")


# A therapist -------------------------------------------------------------------------


def code_step(page: Page, therapist: User, patient: User) -> None:
    log_in(page, therapist.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")


def code_step_wrong_code(page: Page, therapist: User, patient: User) -> None:
    code_step(page, therapist, patient)
    page.locator("input[name=code]").fill("000000")
    main_button(page, "Log in")
    expect(page.locator(".errorlist").first).to_be_visible()


def two_step_setup(page: Page, *_: User) -> None:
    newcomer = therapist_create(email="ann.new@example.com", full_name="Ann New", totp=False)
    log_in(page, newcomer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")


def two_step_setup_done(page: Page, therapist: User, patient: User) -> None:
    two_step_setup(page, therapist, patient)
    secret = page.locator("code.setup-key").inner_text().replace(" ", "")
    page.locator("input[name=code]").fill(totp_code(secret))
    main_button(page, "Turn on two-step sign-in")
    page.get_by_role("link", name="I have kept them safe: continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My patients")
    page.go_back()


def invite_form_errors(page: Page, therapist: User, patient: User) -> None:
    as_therapist("/accounts/patients/")(page, therapist, patient)
    page.locator("main input[name=email]").fill("betty.ross")
    main_button(page, "Send the invite")
    expect(page.locator(".errorlist").first).to_be_visible()


def invite_sent(page: Page, therapist: User, patient: User) -> None:
    as_therapist("/accounts/patients/")(page, therapist, patient)
    page.locator("input[name=full_name]").fill("Betty Ross")
    page.locator("main input[name=email]").fill(INVITED_EMAIL)
    main_button(page, "Send the invite")
    expect(page.get_by_text("We emailed an invite")).to_be_visible()


def patient_detail(page: Page, therapist: User, patient: User) -> None:
    invite, _ = invite_create(therapist)
    as_therapist(f"/accounts/patients/{invite.patient_id}/")(page, therapist, patient)


# Booking a free consult -----------------------------------------------------------------


def consult_times(page: Page, therapist: User, patient: User) -> None:
    host_create(therapist=therapist)
    page.goto("/consults/book/?tz=America/New_York")
    expect(page.get_by_role("heading", name="2. Pick a time")).to_be_visible()


def consult_errors(page: Page, therapist: User, patient: User) -> None:
    consult_times(page, therapist, patient)
    main_button(page, "Book my free consult")
    expect(page.locator(".errorlist").first).to_be_visible()


def consult_booked(page: Page, therapist: User, patient: User) -> None:
    consult_times(page, therapist, patient)
    form = page.locator("main")
    form.locator("input[name=start]").first.check()
    form.get_by_label("Your name").fill("Joan Baker")
    form.get_by_label("Your email address").fill("joan.baker@example.com")
    form.get_by_label("The phone number we should call").fill("(202) 555-0123")
    form.get_by_label("What would you like to talk about?").select_option("balance")
    form.get_by_label("I agree").check()
    main_button(page, "Book my free consult")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your free consult is booked")


# A patient opening the link in her invite email ----------------------------------------


def invite_open(page: Page, therapist: User, patient: User) -> None:
    _, path = invite_create(therapist)
    page.goto(path)


def invite_weak_password(page: Page, therapist: User, patient: User) -> None:
    invite_open(page, therapist, patient)
    page.locator("input[name=new_password1]").fill("password")
    page.locator("input[name=new_password2]").fill("password")
    main_button(page, "Save my password and sign in")
    expect(page.locator(".errorlist").first).to_be_visible()


def invite_changed(**fields: Any) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        invite, path = invite_create(therapist)
        PatientInvite.objects.filter(pk=invite.pk).update(**fields)
        page.goto(path)

    return scenario


PAGES: dict[str, Scenario] = {
    "visitor-home": visit("/"),
    "visitor-about": visit("/about/"),
    "visitor-privacy": visit("/privacy/"),
    "visitor-articles": visit("/articles/"),
    "visitor-article": articles.article_page,
    "visitor-articles-search": articles.articles_search,
    "visitor-articles-topic": articles.articles_topic,
    "visitor-articles-series": articles.series_page,
    "visitor-article-not-found": visit("/articles/no-such-article/"),
    "visitor-exercises": visit("/exercises/"),
    "visitor-consult-booking": visit("/consults/book/"),
    "visitor-consult-booking-times": consult_times,
    "visitor-consult-booking-errors": consult_errors,
    "visitor-consult-booked": consult_booked,
    "visitor-guide": visit("/guide/"),
    "visitor-not-found": visit("/no-such-page/"),
    "visitor-login": visit("/accounts/login/"),
    "visitor-login-empty": login_empty,
    "visitor-login-wrong-password": login_wrong_password,
    "visitor-signup": visit("/accounts/signup/"),
    "visitor-signup-errors": signup_errors,
    "visitor-confirm-email-sent": signup_done,
    "visitor-confirm-email-link": confirm_email_link,
    "visitor-confirm-email-link-broken": visit("/accounts/confirm-email/not-a-real-key/"),
    "visitor-password-reset": visit("/accounts/password/reset/"),
    "visitor-password-reset-sent": password_reset_done,
    "visitor-password-reset-link-broken": visit("/accounts/password/reset/key/1-nope/"),
    "visitor-form-expired": form_expired,
    "visitor-server-error": server_error,
    "visitor-too-many-tries": too_many_tries,
    "patient-home": as_patient("/"),
    "patient-today-empty": as_patient("/my-program/"),
    "patient-email-settings": as_patient("/accounts/email/"),
    "patient-email-settings-two-addresses": email_two_addresses,
    "patient-password-change": as_patient("/accounts/password/change/"),
    "patient-password-change-errors": password_change_errors,
    "patient-two-step-settings": as_patient("/accounts/2fa/"),
    "patient-log-out": as_patient("/accounts/logout/"),
    "patient-therapist-page-forbidden": as_patient("/accounts/patients/"),
    "therapist-code-step": code_step,
    "therapist-code-step-wrong-code": code_step_wrong_code,
    "therapist-two-step-setup": two_step_setup,
    "therapist-two-step-setup-done": two_step_setup_done,
    "therapist-two-step-settings": as_therapist("/accounts/2fa/"),
    "therapist-recovery-codes": as_therapist("/accounts/2fa/recovery-codes/"),
    "therapist-new-recovery-codes": as_therapist("/accounts/2fa/recovery-codes/generate/"),
    "therapist-two-step-turn-off": as_therapist("/accounts/2fa/totp/deactivate/"),
    "therapist-confirm-its-you": as_therapist("/accounts/reauthenticate/"),
    "therapist-my-patients": as_therapist("/accounts/patients/"),
    "therapist-my-patients-invite-errors": invite_form_errors,
    "therapist-my-patients-invite-sent": invite_sent,
    "therapist-patient-detail": patient_detail,
    "therapist-articles": articles.write_list,
    "therapist-article-new-errors": articles.write_errors,
    "therapist-article-edit": articles.write_edit,
    "therapist-article-versions": articles.versions,
    "therapist-article-preview": articles.preview,
    "therapist-consult-availability": as_therapist("/consults/availability/"),
    "invite-accept": invite_open,
    "invite-accept-errors": invite_weak_password,
    "invite-expired": invite_changed(expires_at=timezone.now() - timedelta(minutes=1)),
    "invite-replaced": invite_changed(
        revoked_at=timezone.now(), revoked_as=PatientInvite.Status.REPLACED
    ),
    "invite-used": invite_changed(accepted_at=timezone.now()),
    "invite-not-valid": visit("/accounts/invite/not-a-real-token/"),
    "invite-not-in-session": visit("/accounts/invite/"),
    **newsletter_scenarios.PAGES,
    **campaign_pages(therapist_login=log_in_with_code),
    **consult_pages(therapist_login=log_in_with_code, patient_login=log_in),
    **library_pages(therapist_login=log_in_with_code, patient_login=log_in),
    **portal_pages(therapist_login=log_in_with_code, patient_login=log_in),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_passes_axe(page: Page, therapist: User, patient: User, name: str) -> None:
    PAGES[name](page, therapist, patient)
    expect(page.get_by_role("heading", level=1)).to_have_count(1)

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]

    assert not violations, violations_report(page.url, violations)


# Phones and large text -------------------------------------------------------------------

#: Text sizes as the reader sets them in her browser (100% is the browser's default 16px).
TEXT_ZOOMS = {"normal-text": 100, "text-200pct": 200}
#: What sticks out to the right of the screen: elements, and text (a long word) in them.
TOO_WIDE = """() => {
    const sticksOut = node => {
        const range = document.createRange();
        range.selectNode(node);
        return range.getBoundingClientRect().right > window.innerWidth + 0.5;
    };
    const found = [...document.querySelectorAll("body *")].filter(sticksOut);
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) {
        if (sticksOut(texts.currentNode)) found.push(texts.currentNode);
    }
    return found.map(node => (node.outerHTML || node.textContent).trim().slice(0, 200));
}"""
REFLOW_PAGES = [
    "therapist-newsletter-sending",
    "visitor-home",
    "visitor-article",
    "visitor-articles-search",
    "therapist-article-edit",
    "visitor-login",
    "visitor-login-wrong-password",
    "visitor-signup",
    "visitor-confirm-email-sent",
    "visitor-password-reset",
    "visitor-consult-booking",
    "visitor-consult-booking-times",
    "visitor-consult-booked",
    "visitor-guide",
    "visitor-guide-subscribed",
    "visitor-newsletter-preferences",
    "visitor-about",
    "patient-email-settings",
    "patient-email-settings-two-addresses",
    "patient-two-step-settings",
    "therapist-two-step-setup",
    "therapist-two-step-setup-done",
    "therapist-my-patients",
    "therapist-patient-detail",
    "therapist-consult-availability",
]


@pytest.mark.parametrize("zoom", TEXT_ZOOMS.values(), ids=TEXT_ZOOMS.keys())
@pytest.mark.parametrize("name", REFLOW_PAGES)
def test_phone_screen_needs_no_sideways_scrolling(
    browser: Browser, live_server, therapist: User, patient: User, name: str, zoom: int
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        PAGES[name](page, therapist, patient)
        # Through the CSS object model, which the Content-Security-Policy allows.
        page.evaluate(f"document.documentElement.style.fontSize = '{zoom}%'")
        body_text_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
        assert body_text_px == 18 * zoom / 100

        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= page.evaluate("window.innerWidth"), page.evaluate(TOO_WIDE)
    finally:
        context.close()


# Keyboard focus ---------------------------------------------------------------------------

#: The element that has keyboard focus and its outline; null once focus has left the page.
FOCUSED = """() => {
    const element = document.activeElement;
    if (element === document.body) return null;
    const style = getComputedStyle(element);
    return {
        html: element.outerHTML.slice(0, 200),
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
    };
}"""
FOCUS_PAGES = [
    "visitor-home",
    "visitor-login-wrong-password",
    "patient-email-settings",
    "therapist-my-patients",
    "therapist-patient-detail",
    "therapist-consult-availability",
]


@pytest.mark.parametrize("name", FOCUS_PAGES)
def test_keyboard_focus_is_always_visible(
    page: Page, therapist: User, patient: User, name: str
) -> None:
    PAGES[name](page, therapist, patient)
    focused: list[dict[str, Any]] = []
    for _ in range(100):
        page.keyboard.press("Tab")
        element = page.evaluate(FOCUSED)
        if element is None:
            break
        focused.append(element)

    assert len(focused) >= 8, "the header, main and footer links"
    faint = [f["html"] for f in focused if f["outline"] == "none" or f["width"] < 3]
    assert not faint, faint
