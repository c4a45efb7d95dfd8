"""Results first on a phone, in real headless Chromium with axe-core (WCAG 2.2 AA)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demo import directory as demo
from tests.browser import DESKTOP, ERROR_TITLE, PHONE, assert_accessible, fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(transactional_db):
    cache.clear()
    demo.seed(None)


def in_first_screen(page, selector):
    """Measured once the page's scripts have run, as a resident sees it: they fold the menu away
    and add "Use my location", which move the results up and down."""
    page.wait_for_load_state()
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


def test_search_filter_service_and_back_to_the_same_results_on_a_phone(
    live_server, directory, page, screenshot
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/directory/")
    page.get_by_label("What are you looking for?").fill("food")
    page.get_by_role("button", name="Search", exact=True).click()
    assert in_first_screen(page, "#results-heading")
    assert not page.locator(".cc-filters").evaluate("d => d.open")  # folded
    assert_accessible(page)

    page.get_by_text("Filter results").click()
    page.get_by_label("Free", exact=True).check()
    page.get_by_label("Drop in", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()

    # The count and the filters on are in the first screen; the filters folded away.
    heading = page.locator("#results-heading")
    count = heading.inner_text()
    assert count.endswith("for ‘food’") and in_first_screen(page, "#results-heading")
    assert page.locator(".cc-applied-filters").is_visible()
    assert page.get_by_role("link", name="Cost: Free").is_visible()
    assert page.get_by_role("link", name="How to access: Drop in").is_visible()
    assert not page.locator(".cc-filters").evaluate("d => d.open")
    assert page.title().startswith(count.split(" for")[0])
    assert fits_the_screen(page)
    assert_accessible(page)
    screenshot("directory-results-first-phone")
    # Compact cards: the first card's top is in the first or second screen, and each card
    # is well under a screen tall.
    cards = page.locator(".cc-results > li")
    heights = [cards.nth(i).bounding_box()["height"] for i in range(cards.count())]
    assert max(heights) < 400

    results_url = page.url
    page.get_by_role("link", name="Laindon food bank").click()
    expect(page.locator("h1")).to_have_text("Laindon food bank")
    assert page.get_by_text("01632 960").first.is_visible()  # demo services have a phone
    assert_accessible(page)

    page.get_by_role("link", name="Back to results").click()
    assert page.url == results_url
    assert page.locator("#results-heading").inner_text() == count
    assert page.get_by_role("link", name="Cost: Free").is_visible()

    # Removing one filter keeps the words and the other filter.
    page.get_by_role("link", name="Cost: Free").click()
    assert "q=food" in page.url and "access=drop_in" in page.url and "cost" not in page.url
    assert_accessible(page)


def test_results_on_a_desktop_keep_the_filters_open_beside_them(
    live_server, directory, page, screenshot
):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/directory/?q=food&cost=free")

    # No empty left column: the filters show without opening anything.
    assert page.get_by_label("Free", exact=True).is_visible()
    assert page.get_by_label("Free", exact=True).is_checked()
    assert not page.get_by_text("Filter results (1 applied)").is_visible()
    filters = page.locator(".cc-filters").bounding_box()
    results = page.locator(".cc-results").bounding_box()
    assert filters["x"] < results["x"] and filters["height"] > 400
    assert_accessible(page)
    screenshot("directory-results-desktop")

    page.get_by_label("Drop in", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("link", name="How to access: Drop in")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_nothing_found_and_a_bad_filter_are_accessible(live_server, directory, page, viewport):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/directory/?q=zzzzqqq&cost=free")
    assert page.get_by_text("No services match your search").is_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/directory/?q=food&age=500")
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)


def test_toddler_and_a_misspelt_food_bank_find_services_on_a_phone(
    live_server, directory, page, phone_without_javascript, screenshot
):
    """On the demo's SQLite database: an officer's synonym and the spelling vocabulary."""
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    page.get_by_label("What are you looking for?").fill("toddler")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Little ones stay and play")).to_be_visible()
    assert page.locator("#spelling").inner_text() == "Including results for ‘stay and play’"
    assert in_first_screen(page, "#results-heading")
    assert_accessible(page)
    # Without JavaScript the menu stays unfolded; the count is still in the first screen.
    phone_without_javascript.goto(page.url)
    assert in_first_screen(phone_without_javascript, "#results-heading")

    page.get_by_label("What are you looking for?").fill("fod bank")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.locator("#results-heading").inner_text() == "3 results for ‘fod bank’"
    assert page.locator("#spelling").inner_text() == "Including results for ‘food bank’"
    assert page.get_by_role("link", name="Basildon food bank").is_visible()
    assert_accessible(page)
    screenshot("directory-spelling-phone")

    # A postcode typed as the keywords searches near it.
    page.get_by_label("What are you looking for?").fill("ss14 1dl")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "postcode=SS14+1DL" in page.url
    assert page.locator("#results-heading").inner_text().endswith("near SS14 1DL")
    assert page.get_by_label("Near a postcode").input_value() == "SS14 1DL"


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_browse_by_category_from_home_and_nearest_categories_when_nothing_is_found(
    live_server, directory, page, screenshot, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + "/")
    tile = page.locator(".cc-tiles__item", has_text="Money and debt")
    assert tile.inner_text().endswith("2 services")
    assert fits_the_screen(page)
    assert_accessible(page)
    screenshot(f"home-categories-{viewport['width']}")
    tile.get_by_role("link").click()
    assert page.locator("#results-heading").inner_text() == "2 results"
    assert page.get_by_role("link", name="Category: Money and debt").is_visible()

    # Words like no listing and no category (on PostgreSQL "mens shed" is spelt into words
    # like "Mental health", which is then the one category offered).
    page.goto(live_server.url + "/directory/?q=xyzzy+quux")
    assert page.get_by_text("No services match your search").is_visible()
    offered = page.locator("#nearest-categories + ul a").all_inner_texts()
    assert len(offered) == 3 and "Loneliness and social contact" in offered
    assert_accessible(page)
