"""The pain-monitoring journey over three days in Chromium (CLINICAL.md rule 6): she logs a
session, the next morning Today asks how her pain is (higher than before she exercised: not
settled), two days after it asks whether it has settled (still higher: red), and the
therapist sees the flag and the 48-hour score beside the others; after a red-flag report
she resumes all the patient's paused programs at once."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from exercises.models import Program, SessionLog
from practice.accounts.models import User
from tests.e2e.test_accessibility import log_in, log_in_with_code
from tests.exercises.portal_helpers import program_make

pytestmark = pytest.mark.django_db(transaction=True)


def _log_session(phone: Page, program: Program, *, before: int, after: int) -> None:
    phone.goto(f"/exercises/my/programs/{program.pk}/session/")
    phone.locator(f"input[name=pain_before][value='{before}']").check()
    phone.locator(f"input[name=pain_after][value='{after}']").check()
    phone.locator("main").get_by_role("button", name="Log my session").click()
    expect(phone.get_by_text("Your session is logged")).to_be_visible()


def test_the_48_hour_question_reaches_the_therapist(
    page: Page, browser: Browser, live_server, therapist: User, patient: User
) -> None:
    page.set_default_timeout(30_000)
    program = program_make(therapist=therapist, patient=patient, title="Hip flexor release")
    log_in_with_code(page, therapist)
    her = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = her.new_page()
    phone.set_default_timeout(30_000)
    log_in(phone, patient.email)

    # Day 0: she logs a session, pain 2 before and 4 after.
    _log_session(phone, program, before=2, after=4)
    expect(phone.get_by_role("heading", name="How is your pain this morning?")).to_have_count(0)

    start = timezone.now()
    with time_machine.travel(start + timedelta(days=1), tick=True):
        # The next morning: 5, higher than the 2 before she exercised.
        phone.goto("/exercises/today/")
        expect(phone.get_by_role("heading", name="How is your pain this morning?")).to_be_visible()
        phone.locator("input[name=pain][value='5']").check()
        phone.get_by_role("button", name="Save my pain").click()
        expect(
            phone.get_by_text("your therapist will see how you feel this morning")
        ).to_be_visible()
        expect(phone.get_by_role("heading", name="Has your pain settled?")).to_have_count(0)

    with time_machine.travel(start + timedelta(days=2), tick=True):
        # Two days after: asked again, and still 4, above the 2 before.
        phone.goto("/exercises/today/")
        question = phone.get_by_role("region", name="Has your pain settled?")
        expect(question).to_be_visible()
        expect(question).to_contain_text("your pain was 5 of 10, higher than the 2 of 10")
        question.locator("input[name=pain][value='4']").check()
        question.get_by_role("button", name="Save my pain").click()
        expect(phone.get_by_text("your therapist will see how you feel now")).to_be_visible()
        expect(phone.get_by_role("heading", name="Has your pain settled?")).to_have_count(0)

        # The therapist sees the flag, and the 48-hour score in the table and the session.
        page.goto(f"/exercises/monitor/patients/{patient.pk}/")
        flags = page.get_by_role("region", name="Flags")
        expect(flags).to_contain_text("Pain still not settled after 48 hours")
        expect(flags).to_contain_text("Pain 4 of 10 48 hours after the session")
        table = page.get_by_role("table", name="Pain (0 to 10) per session")
        expect(table.get_by_role("columnheader", name="48 hours after")).to_be_visible()
        expect(table.locator("tbody tr").first).to_have_text(re.compile(r"\s*2\s*4\s*5\s*4\s*$"))
        expect(page.get_by_role("region", name="Sessions and comments")).to_contain_text(
            "next morning 5 · 48 hours after 4"
        )
    log = SessionLog.objects.get()
    assert (log.pain_next_morning, log.pain_48h) == (5, 4)
    her.close()


def test_a_red_flag_pauses_all_and_the_therapist_resumes_all(
    page: Page, browser: Browser, live_server, therapist: User, patient: User
) -> None:
    page.set_default_timeout(30_000)
    first = program_make(therapist=therapist, patient=patient, title="Hip flexor release")
    program_make(therapist=therapist, patient=patient, title="Wake up your glutes")
    her = browser.new_context(base_url=live_server.url)
    phone = her.new_page()
    phone.set_default_timeout(30_000)
    log_in(phone, patient.email)
    phone.goto(f"/exercises/my/programs/{first.pk}/session/")
    phone.locator("input[name=pain_before][value='1']").check()
    phone.locator("input[name=pain_after][value='1']").check()
    phone.get_by_label("A fall").check()
    phone.locator("main").get_by_role("button", name="Log my session").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Please call us before you exercise again"
    )

    log_in_with_code(page, therapist)
    page.goto(f"/exercises/monitor/patients/{patient.pk}/")
    expect(page.get_by_text("2 of her programs are paused")).to_be_visible()
    page.get_by_role("button", name="Resume all her paused programs (2)").click()
    expect(
        page.get_by_text("Running again: Hip flexor release, Wake up your glutes.")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Resume"))).to_have_count(0)
    assert not Program.objects.filter(paused_at__isnull=False).exists()

    phone.goto("/exercises/today/")
    expect(phone.get_by_role("link", name="Start the session").first).to_be_visible()
    her.close()
