"""Summary cards, rendered once per service and reused by every page that shows it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Every request below works its search out; only the cards may come from the cache.
    settings.DIRECTORY_SEARCH_CACHE_SECONDS = 0


def where(html):
    """Each card's "Where" row, as text."""
    rows = re.findall(r"Where</dt><dd[^>]*>(.*?)</dd>", html)
    return [row.replace("<br>", " | ") for row in rows]


def card_data_queries(queries):
    """Queries that read what a card shows (places, times, organisations)."""
    tables = ('"directory_location"', '"directory_schedule"', '"partners_organisation"')
    return [q["sql"] for q in queries if any(f"FROM {t}" in q["sql"] for t in tables)]


def test_another_search_showing_the_same_service_reuses_its_card(client):
    ServiceFactory(
        name="Food bank",
        description="Parcels and advice",
        locations=[LocationFactory(name="Hall", address_1="1 Main Road")],
    )
    first = client.get(SEARCH, {"q": "food"}).content.decode()

    with CaptureQueriesContext(connection) as queries:
        second = client.get(SEARCH, {"q": "parcels"}).content.decode()

    assert card_data_queries(queries.captured_queries) == []
    assert where(second) == where(first) == ["Hall, 1 Main Road, SS14 1DL"]
    assert "Food bank" in second


def test_a_signed_in_visitor_gets_the_cached_cards_too(officer_client):
    ServiceFactory(name="Food bank", locations=[LocationFactory()])
    officer_client.get(SEARCH, {"q": "food"})

    with CaptureQueriesContext(connection) as queries:
        response = officer_client.get(SEARCH, {"q": "food"})

    assert "Food bank" in response.content.decode()
    assert card_data_queries(queries.captured_queries) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda service: _rename(service.locations.get(), "Library"), "Library"),
        (lambda service: _rename(service.organisation, "Good Neighbours"), "Good Neighbours"),
        (lambda service: ScheduleFactory(service=service, description="Term time"), "Term time"),
        (lambda service: _rename(service, "Food bank and larder"), "Food bank and larder"),
    ],
    ids=["place", "organisation", "times", "service"],
)
def test_saving_what_a_card_shows_changes_it_on_the_next_page(client, change, expected):
    service = ServiceFactory(name="Food bank", locations=[LocationFactory(name="Hall")])
    assert expected not in client.get(SEARCH, {"q": "food"}).content.decode()

    change(service)

    assert expected in client.get(SEARCH, {"q": "food"}).content.decode()


def _rename(obj, name):
    obj.name = name
    obj.save()


def test_the_card_cache_can_be_turned_off(client, settings):
    settings.DIRECTORY_CARD_CACHE_SECONDS = 0
    ServiceFactory(name="Food bank", locations=[LocationFactory()])
    client.get(SEARCH, {"q": "food"})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"q": "food"})

    assert "Food bank" in response.content.decode()
    assert card_data_queries(queries.captured_queries) != []


def test_a_cached_card_lists_places_nearest_the_postcode_searched(client):
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


def test_the_organisation_page_and_the_search_share_cards(client):
    org = OrganisationFactory(name="Good Neighbours", slug="good-neighbours")
    ServiceFactory(organisation=org, name="Befriending", locations=[LocationFactory()])
    client.get(SEARCH, {"q": "befriending"})

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("directory:organisation", args=[org.slug]))

    assert "Befriending" in page.content.decode()
    assert not any('FROM "directory_schedule"' in q["sql"] for q in queries.captured_queries)
