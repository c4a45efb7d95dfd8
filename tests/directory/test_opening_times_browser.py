"""A resident on a phone finds a place open now with step-free access, in real headless
Chromium with axe-core (WCAG 2.2 AA)."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demo import directory as demo
from tests.browser import DESKTOP, PHONE, assert_accessible, fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Tuesday 1 December 2026, 11am in the UK (GMT): the demo's Tuesday morning sessions run.
TUESDAY_MORNING = datetime.datetime(2026, 12, 1, 11, 0, tzinfo=datetime.UTC)


@pytest.fixture
def directory(transactional_db):
    cache.clear()
    demo.seed(None)


def test_open_now_with_step_free_access_then_the_services_features_on_a_phone(
    live_server, directory, page, screenshot
):
    page.set_viewport_size(PHONE)
    with mock.patch("django.utils.timezone.now", return_value=TUESDAY_MORNING):
        page.goto(live_server.url + "/directory/")
        page.get_by_role("button", name="Search", exact=True).click()
        page.get_by_text("Filter results").click()
        page.get_by_label("Open now", exact=True).check()
        page.get_by_label("Step-free access", exact=True).check()
        page.get_by_role("button", name="Apply filters").click()

        heading = page.locator("#results-heading").inner_text()
        assert heading.split()[0].isdigit() and int(heading.split()[0]) >= 1
        assert page.title().startswith(f"{heading.split()[0]} result")
        assert page.get_by_role("link", name="Open now").is_visible()
        assert page.get_by_role("link", name="Accessibility: Step-free access").is_visible()
        assert page.get_by_role("link", name="Basildon food bank").is_visible()
        assert fits_the_screen(page)
        assert_accessible(page)
        screenshot("directory-open-now-step-free-phone")

        page.get_by_role("link", name="Basildon food bank").click()
        expect(page.locator("h1")).to_have_text("Basildon food bank")
        assert page.get_by_role("heading", name="Accessibility").first.is_visible()
        assert page.get_by_text("Hearing loop", exact=True).first.is_visible()
        assert page.get_by_text("Polish", exact=True).is_visible()
        assert fits_the_screen(page)
        assert_accessible(page)

        page.set_viewport_size(DESKTOP)
        assert_accessible(page)
        page.go_back()
        assert page.get_by_role("link", name="Open now").is_visible()
        assert_accessible(page)
