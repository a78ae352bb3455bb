"""The campaign pages as the therapist and visitors reach them, for
tests/e2e/test_accessibility.py."""

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from newsletter import fanout
from newsletter.campaigns import campaign_send
from newsletter.models import Campaign
from practice.accounts.models import User
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make, tag_make

Scenario = Callable[..., None]


def _path(path: str, state: str = "draft") -> str:
    """``path`` once a campaign in ``state`` exists (for the list pages)."""
    _campaign(state)
    return path


def _campaign(state: str = "draft") -> Campaign:
    tag_make("Osteoporosis")
    subscribers_make(3)
    campaign = campaign_make()
    if state != "draft":
        campaign = campaign_send(campaign=campaign)
        fanout.campaign_batch_run(campaign_id=campaign.pk)
    return campaign


def campaign_pages(*, therapist_login: Callable[[Page, User], None]) -> dict[str, Scenario]:
    def as_therapist(path: Callable[[], str]) -> Scenario:
        def scenario(page: Page, therapist: User, *_: Any) -> None:
            target = path()
            therapist_login(page, therapist)
            page.goto(target)

        return scenario

    def new_with_errors(page: Page, therapist: User, *_: Any) -> None:
        tag_make("Osteoporosis")
        therapist_login(page, therapist)
        page.goto("/newsletter/campaigns/new/")
        page.locator("main").get_by_label("Only the segments below").check()
        page.locator("main").get_by_role("button", name="Save the draft").click()
        page.get_by_text("Please correct the errors below.").or_(
            page.get_by_text("This field is required.").first
        ).first.wait_for()

    def visit(path: Callable[[], str]) -> Scenario:
        return lambda page, *_: page.goto(path())

    return {
        "therapist-newsletters": as_therapist(lambda: _path("/newsletter/campaigns/")),
        "therapist-newsletter-new-errors": new_with_errors,
        "therapist-newsletter-draft": as_therapist(
            lambda: f"/newsletter/campaigns/{_campaign().pk}/"
        ),
        "therapist-newsletter-sending": as_therapist(
            lambda: f"/newsletter/campaigns/{_campaign('sending').pk}/"
        ),
        "therapist-newsletter-preview": as_therapist(
            lambda: f"/newsletter/campaigns/{_campaign().pk}/preview/"
        ),
        "visitor-newsletter-archive": visit(lambda: _path("/newsletter/archive/", "sending")),
        "visitor-newsletter-archive-page": visit(
            lambda: f"/newsletter/archive/{_campaign('sending').pk}/"
        ),
    }
