"""The newsletter's pages as a visitor reaches them, for tests/e2e/test_accessibility.py."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import time_machine
from django.utils import timezone
from playwright.sync_api import Page

from newsletter import links
from newsletter.models import Subscriber
from tests.newsletter.helpers import guide_create

Scenario = Callable[..., None]


def _reader(status: str = Subscriber.Status.ACTIVE) -> Subscriber:
    subscriber, _ = Subscriber.objects.get_or_create(
        email="reader@example.com",
        defaults={"status": status, "first_name": "Rita"},
    )
    if status == Subscriber.Status.ACTIVE and subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    return subscriber


def _path(url: str) -> str:
    return urlsplit(url).path


def _visit(path: str) -> Scenario:
    def scenario(page: Page, *_: Any) -> None:
        page.goto(path)

    return scenario


def signup_errors(page: Page, *_: Any) -> None:
    page.goto("/guide/")
    form = page.locator("main form").first
    form.locator("input[name=email]").fill("not an address")
    form.evaluate("form => { form.noValidate = true; }")
    form.get_by_role("button", name="Send me the free guide").click()


def subscribed(page: Page, *_: Any) -> None:
    guide_create()
    page.goto(_path(links.confirm_url(_reader(Subscriber.Status.PENDING))))


def confirm_expired(page: Page, *_: Any) -> None:
    subscriber = _reader(Subscriber.Status.PENDING)
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        url = links.confirm_url(subscriber)
    page.goto(_path(url))


def download_expired(page: Page, *_: Any) -> None:
    subscriber = _reader()
    with time_machine.travel(timezone.now() - timedelta(days=31)):
        url = links.download_url(subscriber)
    page.goto(_path(url))


def unsubscribe(page: Page, *_: Any) -> None:
    page.goto(_path(links.unsubscribe_url(_reader())))


def unsubscribed(page: Page, *_: Any) -> None:
    unsubscribe(page)
    page.locator("main").get_by_role("button", name="Unsubscribe").click()


def preferences(page: Page, *_: Any) -> None:
    page.goto(_path(links.preferences_url(_reader())))


PAGES: dict[str, Scenario] = {
    "visitor-guide-signup-errors": signup_errors,
    "visitor-guide-check-your-email": _visit("/guide/check-your-email/"),
    "visitor-guide-link-sent": _visit("/guide/link-sent/"),
    "visitor-guide-subscribed": subscribed,
    "visitor-guide-confirm-expired": confirm_expired,
    "visitor-guide-link-broken": _visit("/guide/confirm/not-a-real-token/"),
    "visitor-guide-download-expired": download_expired,
    "visitor-newsletter-unsubscribe": unsubscribe,
    "visitor-newsletter-unsubscribed": unsubscribed,
    "visitor-newsletter-preferences": preferences,
    "visitor-newsletter-preferences-no-link": _visit("/newsletter/preferences/"),
}
