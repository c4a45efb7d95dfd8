"""The staff dashboard in real Chromium at phone width, with axe-core (WCAG 2.2 AA)."""

import pytest
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE_390, assert_accessible, fits_the_screen
from tests.browser import sign_in_page as sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_dashboard_is_accessible_on_a_phone_and_its_links_work(
    live_server, page, screenshot, client, demo
):
    sign_in(page, client, live_server, "officer")
    page.set_viewport_size(PHONE_390)

    page.goto(live_server.url + "/staff/")

    expect(page.locator("h1")).to_have_text("Dashboard")
    titles = page.locator("svg[role=img] title").all_text_contents()
    assert "People at hub sessions each month: Borough total" in titles
    assert "Listed services in each category" in titles
    # Every chart has its table, with the same caption.
    captions = page.locator("table caption").all_text_contents()
    assert all(title in captions for title in titles)
    assert_accessible(page)
    assert fits_the_screen(page)
    screenshot("dashboard-officer-phone")

    listed = page.get_by_role("link", name="services listed")
    count = listed.locator(".cc-figure__number").inner_text()
    listed.click()
    assert page.url.startswith(live_server.url + "/admin/directory/service/?public=yes")
    assert f"{count} services" in page.locator("#changelist-form").inner_text()

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/staff/")
    assert_accessible(page)
    screenshot("dashboard-officer-desktop")


def test_coordinator_dashboard_is_accessible_on_a_phone(
    live_server, page, screenshot, client, demo
):
    sign_in(page, client, live_server, "coordinator")
    page.set_viewport_size(PHONE_390)

    page.goto(live_server.url + "/staff/")

    assert page.get_by_role("heading", name="Hub engagements").is_visible()
    assert page.get_by_role("heading", name="Partner agreements").count() == 0
    assert_accessible(page)
    assert fits_the_screen(page)
    screenshot("dashboard-coordinator-phone")


def test_admin_header_leads_to_the_dashboard(live_server, page, client, demo):
    sign_in(page, client, live_server, "officer")
    page.set_viewport_size(PHONE_390)

    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Dashboard").click()

    expect(page.locator("h1")).to_have_text("Dashboard")
