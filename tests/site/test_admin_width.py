"""Every admin list fits a 1280-pixel screen, with long but real values in its columns."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page

from practice.accounts import invites
from practice.accounts.models import User
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.models import OutboxMessage
from practice.scheduling.models import Job
from tests.e2e.test_accessibility import log_in_with_code
from tests.fixtures.accounts import patient_create

pytestmark = pytest.mark.django_db(transaction=True)

LONG_NAME = "Margaret Elizabeth Fotheringham-Worthington"
LONG_EMAIL = "margaret.elizabeth.fotheringham-worthington@longfamilyname.example.com"
LONG_ERROR = (
    "SMTPRecipientsRefused: {'margaret.elizabeth@longfamilyname.example.com': (550, b'5.1.1 "
    "The email account that you tried to reach does not exist. Please try double-checking')}"
)
#: How far the page and the list table reach beyond what the window shows.
OVERFLOW = """() => {
    const table = document.querySelector("#changelist .results");
    return {
        page: document.documentElement.scrollWidth - window.innerWidth,
        table: table ? table.scrollWidth - table.clientWidth : 0,
    };
}"""


def long_rows(owner: User) -> None:
    patient = patient_create(therapist=owner, email=LONG_EMAIL, full_name=LONG_NAME)
    invites.patient_invite(
        therapist=owner.therapist_profile, email=f"x.{LONG_EMAIL}", full_name=LONG_NAME
    )
    Group.objects.create(name="Front desk and billing staff of the practice")
    now = timezone.now()
    OutboxMessage.objects.create(
        idempotency_key="width-test",
        to=LONG_EMAIL,
        subject="Your free bone-health guide: 8 lifestyle changes for better bone health",
        text_body="Hello",
        message_id_header="<width-test@practice.example>",
        status=OutboxMessage.Status.FAILED,
        attempts=10,
        last_error=LONG_ERROR,
        sent_at=now,
    )
    Job.objects.create(
        kind="consults.reminder_before_the_call",
        key=f"consults:reminder:{LONG_EMAIL}:2025-07-01T16:30",
        due_at=now + timedelta(days=1),
        attempts=3,
        last_error=LONG_ERROR,
    )
    audit_record(
        actor=owner,
        patient=patient,
        action=AuditEvent.Action.VIEW,
        summary="Viewed her patient page and invites, and the exercise program she follows",
    )


def changelists() -> list[str]:
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def test_every_admin_list_fits_a_1280_pixel_screen(browser: Browser, live_server, owner) -> None:
    long_rows(owner)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    try:
        page: Page = context.new_page()
        log_in_with_code(page, owner)
        too_wide = {}
        for url in changelists():
            page.goto(url)
            overflow = page.evaluate(OVERFLOW)
            if overflow["page"] > 0 or overflow["table"] > 0:
                too_wide[url] = overflow
        assert not too_wide
    finally:
        context.close()
