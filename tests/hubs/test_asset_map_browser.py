"""A resident finds places by category on the community asset map, in real Chromium at a
phone's and a desktop's width, with axe-core (WCAG 2.2 AA)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser import DESKTOP, PHONE, assert_accessible, fits_the_screen
from tests.directory.test_map_browser import TILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tiles(page):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(body=TILE))
    return page


def listed_on_the_map(page):
    """The list's links to places the map can show (those without coordinates say so)."""
    return page.locator(".cc-asset-list li").evaluate_all(
        "items => items.filter(li => !li.textContent.includes('not on the map'))"
        ".map(li => li.querySelector('a').pathname)"
    )


def markers(page):
    page.locator("#asset-map.leaflet-container .leaflet-marker-icon").first.wait_for()
    return page.evaluate(
        "document.querySelector('[data-cc-map]').ccMap.cluster.getLayers()"
        ".map(marker => marker.serviceUrl)"
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_resident_picks_a_category_sees_its_places_on_the_map_and_opens_one(
    live_server, demo, tiles, screenshot, size
):
    cache.clear()
    page = tiles
    page.set_viewport_size(size)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="See hubs and places on the community asset map").click()
    expect(page.locator("h1")).to_have_text("Community asset map")
    everything = listed_on_the_map(page)
    assert len(everything) > 10
    if size is PHONE:  # the list comes first; the map when asked for
        assert not page.locator("#asset-map").is_visible()
        page.get_by_role("button", name="Show these places on a map").click()
    assert sorted(markers(page)) == sorted(everything)
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_label("Category").select_option(label="Food")
    page.get_by_label("Show community hubs").uncheck()
    page.get_by_role("button", name="Show places").click()
    assert page.locator("#assets-heading").inner_text().endswith("for Food")
    food = listed_on_the_map(page)
    assert 0 < len(food) < len(everything)
    if size is PHONE:
        page.get_by_role("button", name="Show these places on a map").click()
    # Exactly the listed places, as markers (clustered or not).
    assert sorted(markers(page)) == sorted(food)
    page.wait_for_timeout(300)  # the map settles
    assert fits_the_screen(page)
    assert_accessible(page)
    screenshot(f"asset-map-{size['width']}")

    # Open one: the marker's popup links to its service.
    page.evaluate(
        "() => { const {cluster} = document.querySelector('[data-cc-map]').ccMap;"
        " const marker = cluster.getLayers()[0];"
        " cluster.zoomToShowLayer(marker, () => marker.openPopup()); }"
    )
    link = page.locator("#asset-map .leaflet-popup-content a")
    name = link.inner_text()
    link.press("Enter")  # as on the search page's map (tests/directory/test_map_browser.py)
    expect(page.locator("h1")).to_have_text(name)


def test_without_javascript_the_asset_map_is_a_list_by_town(
    live_server, demo, phone_without_javascript
):
    cache.clear()
    page = phone_without_javascript
    page.goto(live_server.url + "/directory/map/?category=food&hubs=on")
    assert not page.locator("[data-cc-map]").is_visible()
    assert page.locator("h3").count() >= 2  # grouped by town
    link = page.locator(".cc-asset-list a").first
    name = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(name)
