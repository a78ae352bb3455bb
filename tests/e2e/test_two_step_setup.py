"""Setting up two-step sign-in on a phone: the whole setup key shows, and can be selected."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_accessibility import log_in
from tests.fixtures.accounts import therapist_create

pytestmark = pytest.mark.django_db(transaction=True)

#: The key element's own size against what it holds, and where it ends on the screen.
KEY_FIT = """key => ({
    hidden: key.scrollWidth - key.clientWidth,
    right: key.getBoundingClientRect().right,
    screen: window.innerWidth,
})"""


@pytest.mark.parametrize("zoom", [100, 200])
def test_the_whole_setup_key_shows_on_a_phone(browser: Browser, live_server, zoom: int) -> None:
    newcomer = therapist_create(email="ann.new@example.com", full_name="Ann New", totp=False)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        log_in(page, newcomer.email)
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-step sign-in")
        page.evaluate(f"document.documentElement.style.fontSize = '{zoom}%'")
        key = page.locator("main code.setup-key")

        fit = key.evaluate(KEY_FIT)
        assert fit["hidden"] <= 0, fit
        assert fit["right"] <= fit["screen"], fit
        key.click()
        selected = page.evaluate("window.getSelection().toString()")
        assert selected.replace(" ", "") == key.inner_text().replace(" ", "")
        assert len(selected.replace(" ", "")) == 32
    finally:
        context.close()
