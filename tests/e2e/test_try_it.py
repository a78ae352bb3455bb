"""The "try it" timer on a public exercise page counts down the dose, pauses and starts
again; without JavaScript the dose is plain text and the timer stays hidden."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.exercises.helpers import exercise_make

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_timer_follows_the_stretch_dose(page: Page) -> None:
    exercise_make(
        name="Lunge stretch", kind="static_stretch", sets=1, reps=2, hold_seconds=3,
        rest_seconds=2, side="both",
    )  # fmt: skip
    page.goto("/exercises/lunge-stretch/")
    section = page.locator(".try-it")
    expect(section).to_be_visible()
    section.get_by_role("button", name="Sound on").click()
    expect(section.get_by_role("button", name="Sound off")).to_have_attribute(
        "aria-pressed", "false"
    )
    section.get_by_role("button", name="Start", exact=True).click()
    phase, clock, count = (section.locator(f"[data-role={r}]") for r in ("phase", "clock", "count"))
    expect(phase).to_have_text("Left side: Hold")
    expect(count).to_have_text("Hold 1 of 2")
    expect(clock).to_have_text("2", timeout=2500)
    expect(phase).to_have_text("Relax", timeout=4000)
    section.get_by_role("button", name="Pause").click()
    expect(phase).to_contain_text("Paused")
    paused_at = clock.text_content()
    page.wait_for_timeout(1500)
    expect(clock).to_have_text(paused_at or "")
    section.get_by_role("button", name="Carry on").click()
    expect(phase).to_have_text("Right side: Hold", timeout=8000)
    expect(phase).to_have_text("Done. Well done!", timeout=15000)


def test_without_javascript_the_dose_is_text_and_no_timer_shows(
    browser: Browser, live_server: object
) -> None:
    exercise_make(name="Clamshell")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)  # type: ignore[attr-defined]
    plain = context.new_page()
    plain.goto("/exercises/clamshell/")
    expect(
        plain.get_by_text("3 sets of 10 repetitions, once a day, 3 days a week.")
    ).to_be_visible()
    expect(plain.locator(".try-it")).to_be_hidden()
    context.close()
