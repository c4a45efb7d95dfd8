"""The home page in real headless Chromium, at phone and desktop widths, with axe-core."""

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name,viewport", [("phone", PHONE), ("desktop", DESKTOP)])
def test_home_page_is_accessible(live_server, page, screenshot, name, viewport):
    page.set_viewport_size(viewport)

    page.goto(live_server.url + "/")

    assert page.locator("h1").inner_text().startswith("Find help")
    # The skip link is the first thing a keyboard user reaches.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    # GOV.UK Frontend's JavaScript ran (module loaded from our static files).
    assert "js-enabled" in page.evaluate("document.body.className")
    assert_accessible(page)
    # No horizontal scrolling at this width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(f"home-{name}")


def test_not_found_page_is_accessible(live_server, page):
    page.set_viewport_size(PHONE)

    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/accessibility/", "/privacy/"])
def test_statements_are_accessible(live_server, page, path):
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + path)

    assert page.locator("h1").count() == 1
    assert_accessible(page)
