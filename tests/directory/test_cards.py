"""Summary cards in search results and on organisation pages."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    LocationFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Every request below works its search out.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def where(html):
    """Each card's "Where" row, as text."""
    rows = re.findall(r"Where</dt><dd[^>]*>(.*?)</dd>", html)
    return [row.replace("<br>", " | ") for row in rows]


CHANGES = [
    (lambda service: _rename(service.locations.get(), "Library"), "Library"),
    (lambda service: _rename(service.organisation, "Good Neighbours"), "Good Neighbours"),
    (lambda service: ScheduleFactory(service=service, description="Term time"), "Term time"),
    (lambda service: _rename(service, "Food bank and larder"), "Food bank and larder"),
]
CHANGE_IDS = ["place", "organisation", "times", "service"]


@pytest.mark.parametrize("change, expected", CHANGES, ids=CHANGE_IDS)
def test_saving_what_a_card_shows_changes_the_cached_search_page_at_once(
    client, settings, change, expected
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60  # the page as deployed, cached
    service = ServiceFactory(name="Food bank", locations=[LocationFactory(name="Hall")])
    assert expected not in client.get(SEARCH, {"q": "food"}).content.decode()

    change(service)

    assert expected in client.get(SEARCH, {"q": "food"}).content.decode()


@pytest.mark.parametrize("change, expected", CHANGES, ids=CHANGE_IDS)
def test_a_visitor_the_page_cache_skips_sees_a_change_on_their_next_search(
    client, change, expected
):
    client.cookies["shortlist"] = "x"  # cards come from the card cache, not the page cache
    service = ServiceFactory(name="Food bank", locations=[LocationFactory(name="Hall")])
    assert expected not in client.get(SEARCH, {"q": "food"}).content.decode()

    change(service)

    assert expected in client.get(SEARCH, {"q": "food"}).content.decode()


def _rename(obj, name):
    obj.name = name
    obj.save()


def test_a_search_without_a_postcode_reuses_cached_cards(client):
    ServiceFactory(name="Food bank", description="Parcels", locations=[LocationFactory()])
    client.get(SEARCH, {"q": "food"})

    with CaptureQueriesContext(connection) as queries:
        html = client.get(SEARCH, {"q": "parcels"}).content.decode()

    assert "Food bank" in html
    assert not any('FROM "directory_schedule"' in q["sql"] for q in queries.captured_queries)


def test_a_search_near_another_postcode_reuses_cached_cards_with_its_own_distances(client):
    PostcodeFactory(postcode="SS14 1DL", latitude=Decimal("51.57287"), longitude=Decimal("0.45702"))
    PostcodeFactory(postcode="CM12 9AA", latitude=Decimal("51.63000"), longitude=Decimal("0.42000"))
    ServiceFactory(name="Food bank", locations=[LocationFactory(latitude=Decimal("51.57287"))])
    near = client.get(SEARCH, {"q": "food", "postcode": "SS14 1DL"}).content.decode()

    with CaptureQueriesContext(connection) as queries:
        further = client.get(SEARCH, {"q": "food", "postcode": "CM12 9AA"}).content.decode()

    assert not any('FROM "directory_schedule"' in q["sql"] for q in queries.captured_queries)
    assert "Under 0.1 miles away" in near
    assert "Under 0.1 miles away" not in further and "4.3 miles away" in further


def test_a_card_lists_places_nearest_the_postcode_searched(client):
    PostcodeFactory(postcode="SS14 1DL", latitude=Decimal("51.57287"), longitude=Decimal("0.45702"))
    PostcodeFactory(postcode="CM12 9AA", latitude=Decimal("51.63000"), longitude=Decimal("0.42000"))
    basildon = LocationFactory(name="Basildon hall", address_1="", latitude=Decimal("51.57287"))
    billericay = LocationFactory(
        name="Billericay hall",
        address_1="",
        postcode="CM12 9AA",
        latitude=Decimal("51.63000"),
        longitude=Decimal("0.42000"),
    )
    ServiceFactory(name="Lunch club", locations=[billericay, basildon])

    near_basildon = client.get(SEARCH, {"postcode": "SS14 1DL"}).content.decode()
    near_billericay = client.get(SEARCH, {"postcode": "CM12 9AA"}).content.decode()
    anywhere = client.get(SEARCH).content.decode()

    assert where(near_basildon) == ["Basildon hall, SS14 1DL | Billericay hall, CM12 9AA"]
    assert where(near_billericay) == ["Billericay hall, CM12 9AA | Basildon hall, SS14 1DL"]
    assert "Under 0.1 miles away" in near_basildon and "Under 0.1 miles away" in near_billericay
    assert "miles away" not in anywhere
    assert where(anywhere) == [where(near_basildon)[0]]  # listing order: by place name


def test_a_card_escapes_what_listings_say_and_keeps_its_rows_in_place(client):
    place = LocationFactory(name='<script>alert("x")</script>', address_1="<!--places-->")
    ServiceFactory(
        name="Food <b>bank</b>", description="Ask at <!--places--> the desk", locations=[place]
    )

    html = client.get(SEARCH, {"q": "food"}).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Food &lt;b&gt;bank&lt;/b&gt;" in html
    assert "Ask at &lt;!--places--&gt; the desk" in html
    assert "<!--places-->" not in html
    assert html.count("Where</dt>") == 1


def test_more_than_two_places_are_summed_up(client):
    places = [LocationFactory(name=f"Hall {n}", address_1="") for n in range(4)]
    ServiceFactory(name="Walking group", locations=places)

    html = client.get(SEARCH, {"q": "walking"}).content.decode()

    assert where(html) == ["Hall 0, SS14 1DL | Hall 1, SS14 1DL | and 2 more"]


def test_the_card_cache_can_be_turned_off(client, settings):
    settings.DIRECTORY_CARD_CACHE_SECONDS = 0
    ServiceFactory(name="Food bank", locations=[LocationFactory()])
    client.get(SEARCH, {"q": "food"})

    with CaptureQueriesContext(connection) as queries:
        html = client.get(SEARCH, {"q": "food"}).content.decode()

    assert "Food bank" in html
    assert any('FROM "directory_schedule"' in q["sql"] for q in queries.captured_queries)
