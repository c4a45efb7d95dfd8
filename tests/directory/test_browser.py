"""The public directory in real headless Chromium at phone width, with axe-core (WCAG 2.2 AA)."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from playwright.sync_api import expect

from demo import directory as demo
from directory.models import Service, Suggestion
from tests.browser import ERROR_TITLE, PHONE, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(transactional_db):
    cache.clear()
    demo.seed(None)


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_finds_free_tuesday_food_drop_in_near_a_postcode(
    live_server, directory, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/")
    page.get_by_label("What are you looking for?").fill("food")
    page.get_by_role("button", name="Search").click()

    page.get_by_label("Near a postcode").fill("ss14 1dl")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "near SS14 1DL" in page.locator("#results-heading").inner_text()
    assert page.get_by_text("miles away").first.is_visible()
    assert_accessible(page)

    page.get_by_text("Filter results").click()
    page.get_by_label("Free", exact=True).check()
    page.get_by_label("Drop in", exact=True).check()
    page.get_by_label("Tuesday", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    assert re.search(r"postcode=ss14", page.url, re.I) and "day=2" in page.url  # shareable
    heading = page.locator("#results-heading").inner_text()
    assert heading.startswith("1 result for ‘food’ near SS14 1DL")
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("directory-search-phone")

    page.get_by_role("link", name="Laindon food bank").click()
    expect(page.locator("h1")).to_have_text("Laindon food bank")
    assert page.get_by_text("Tuesday 1pm to 3pm at Laindon Community Hub").is_visible()
    assert page.get_by_text("SS15 6AD").first.is_visible()
    assert page.get_by_role("link", name="Report a problem with this listing").is_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("directory-service-phone")


def test_resident_narrows_a_search_to_a_town_and_it_stays_chosen(
    live_server, directory, phone, screenshot
):
    phone.goto(live_server.url + "/directory/?q=food")
    everywhere = phone.locator("#results-heading").inner_text()
    phone.get_by_text("Filter results").click()
    phone.get_by_label("Town").select_option(label="Laindon")
    phone.get_by_role("button", name="Apply filters").click()

    assert "area=laindon" in phone.url
    assert phone.get_by_label("Town").input_value() == "laindon"
    heading = phone.locator("#results-heading").inner_text()
    assert heading != everywhere and "for ‘food’" in heading
    assert phone.get_by_role("link", name="Laindon food bank").is_visible()
    assert no_horizontal_scroll(phone)
    assert_accessible(phone)
    screenshot("directory-town-phone")


def test_no_results_and_bad_postcode_pages_are_accessible(live_server, directory, phone):
    phone.goto(live_server.url + "/directory/?q=zzzzzz")
    assert phone.get_by_text("No services match your search").is_visible()
    assert_accessible(phone)

    phone.goto(live_server.url + "/directory/?postcode=nonsense&age=abc")
    expect(phone).to_have_title(ERROR_TITLE)  # waits for the page
    assert phone.locator(".govuk-error-summary").is_visible()
    assert_accessible(phone)

    phone.goto(live_server.url + "/directory/?area=nowhere&day=9")
    summary = phone.locator(".govuk-error-summary")
    assert summary.get_by_text("Select a town from the list").is_visible()
    assert summary.get_by_text("Select days from the list").is_visible()
    assert no_horizontal_scroll(phone)
    assert_accessible(phone)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL spelling")
def test_a_misspelt_search_finds_food_banks_and_says_so(live_server, directory, phone, screenshot):
    phone.goto(live_server.url + "/directory/?q=fod+bank")

    assert phone.locator("#spelling").inner_text() == "Including results for ‘food bank’"
    assert phone.get_by_role("link", name="Laindon food bank").is_visible()
    assert no_horizontal_scroll(phone)
    assert_accessible(phone)
    screenshot("directory-spelling-phone")


def test_organisation_page_is_accessible(live_server, directory, phone):
    phone.goto(live_server.url + "/directory/organisations/basildon-district-foodbank/")

    expect(phone.locator("h1")).to_have_text("Basildon District Foodbank")
    assert phone.get_by_role("link", name="Billericay food bank").is_visible()
    assert phone.locator(".cc-card__facts dt", has_text="Where").first.is_visible()
    assert no_horizontal_scroll(phone)
    assert_accessible(phone)


def test_resident_suggests_a_listing_and_gets_a_reference(
    live_server, directory, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/directory/suggest/")
    assert_accessible(page)

    page.get_by_role("button", name="Send suggestion").click()
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    page.get_by_label("Name of the service or group").fill("Pitsea craft club")
    page.get_by_label("What it offers").fill("Knitting, sewing and a cuppa")
    page.get_by_label("Older people").check()
    page.get_by_label("Postcode (optional)").fill("ss13 1aq")
    page.get_by_label("Free", exact=True).check()
    page.get_by_role("button", name="Send suggestion").click()

    expect(page.locator("h1")).to_have_text("Thank you")
    reference = Suggestion.objects.get().reference
    assert reference in page.locator(".govuk-panel__body").inner_text()
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("directory-suggestion-sent-phone")


def test_report_a_problem_form_is_accessible(live_server, directory, phone):
    service = Service.objects.get(name="Youth club")
    phone.goto(live_server.url + service.get_absolute_url())
    phone.get_by_role("link", name="Report a problem with this listing").click()

    assert_accessible(phone)
    phone.get_by_label("What needs to change").fill("It has moved to the library")
    phone.get_by_role("button", name="Send report").click()
    expect(phone.locator("h1")).to_have_text("Thank you")
    assert Suggestion.objects.get().service == service
