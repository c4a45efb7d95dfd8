"""The map of search results and "use my location" (directory.map), without a browser."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import LocationFactory, PostcodeFactory, ServiceFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def place(latitude, longitude, **kwargs):
    return LocationFactory(latitude=Decimal(latitude), longitude=Decimal(longitude), **kwargs)


def result_names(response):
    return re.findall(r'itemprop="name">([^<]+)</span></a></h3>', response.content.decode())


def map_markers(response):
    found = re.search(
        r'<script id="results-map-markers" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    return None if found is None else json.loads(found.group(1))


def test_use_my_location_lists_the_nearest_first(client):
    far = ServiceFactory(name="Wickford lunch club", locations=[place("51.611", "0.521")])
    near = ServiceFactory(name="Basildon lunch club", locations=[place("51.571", "0.457")])
    response = client.get(SEARCH, {"q": "lunch", "lat": "51.570", "lng": "0.458"})

    assert response.status_code == 200
    assert result_names(response) == [near.name, far.name]
    page = response.content.decode()
    assert "2 results for ‘lunch’ near your location" in page
    assert "0.1 miles away" in page
    # The location stays in the form, so filters applied next keep it.
    assert '<input type="hidden" name="lat" value="51.57"' in page
    assert '<input type="hidden" name="lng" value="0.458"' in page


def test_use_my_location_within_a_distance_leaves_out_further_services(client):
    ServiceFactory(name="Wickford lunch club", locations=[place("51.611", "0.521")])
    ServiceFactory(name="Basildon lunch club", locations=[place("51.571", "0.457")])
    response = client.get(SEARCH, {"lat": "51.570", "lng": "0.458", "distance": "1"})
    assert result_names(response) == ["Basildon lunch club"]


def test_a_typed_postcode_wins_over_a_location(client):
    PostcodeFactory(postcode="SS12 9AA", latitude=Decimal("51.611"), longitude=Decimal("0.521"))
    ServiceFactory(name="Wickford lunch club", locations=[place("51.611", "0.521")])
    ServiceFactory(name="Basildon lunch club", locations=[place("51.571", "0.457")])
    response = client.get(SEARCH, {"postcode": "SS12 9AA", "lat": "51.570", "lng": "0.458"})
    assert result_names(response) == ["Wickford lunch club", "Basildon lunch club"]
    assert 'name="lat"' not in response.content.decode()


@pytest.mark.parametrize(
    ("lat", "lng", "message"),
    [
        ("north", "0.458", "the latitude must be a number from -90 to 90"),
        ("91", "0.458", "the latitude must be a number from -90 to 90"),
        ("51.57", "181", "the longitude must be a number from -180 to 180"),
        ("nan", "0.458", "the latitude must be a number from -90 to 90"),
        ("51.57", "-inf", "the longitude must be a number from -180 to 180"),
        ("1e999999999", "0", "the latitude must be a number from -90 to 90"),
        ("51." + "5" * 5000, "0", "the latitude must be a number from -90 to 90"),
        ("51.57", "", "it needs both a latitude and a longitude"),
        ("", "0.458", "it needs both a latitude and a longitude"),
    ],
)
def test_a_bad_location_gets_a_clear_message(client, lat, lng, message):
    ServiceFactory(locations=[place("51.571", "0.457")])
    response = client.get(SEARCH, {"lat": lat, "lng": lng})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert f"We could not use your location: {message}." in page
    assert 'href="#id_postcode"' in page  # the error summary points at the postcode box
    assert result_names(response) == []
    assert map_markers(response) is None


def test_a_nul_in_a_location_is_refused(client):
    assert client.get(SEARCH, {"lat": "51\x00", "lng": "0"}).status_code == 400


def test_the_map_holds_the_services_on_this_page_of_the_list(client):
    services = [
        ServiceFactory(name=f"Club {n:02}", locations=[place("51.57", f"0.{400 + n}")])
        for n in range(25)
    ]
    two_places = services[0]
    two_places.locations.add(place("51.60", "0.50", name="Second hall"))
    ServiceFactory(name="Club 99 with no place")  # listed, but nothing to put on a map

    first = client.get(SEARCH, {"q": "club"})
    names = result_names(first)
    assert len(names) == 20
    markers = map_markers(first)
    assert [m["name"] for m in markers].count("Club 00") == 2  # one marker per place
    assert {m["name"] for m in markers} == set(names) - {"Club 99 with no place"}
    assert {m["url"] for m in markers} == {
        s.get_absolute_url() for s in services if s.name in names
    }
    assert {"name", "url", "place", "lat", "lng"} == set(markers[0])

    second = client.get(SEARCH, {"q": "club", "page": "2"})
    assert {m["name"] for m in map_markers(second)} == set(result_names(second)) - {
        "Club 99 with no place"
    }


def test_no_map_without_results_to_show(client):
    ServiceFactory(name="Lunch club", locations=[place("51.571", "0.457")])
    response = client.get(SEARCH, {"q": "nothing like it"})
    assert map_markers(response) is None
    assert "data-cc-map" not in response.content.decode()


def test_the_map_needs_its_tiles_allowed_and_location_is_asked_only_by_this_site(client):
    response = client.get(SEARCH)
    policy = response["Content-Security-Policy"]
    img_src = next(part for part in policy.split(";") if part.strip().startswith("img-src"))
    assert "https://tile.openstreetmap.org" in img_src
    assert "'unsafe-inline'" not in policy
    assert "geolocation=(self)" in response["Permissions-Policy"]
