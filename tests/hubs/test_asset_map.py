"""The public community asset map: hubs and services' places by category, listed by town."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Service
from hubs import asset_map
from tests.factories import (
    AreaFactory,
    HubFactory,
    LocationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
URL = "/directory/map/"


@pytest.fixture
def places():
    cache.clear()
    laindon = AreaFactory(name="Laindon", slug="laindon")
    wickford = AreaFactory(name="Wickford", slug="wickford")
    ward = AreaFactory(name="Wickford North", slug="wickford-north", kind="ward", parent=wickford)
    food = TaxonomyTermFactory(name="Food", slug="food")
    banks = TaxonomyTermFactory(name="Food banks", slug="food-banks", parent=food)
    money = TaxonomyTermFactory(name="Money", slug="money")
    hall = LocationFactory(name="Laindon Hall", area=laindon)
    church = LocationFactory(name="St Mary's", area=ward)
    nowhere = LocationFactory(name="Somewhere", area=None, latitude=None, longitude=None)
    return {
        "pantry": ServiceFactory(name="Pantry", categories=[food], locations=[hall, church]),
        "bank": ServiceFactory(name="Food bank", categories=[banks], locations=[nowhere]),
        "debt": ServiceFactory(name="Debt advice", categories=[money], locations=[hall]),
        "draft": ServiceFactory(
            name="Draft", publication=Service.Publication.DRAFT, categories=[food], locations=[hall]
        ),
        "hub": HubFactory(name="Laindon Hub", location=hall, area=laindon),
        "closed": HubFactory(name="Old Hub", status="closed", location=hall, area=laindon),
    }


def markers(response):
    found = re.search(r'id="asset-map-markers"[^>]*>(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))


def test_anyone_sees_every_public_hub_and_place_by_town_with_a_marker_for_each(client, places):
    response = client.get(URL)
    assert response.status_code == 200
    groups = dict(response.context["assets"].groups)
    # A ward's places come under its town; a place without an area under "Other places".
    assert list(groups) == ["Laindon", "Wickford", "Other places"]
    assert [e["name"] for e in groups["Laindon"]] == ["Laindon Hub", "Debt advice", "Pantry"]
    assert [e["name"] for e in groups["Wickford"]] == ["Pantry"]
    assert "Draft" not in response.content.decode() and "Old Hub" not in response.content.decode()
    # The map holds the listed entries that have coordinates, no more and no fewer.
    assert sorted(m["name"] for m in markers(response)) == [
        "Debt advice",
        "Laindon Hub",
        "Pantry",
        "Pantry",
    ]
    assert places["hub"].get_absolute_url() in [m["url"] for m in markers(response)]
    assert "not on the map" in response.content.decode()  # the food bank has no coordinates


def test_a_category_shows_its_places_and_its_sub_categories_and_hubs_can_be_hidden(client, places):
    response = client.get(URL, {"category": "food", "hubs": "on"})
    names = [e["name"] for _, group in response.context["assets"].groups for e in group]
    assert sorted(names) == ["Food bank", "Laindon Hub", "Pantry", "Pantry"]
    assert response.context["category"].slug == "food"

    response = client.get(URL, {"category": "money"})  # the checkbox left unticked
    names = [e["name"] for _, group in response.context["assets"].groups for e in group]
    assert names == ["Debt advice"]
    assert [m["url"] for m in markers(response)] == [places["debt"].get_absolute_url()]


def test_a_town_shows_its_places_and_its_wards_places(client, places):
    response = client.get(URL, {"town": "wickford", "category": "food", "hubs": "on"})
    assert response.status_code == 200
    groups = response.context["assets"].groups
    assert [(area, [e["name"] for e in entries]) for area, entries in groups] == [
        ("Wickford", ["Pantry"])  # at St Mary's, in the ward Wickford North
    ]
    response = client.get(URL, {"town": "laindon", "hubs": "on"})
    names = [e["name"] for _, group in response.context["assets"].groups for e in group]
    assert names == ["Laindon Hub", "Debt advice", "Pantry"]
    assert "in Laindon" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"category": "no-such-thing"},
        {"category": ["food", "x" * 5000]},
        {"town": "atlantis"},
        {"hubs": "yes please"},
    ],
)
def test_bad_parameters_give_a_clear_message_or_plain_results_never_an_error(client, places, query):
    response = client.get(URL, query)
    assert response.status_code == 200
    if "category" in query or "town" in query:
        assert response.context["form"].errors
        assert "from the list" in response.content.decode()
        assert (
            response.context["view"].template_name and "<title>Error:" in response.content.decode()
        )
        assert response.context["assets"].groups == []
        assert "asset-map-markers" not in response.content.decode()


def test_a_null_byte_is_a_bad_request_not_a_server_error(client, places):
    assert client.get(URL, {"category": "food\x00"}).status_code == 400


def test_past_the_limit_the_visitor_is_asked_to_choose_a_category(client, places, monkeypatch):
    monkeypatch.setattr(asset_map, "LIMIT", 3)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["assets"].too_many
    assert "Choose a category or a town above" in response.content.decode()
    assert "asset-map-markers" not in response.content.decode()
    response = client.get(URL, {"category": "money"})
    assert not response.context["assets"].too_many


def test_the_map_page_costs_two_queries_however_many_places(client, places):
    client.get(URL)  # the categories are now cached with the search filters
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"category": "food", "hubs": "on"})
    for _ in range(20):
        ServiceFactory(
            categories=[places["pantry"].categories.first()],
            locations=[LocationFactory(area=AreaFactory())],
        )
        HubFactory()
    client.get(URL)  # the directory changed: its cached categories are read again once
    with CaptureQueriesContext(connection) as many:
        client.get(URL, {"category": "food", "hubs": "on"})
    # Services' places and hubs; nothing per place, per hub or per category.
    assert len(few) == len(many) == 2, [q["sql"][:60] for q in many.captured_queries]


def test_the_home_page_and_the_directory_link_to_the_asset_map(client, places):
    assert URL in client.get("/").content.decode()
    assert URL in client.get("/directory/").content.decode()
