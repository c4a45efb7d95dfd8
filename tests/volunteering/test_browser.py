"""Volunteering pages in real headless Chromium at phone width, with axe-core (WCAG 2.2 AA)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser import ERROR_TITLE, PHONE, assert_accessible
from tests.factories import (
    AreaFactory,
    HubFactory,
    OrganisationFactory,
    RoleFactory,
    SkillFactory,
)
from volunteering.models import Interest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def roles(transactional_db):
    cache.clear()
    pitsea = AreaFactory(name="Pitsea", slug="pitsea")
    basildon = AreaFactory(name="Basildon", slug="basildon")
    hub = HubFactory(name="Meadow Lane Community Hub", slug="meadow-lane", area=pitsea)
    customer = SkillFactory(name="Customer service")
    RoleFactory(
        title="Community supermarket assistant",
        organisation=OrganisationFactory(name="Pitsea Pantry"),
        hub=hub,
        area=pitsea,
        commitment="flexible",
        minimum_age=16,
        skills=[customer],
        summary="Stock shelves and help members at the community supermarket.",
        accessibility="Seated tasks available. Step-free access.",
    )
    RoleFactory(
        title="Volunteer driver",
        area=pitsea,
        commitment="regular",
        hours_per_week=4,
        dbs_check_needed=True,
    )
    RoleFactory(title="Telephone befriender", area=None, is_remote=True)
    RoleFactory(title="Festival steward", area=basildon, commitment="one_off")
    SkillFactory(name="Gardening")
    return {"hub": hub}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_resident_finds_a_flexible_role_near_them_and_expresses_interest(
    live_server, roles, phone, screenshot
):
    page = phone
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Volunteer").first.click()
    expect(page.locator("h1")).to_have_text("Volunteer in your community")
    assert_accessible(page)

    page.get_by_text("Filter roles").click()
    page.get_by_label("Town").select_option(label="Pitsea")
    page.get_by_label("Flexible: as little or as much as you like").check()
    page.get_by_role("button", name="Apply filters").click()

    assert "area=pitsea" in page.url and "commitment=flexible" in page.url  # shareable
    assert page.locator("#results-heading").inner_text() == "1 role"
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("volunteering-search-phone")

    page.get_by_role("link", name="Community supermarket assistant").click()
    expect(page.locator("h1")).to_have_text("Community supermarket assistant")
    assert page.get_by_text("Seated tasks available.").is_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("volunteering-role-phone")

    page.get_by_role("button", name="I’m interested").click()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Sam Resident")
    page.get_by_role("button", name="Send").click()

    # Mistakes are explained, accessibly, and what was typed is kept.
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.get_by_role("link", name="Enter an email address or a phone number").is_visible()
    assert page.get_by_role("link", name="Tick the box to agree").is_visible()
    assert page.get_by_label("Full name").input_value() == "Sam Resident"
    assert_accessible(page)
    screenshot("volunteering-interest-error-phone")

    page.get_by_label("Phone number").fill("07700 900123")
    page.get_by_label(re.compile("I agree that")).check()
    page.get_by_role("button", name="Send").click()

    reference = Interest.objects.get().reference
    assert page.locator(".govuk-panel__body").inner_text().endswith(reference)
    assert page.get_by_text("passed your interest in Community supermarket assistant").is_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("volunteering-interest-sent-phone")


def test_role_search_filters_and_a_bad_filter_are_accessible(live_server, roles, phone):
    page = phone
    page.goto(live_server.url + "/volunteer/?remote=on&under_18=on&skills=customer-service")
    assert page.locator("#results-heading").inner_text() == "0 roles"
    assert_accessible(page)

    page.goto(live_server.url + "/volunteer/?hub=meadow-lane")
    assert page.locator("#results-heading").inner_text() == "1 role"

    page.goto(live_server.url + "/volunteer/?area=atlantis")
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.get_by_text("Choose a town from the list").first.is_visible()
    assert_accessible(page)


def test_general_offer_of_help_on_a_phone(live_server, roles, phone, screenshot):
    page = phone
    page.goto(live_server.url + "/volunteer/")
    page.get_by_role("link", name="Tell us how you could help").click()
    expect(page.locator("h1")).to_have_text("I’d like to help")
    assert_accessible(page)

    page.get_by_role("button", name="Send").click()
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    summary = page.locator(".govuk-error-summary__list").inner_text()
    assert "This field is required" not in summary
    assert "Enter your name" in summary
    assert_accessible(page)

    # "Select all that apply": two of each, and a second tick keeps the first.
    assert page.locator("input[name=skills][type=checkbox]").count() == 2
    page.get_by_label("Full name").fill("Morgan Helper")
    page.get_by_label("Email address").fill("morgan@example.com")
    page.get_by_label("Gardening").check()
    page.get_by_label("Customer service").check()
    assert page.get_by_label("Gardening").is_checked()
    page.get_by_label("Pitsea").check()
    page.get_by_label("Basildon", exact=True).check()
    page.get_by_label("Weekends").check()
    page.get_by_label("Weekday evenings").check()
    page.get_by_label("Gardening").uncheck()  # a ticked answer can be cleared
    page.get_by_label("Gardening").check()
    page.get_by_label(re.compile("I agree that")).check()
    page.get_by_role("button", name="Send").click()

    interest = Interest.objects.get()
    assert interest.role is None
    assert sorted(interest.availability) == ["weekday_evenings", "weekends"]
    assert sorted(s.name for s in interest.skills.all()) == ["Customer service", "Gardening"]
    assert sorted(a.name for a in interest.areas.all()) == ["Basildon", "Pitsea"]
    assert page.get_by_text(interest.reference).is_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("volunteering-offer-sent-phone")


def test_hub_page_lists_its_roles_on_a_phone(live_server, roles, phone, screenshot):
    page = phone
    page.goto(live_server.url + "/hubs/meadow-lane/")

    assert page.get_by_role("heading", name="Volunteer at Meadow Lane Community Hub").is_visible()
    assert no_horizontal_scroll(page)
    assert_accessible(page)
    screenshot("volunteering-hub-page-phone")
    page.get_by_role("link", name="Community supermarket assistant").click()
    expect(page.locator("h1")).to_have_text("Community supermarket assistant")
