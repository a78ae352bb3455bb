import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_follows_both_offers_from_the_home_page(page: Page):
    page.goto("/")

    page.get_by_role("link", name="Book a free 15-minute consult", exact=True).click()
    expect(page).to_have_url(re.compile(r"/consults/book/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Book a free 15-minute phone consult")

    page.go_back()
    offer = page.locator("main .offer").filter(has_text="Read our free guide")
    expect(offer.get_by_role("button", name="Send me the free guide")).to_be_visible()
    offer.get_by_role("link", name="More about the guide", exact=True).click()
    expect(page).to_have_url(re.compile(r"/guide/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "8 Lifestyle Changes for Better Bone Health"
    )


def test_first_tab_reveals_the_skip_link(page: Page):
    page.goto("/")

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_text_is_large_and_targets_are_big_enough(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")

    font_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_size >= 18
    for name in ("Book a free 15-minute consult", "Articles"):
        box = page.get_by_role("link", name=name, exact=True).bounding_box()
        assert box is not None
        assert box["height"] >= 44, name
    signup = page.locator("main").get_by_role("button", name="Send me the free guide")
    box = signup.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_pages_load_without_csp_violations_or_console_errors(page: Page):
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    for url in ("/", "/about/", "/privacy/", "/consults/book/", "/guide/"):
        page.goto(url)
        expect(page.locator("footer")).to_be_visible()
    page.goto("/api/docs/")
    expect(page.get_by_text("/api/v1/practice/").first).to_be_visible()

    assert problems == []
