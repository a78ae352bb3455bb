"""The patient portal's and the therapist's monitoring pages for the accessibility scan,
each with real content (a running program, logs, a flag, a chart)."""

import re
from collections.abc import Callable
from datetime import time

from django.utils import timezone
from playwright.sync_api import Page, expect

from exercises.models import Program, ReminderPreference
from exercises.reminders import reminder_preference_save
from practice.accounts.models import User
from tests.exercises.portal_helpers import days_ago, program_make, unsettled_log_make

Scenario = Callable[[Page, User, User], None]
Login = Callable[..., None]


def _program(therapist: User, patient: User) -> Program:
    return program_make(therapist=therapist, patient=patient)


def portal_pages(*, therapist_login: Login, patient_login: Login) -> dict[str, Scenario]:
    def as_her(path_of: Callable[[Program], str]) -> Scenario:
        def scenario(page: Page, therapist: User, patient: User) -> None:
            path = path_of(_program(therapist, patient))
            patient_login(page, patient.email)
            page.goto(path)

        return scenario

    def player_running(page: Page, therapist: User, patient: User) -> None:
        as_her(lambda p: f"/exercises/my/programs/{p.pk}/session/")(page, therapist, patient)
        page.locator("main").get_by_role("button", name="Start", exact=True).click()
        expect(page.locator("[data-player-status]")).not_to_be_empty()

    def log_errors(page: Page, therapist: User, patient: User) -> None:
        as_her(lambda p: f"/exercises/my/programs/{p.pk}/session/")(page, therapist, patient)
        page.locator("main").get_by_role("button", name="Log my session").click()
        expect(page.locator(".errorlist").first).to_be_visible()

    def paused(page: Page, therapist: User, patient: User) -> None:
        as_her(lambda p: f"/exercises/my/programs/{p.pk}/session/")(page, therapist, patient)
        page.locator("input[name=pain_before][value='1']").check()
        page.locator("input[name=pain_after][value='1']").check()
        page.get_by_label("A fall").check()
        page.locator("main").get_by_role("button", name="Log my session").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Please call us before you exercise again"
        )

    def pain_48h_prompt(page: Page, therapist: User, patient: User) -> None:
        """Today asking "Has your pain settled?" about a session two days ago whose pain
        had not settled by the next morning (CLINICAL.md rule 6)."""
        program = program_make(
            therapist=therapist, patient=patient, start=days_ago(4, patient=patient)
        )
        unsettled_log_make(program, morning=5)
        patient_login(page, patient.email)
        page.goto("/exercises/today/")
        expect(page.get_by_role("heading", name="Has your pain settled?")).to_be_visible()

    def stop_page(page: Page, therapist: User, patient: User) -> None:
        _program(therapist, patient)
        preference = reminder_preference_save(patient=patient, enabled=True, remind_at=time(9))
        page.goto(f"/exercises/reminders/stop/{preference.stop_token}/")
        expect(page.get_by_role("button", name="Stop these reminders")).to_be_visible()

    def stopped(page: Page, therapist: User, patient: User) -> None:
        stop_page(page, therapist, patient)
        page.get_by_role("button", name="Stop these reminders").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Reminders stopped")
        assert not ReminderPreference.objects.get(patient=patient).enabled

    def paused_then(scenario: Scenario) -> Scenario:
        """Her programs paused by a red-flag report (the page offers "Resume all")."""

        def paused_scenario(page: Page, therapist: User, patient: User) -> None:
            scenario(page, therapist, patient)
            Program.objects.filter(patient=patient).update(
                paused_at=timezone.now(), pause_reason="She reported a fall."
            )
            page.reload()
            expect(page.get_by_role("button", name=re.compile("Resume all"))).to_be_visible()

        return paused_scenario

    def therapist_at(path_of: Callable[[User, User], str], *, logged: bool = True) -> Scenario:
        def scenario(page: Page, therapist: User, patient: User) -> None:
            program = _program(therapist, patient)
            if logged:
                # She logs in the same tab: closing a second tab that ran the player could
                # hang Chromium's page.close() for good (seen in a full run).
                patient_login(page, patient.email)
                page.goto(f"/exercises/my/programs/{program.pk}/session/")
                page.locator("input[name=pain_before][value='2']").check()
                page.locator("input[name=pain_after][value='7']").check()
                page.get_by_label("Anything to tell your therapist?").fill("Sore knee")
                page.locator("main").get_by_role("button", name="Log my session").click()
                page.locator(
                    "main form[action='/accounts/logout/'], form[action='/accounts/logout/']"
                ).first.get_by_role("button").click()
                expect(page.get_by_role("link", name="Log in")).to_be_visible()
            therapist_login(page, therapist)
            page.goto(path_of(therapist, patient))

        return scenario

    return {
        "patient-today": as_her(lambda p: "/exercises/today/"),
        "patient-program": as_her(lambda p: f"/exercises/my/programs/{p.pk}/"),
        "patient-player": as_her(lambda p: f"/exercises/my/programs/{p.pk}/session/"),
        "patient-player-running": player_running,
        "patient-log-errors": log_errors,
        "patient-paused": paused,
        "patient-reminders": as_her(lambda p: "/exercises/my/reminders/"),
        "visitor-reminder-stop": stop_page,
        "visitor-reminders-stopped": stopped,
        "therapist-monitor": therapist_at(lambda t, p: "/exercises/monitor/"),
        "therapist-monitor-patient": therapist_at(
            lambda t, p: f"/exercises/monitor/patients/{p.pk}/"
        ),
        "patient-today-48h-prompt": pain_48h_prompt,
        "therapist-monitor-patient-paused": paused_then(
            therapist_at(lambda t, p: f"/exercises/monitor/patients/{p.pk}/", logged=False)
        ),
        "therapist-monitoring-settings": therapist_at(
            lambda t, p: "/exercises/monitor/settings/", logged=False
        ),
    }
