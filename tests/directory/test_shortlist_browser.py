"""A shortlist built, shared by link and printed, in real Chromium with axe-core."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, assert_accessible, fits_the_screen
from tests.factories import LocationFactory, ScheduleFactory, ServiceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["Lunch club", "Warm space", "Debt advice"]


@pytest.fixture
def services(transactional_db):
    cache.clear()
    made = []
    for n, name in enumerate(NAMES):
        service = ServiceFactory(
            name=name,
            description=f"{name} for anyone in the borough. " * 3,
            phone=f"01268 55500{n}",
            locations=[
                LocationFactory(
                    name=f"{name} hall", address_1=f"{n + 1} High Street", postcode="SS14 1DL"
                )
            ],
        )
        ScheduleFactory(service=service)
        made.append(service)
    return made


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_shortlist_of_three_shared_by_link_and_printed(live_server, services, page, browser):
    page.set_viewport_size(PHONE)
    for name in NAMES:
        page.goto(live_server.url + "/directory/?q=" + name.split()[0])
        page.get_by_role("link", name=name).first.click()
        page.get_by_role("button", name=f"Add to shortlist {name}").click()
        expect(page.get_by_text("This service is on your shortlist.")).to_be_visible()
    assert_accessible(page)  # a service page, listed
    page.get_by_role("link", name="View your shortlist (3 services)").click()

    expect(page.locator("h1")).to_have_text("Your shortlist")
    listed = page.locator(".cc-shortlist__item h2").all_inner_texts()
    assert listed == NAMES
    assert fits_the_screen(page)  # the long share link wraps
    assert_accessible(page)
    link = page.locator("#share-link").get_attribute("href")

    # Opened on another device: the same three, in the same order.
    other = browser.new_context(viewport=PHONE)
    shared = other.new_page()
    shared.goto(link)
    assert shared.locator(".cc-shortlist__item h2").all_inner_texts() == NAMES
    assert_accessible(shared)
    shared.get_by_role("button", name="Keep this list on this device").click()
    expect(shared.locator("h1")).to_have_text("Your shortlist")
    assert shared.locator(".cc-shortlist__item h2").all_inner_texts() == NAMES

    # Printed: names, times, addresses and phone numbers; no navigation, buttons or map.
    shared.emulate_media(media="print")
    for name, service in zip(NAMES, services, strict=True):
        assert shared.get_by_role("link", name=name).is_visible()
        assert shared.get_by_text(service.phone).is_visible()
    assert shared.get_by_text("Tuesday 10am to midday").first.is_visible()
    assert shared.get_by_text("1 High Street").first.is_visible()
    for hidden in ("header", "footer", ".govuk-breadcrumbs", "button", "#share-link"):
        assert all(not el.is_visible() for el in shared.locator(hidden).all()), hidden
    assert shared.locator(".leaflet-container").count() == 0
    assert shared.get_by_text("Check times before you go").is_visible()
    assert 1 <= pdf_pages(shared.pdf(format="A4")) <= 2
    other.close()

    # Removing one on the first device.
    page.get_by_role("button", name="Remove Warm space").click()
    assert page.locator(".cc-shortlist__item h2").all_inner_texts() == ["Lunch club", "Debt advice"]


def test_shortlist_pages_are_accessible_on_a_wide_screen(live_server, services, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/directory/shortlist/")
    assert page.get_by_text("Your shortlist is empty").is_visible()
    assert_accessible(page)
    page.goto(live_server.url + services[0].get_absolute_url())
    page.get_by_role("button", name="Add to shortlist Lunch club").click()
    assert_accessible(page)
    page.get_by_role("link", name="View your shortlist (1 service)").click()
    assert_accessible(page)
    page.goto(live_server.url + "/directory/shortlist/shared/?services=not-a-list")
    assert page.get_by_text("This shortlist link is not complete").is_visible()
    assert_accessible(page)
