"""The home-exercise journey in Chromium: the therapist prescribes a template, the patient
opens Today, runs the guided player (its timer counts down), logs her pain, and the
therapist's list shows her new adherence and pain."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from exercises.dosage import Dose
from exercises.models import Program
from exercises.prescribing import ItemInput, template_create
from exercises.schedule import patient_today
from practice.accounts.models import User
from tests.e2e.test_accessibility import log_in, log_in_with_code
from tests.exercises.helpers import exercise_make

pytestmark = pytest.mark.django_db(transaction=True)


def test_prescribe_play_log_and_see_it_on_the_therapists_list(
    page: Page, browser: Browser, live_server, therapist: User, patient: User
) -> None:
    page.set_default_timeout(30_000)
    swings = exercise_make(name="Pendulum leg swings", kind="dynamic_stretch")
    bridge = exercise_make(name="Glute bridge")
    template = template_create(
        owner=therapist.therapist_profile,
        name="Wake up your glutes",
        weeks=4,
        items=[
            ItemInput(swings, Dose(sets=1, duration_seconds=60, rest_seconds=0, side="both",
                                   days_per_week=7, rpe_target=2)),
            ItemInput(bridge, Dose(sets=2, reps=10, rest_seconds=30, days_per_week=7,
                                   rpe_target=5)),
        ],
    )  # fmt: skip

    # The therapist prescribes the template.
    log_in_with_code(page, therapist)
    page.goto(f"/programs/patients/{patient.pk}/new/?template={template.pk}")
    her_today = patient_today(patient_id=patient.pk)  # her calendar, not the server's UTC one
    page.get_by_label("First day").fill(her_today.isoformat())
    page.locator("main").get_by_role("button", name="Prescribe the program").click()
    expect(page).to_have_url(re.compile(r"/programs/\d+/$"))
    program = Program.objects.get(patient=patient)

    # The patient, on her own device, opens Today and runs the player.
    her = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    phone = her.new_page()
    phone.set_default_timeout(30_000)
    log_in(phone, patient.email)
    phone.goto("/exercises/today/")
    expect(phone.get_by_role("heading", name="Wake up your glutes")).to_be_visible()
    expect(phone.get_by_text("0 of 1 session done today")).to_be_visible()
    phone.get_by_role("link", name="Start the session").click()
    timer = phone.locator("[data-player-timer]")
    expect(timer).to_have_text("1:00")
    phone.get_by_role("button", name="Start").click()
    expect(phone.locator("[data-player-side]")).to_have_text("Left side")
    expect(timer).to_have_text(re.compile(r"^0:5\d$"), timeout=5_000)  # counting down
    phone.get_by_role("button", name="Pause").click()
    paused_at = timer.inner_text()
    phone.wait_for_timeout(1500)
    expect(timer).to_have_text(paused_at)
    phone.get_by_role("button", name="Resume").click()
    phone.get_by_role("button", name="Skip this exercise").click()  # on to the bridges
    expect(phone.locator("[data-player-name]")).to_have_text("Glute bridge")
    for _ in range(10):
        phone.get_by_role("button", name="Rep done").click()
    expect(phone.locator("[data-player-kind='rest']")).to_be_visible()
    phone.get_by_role("button", name="Skip this exercise").click()
    expect(phone.locator("[data-player-name]")).to_have_text("Well done: session finished")
    expect(phone.get_by_label("I did Pendulum leg swings")).not_to_be_checked()
    expect(phone.get_by_label("I did Glute bridge")).to_be_checked()

    # She logs her pain.
    phone.locator("input[name=pain_before][value='1']").check()
    phone.locator("input[name=pain_after][value='2']").check()
    phone.get_by_role("button", name="Log my session").click()
    expect(phone.get_by_text("Your session is logged")).to_be_visible()
    expect(phone.get_by_text("All done for today")).to_be_visible()
    her.close()

    # The therapist's list shows it.
    page.goto("/exercises/monitor/")
    row = page.get_by_role("row", name=re.compile(patient.full_name or patient.email))
    expect(row).to_contain_text("50%")  # one of two exercises done, today's only session
    expect(row).to_contain_text("2 of 10")
    expect(row).to_contain_text("safe")
    assert program.session_logs.get().source == "player"
