"""A visitor's whole consult in Chromium: book, open the emailed link, reschedule, cancel.

The emails are read from the outbox; their calendar invites are parsed by icalendar.
"""

import re

import icalendar
import pytest
from playwright.sync_api import Page, expect

from consults.models import Booking
from practice.accounts.models import User
from practice.outbox.models import OutboxMessage
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "margaret.hale@example.com"


def emails() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=EMAIL).order_by("pk"))


def invite(message: OutboxMessage) -> icalendar.Event:
    [attachment] = message.attachments.all()
    [event] = icalendar.Calendar.from_ical(bytes(attachment.content)).events
    return event


def manage_link(message: OutboxMessage) -> str:
    found = re.search(r"https?://[^\s]+(/consults/manage/link/[^\s/]+/)", message.text_body)
    assert found, message.text_body
    return found.group(1)


def test_book_open_the_emailed_link_reschedule_and_cancel(page: Page, therapist: User) -> None:
    host_create(therapist=therapist)
    page.set_default_timeout(30_000)  # the live server's first answer is slow on a busy machine

    page.goto("/consults/book/?tz=America/New_York")
    page.locator(".consult-days a").first.click()
    first_time = page.locator("main input[name=start]").first
    first_time.check()
    form = page.locator("main")
    form.get_by_label("Your name").fill("Margaret Hale")
    form.get_by_label("Your email address").fill(EMAIL)
    form.get_by_label("The phone number we should call").fill("(212) 555-0187")
    form.get_by_label("What would you like to talk about?").select_option("balance")
    form.get_by_label("I agree that the therapist may call me").check()
    page.locator("main").get_by_role("button", name="Book my free consult").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your free consult is booked")

    [confirmation] = emails()
    booked = invite(confirmation)
    booking = Booking.objects.get()
    assert booked.sequence == 0

    page.goto(manage_link(confirmation))
    assert page.url.endswith("/consults/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your free phone consult")
    page.locator("main input[name=start]").nth(1).check()
    page.locator("main").get_by_role("button", name="Move my consult to this time").click()
    expect(page.locator(".messages")).to_contain_text("Your consult is now at")

    moved_email = emails()[-1]
    moved = invite(moved_email)
    booking.refresh_from_db()
    assert str(moved["UID"]) == str(booked["UID"])
    assert moved.sequence == 1
    assert moved.decoded("DTSTART") == booking.starts_at
    assert moved.decoded("DTSTART") != booked.decoded("DTSTART")

    page.context.clear_cookies()
    page.goto(manage_link(moved_email))
    page.locator("main").get_by_role("button", name="Cancel my consult").click()
    expect(page.locator("main")).to_contain_text("This consult is cancelled")

    cancel = icalendar.Calendar.from_ical(bytes(emails()[-1].attachments.get().content))
    assert str(cancel["METHOD"]) == "CANCEL"
    assert str(cancel.events[0]["UID"]) == str(booked["UID"])
    assert cancel.events[0].sequence == 2
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
