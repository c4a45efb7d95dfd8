"""The map of search results and "use my location", in real Chromium with axe-core."""

import base64

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from demo import directory as demo
from directory.models import Service
from tests.browser import DESKTOP, PHONE, assert_accessible, fits_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1x1 PNG for every map tile: the tests never reach the tile server.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def directory(transactional_db):
    cache.clear()
    demo.seed(None)


@pytest.fixture
def tiles(page):
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(body=TILE))
    return page


def listed_services(page):
    """The services the results list links to, in order."""
    links = page.locator("ul[aria-labelledby=results-heading] .govuk-summary-card__title a")
    return links.evaluate_all("links => links.map(a => a.pathname)")


def map_services(page):
    """Every marker the map holds (clustered or not), as the service it opens."""
    page.locator("#results-map.leaflet-container .leaflet-marker-icon").first.wait_for()
    return page.evaluate(
        "document.querySelector('[data-cc-map]').ccMap.cluster.getLayers()"
        ".map(marker => marker.serviceUrl)"
    )


def located(paths):
    """Of these service pages, those whose service has a place on the map."""
    uuids = [path.rstrip("/").rsplit("/", 1)[-1] for path in paths]
    with_place = {
        str(uuid)
        for uuid in Service.objects.filter(
            uuid__in=uuids, locations__latitude__isnull=False
        ).values_list("uuid", flat=True)
    }
    return [path for path, uuid in zip(paths, uuids, strict=True) if uuid in with_place]


def test_map_markers_match_the_list_and_open_the_service(live_server, directory, tiles):
    page = tiles
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/directory/")
    listed = listed_services(page)
    assert len(listed) == 20
    # On a phone the list comes first: no map, and none of Leaflet's files, until asked for.
    assert page.evaluate("typeof window.L") == "undefined"
    assert not page.locator("#results-map").is_visible()
    page.get_by_role("button", name="Show these results on a map").click()
    page.locator("#results-map.leaflet-container .leaflet-marker-icon").first.wait_for()

    on_map = map_services(page)
    assert sorted(set(on_map)) == sorted(located(listed))
    # What a person sees: single markers plus the counts on cluster icons add up to them all.
    singles = page.locator("#results-map img.leaflet-marker-icon").count()
    clustered = sum(int(n) for n in page.locator("#results-map .cc-map-cluster").all_inner_texts())
    assert page.locator("#results-map .cc-map-cluster").count() >= 1  # demo places cluster
    assert singles + clustered == len(on_map)
    assert fits_the_screen(page)
    assert_accessible(page)

    # Another search's map shows that search's services.
    page.get_by_label("What are you looking for?").fill("food")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("button", name="Show these results on a map").click()
    food = listed_services(page)
    assert 0 < len(food) < 20
    assert sorted(set(map_services(page))) == sorted(located(food))

    # A cluster zooms in; a marker opens a popup linking to its service.
    page.locator("#results-map .cc-map-cluster").first.click()
    page.locator("#results-map img.leaflet-marker-icon").first.wait_for()
    page.wait_for_timeout(500)  # the zoom animation
    box = page.locator("#results-map").bounding_box()
    marker = next(
        m
        for m in page.locator("#results-map img.leaflet-marker-icon").all()
        if (b := m.bounding_box())
        and box["x"] < b["x"] < box["x"] + box["width"] - b["width"]
        and box["y"] + b["height"] < b["y"] + b["height"] < box["y"] + box["height"]
    )
    # By keyboard, as a marker is a button: Enter opens its popup.
    marker.focus()
    page.keyboard.press("Enter")
    popup_link = page.locator("#results-map .leaflet-popup-content a")
    name = popup_link.inner_text()
    # Followed with Enter too: a click aims where the link is while the map may still pan the
    # popup into view (on a loaded machine a click twice left the search page showing).
    popup_link.press("Enter")
    expect(page.locator("h1")).to_have_text(name)


def test_map_beside_the_list_on_a_wide_screen_is_accessible(live_server, directory, tiles):
    page = tiles
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/directory/?q=club")
    # Open at this width without being asked.
    page.locator("#results-map.leaflet-container .leaflet-marker-icon").first.wait_for()
    assert sorted(set(map_services(page))) == sorted(located(listed_services(page)))
    assert_accessible(page)
    page.get_by_role("button", name="Hide the map").click()
    assert not page.locator("#results-map").is_visible()


def test_use_my_location_searches_nearest_first(live_server, directory, browser):
    context = browser.new_context(
        geolocation={"latitude": 51.5703, "longitude": 0.4577},  # Basildon town centre
        permissions=["geolocation"],
        viewport=PHONE,
    )
    page = context.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.fulfill(body=TILE))
    page.goto(live_server.url + "/directory/?q=food")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_url("**lat=51.570**")
    assert "lng=0.458" in page.url
    assert "near your location" in page.locator("#results-heading").inner_text()
    assert page.get_by_text("miles away").first.is_visible()
    assert_accessible(page)
    # A postcode typed afterwards replaces the location.
    page.get_by_label("Near a postcode").fill("SS15 6AD")
    page.get_by_role("button", name="Search", exact=True).click()
    assert "lat=" not in page.url
    assert "near SS15 6AD" in page.locator("#results-heading").inner_text()
    context.close()
