"""A reader's journey in Chromium: the article list, an article, its embedded exercise's
page, and back to both offers at the end of the article."""

import re

import pytest
from playwright.sync_api import Page, expect

from practice.accounts.models import User
from tests.education.scenarios import article_with_everything

pytestmark = pytest.mark.django_db(transaction=True)


def test_read_an_article_try_its_exercise_and_reach_both_offers(page: Page, therapist: User):
    article = article_with_everything(therapist)

    page.goto("/articles/")
    page.get_by_role("link", name="Weak glutes").click()
    expect(page).to_have_url(re.compile(f"{re.escape(article.get_absolute_url())}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weak glutes")
    expect(page.get_by_role("img", name="A yoga mat on a wooden floor")).to_be_visible()
    expect(page.get_by_role("img", name="A woman lifting her hips off a mat")).to_be_visible()
    expect(page.locator(".exercise-card__dose")).to_contain_text("3")

    page.get_by_role("link", name="Try it: Glute bridge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Glute bridge")
    page.go_back()

    page.get_by_role("link", name="Tight hip flexors").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tight hip flexors")
    page.go_back()

    offers = page.locator(".article-offers")
    offers.get_by_role("link", name="Book a free 15-minute consult").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("consult")
    page.go_back()
    offers.get_by_label("Your email address").fill("reader@example.com")
    offers.locator('input[name="consent"]').check()
    offers.get_by_role("button", name="Send me the free guide").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Almost there: check your email")
