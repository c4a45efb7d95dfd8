"""What the API lists: only what is published, the filters, and queries that do not grow
with the data.
"""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Postcode, Service
from directory.oruk import ids
from directory.search import TYPO_THRESHOLD
from tests.directory.oruk.api import API, MAX_QUERIES, get, names
from tests.directory.oruk_schema import ERROR, assert_valid
from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from tests.searching import search_services

pytestmark = pytest.mark.django_db


def test_only_published_services_appear(client):
    place = LocationFactory(name="Hall")
    ServiceFactory(name="Open", locations=[place])
    ServiceFactory(name="Closed for now", status=Service.Status.TEMPORARILY_CLOSED)
    ServiceFactory(name="Draft", publication=Service.Publication.DRAFT, locations=[place])
    ServiceFactory(name="Inactive", status=Service.Status.INACTIVE)
    ServiceFactory(name="Defunct", status=Service.Status.DEFUNCT)

    body = get(client, "/services")

    assert names(body) == ["Closed for now", "Open"]
    assert body["contents"][0]["status"] == "temporarily closed"
    links = get(client, "/service_at_locations")["contents"]
    assert [link["service"]["name"] for link in links] == ["Open"]


@pytest.mark.parametrize(
    "change",
    [
        {"publication": Service.Publication.DRAFT},
        {"status": Service.Status.INACTIVE},
        {"status": Service.Status.DEFUNCT},
    ],
)
def test_unpublished_service_and_its_links_are_404(client, change):
    place = LocationFactory()
    service = ServiceFactory(locations=[place], **change)
    link_id = ids.service_at_location_id(service.pk, place.pk)

    for path in [f"/services/{service.uuid}", f"/service_at_locations/{link_id}"]:
        response = client.get(API + path)
        assert response.status_code == 404
        assert_valid(response.json(), ERROR)


def test_organisations_and_places_without_published_services_are_hidden(client):
    shown, hidden = OrganisationFactory(name="Shown"), OrganisationFactory(name="Hidden")
    used, unused = LocationFactory(name="Used"), LocationFactory(name="Only drafts")
    ServiceFactory(organisation=shown, locations=[used])
    ServiceFactory(organisation=hidden, locations=[unused], publication=Service.Publication.DRAFT)
    OrganisationFactory(name="No services")

    assert names(get(client, "/organizations")) == ["Shown"]
    assert client.get(f"{API}/organizations/{hidden.uuid}").status_code == 404
    assert names(get(client, "/locations")) == ["Used"]
    assert client.get(f"{API}/locations/{unused.uuid}").status_code == 404


def test_search_ranks_as_the_public_site_does(client):
    ServiceFactory(name="Community lunch", description="A hot meal, with food for all")
    ServiceFactory(name="Food bank", keywords="parcels")
    ServiceFactory(name="Food share")
    ServiceFactory(name="Youth club")
    expected = [s.name for s in search_services(q="food")]

    body = get(client, "/services", search="food")

    assert names(body) == expected
    assert "Youth club" not in names(body) and len(expected) >= 2
    assert names(get(client, "/services", text="food")) == expected  # ORUK v1 name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL spelling")
def test_a_misspelt_search_finds_what_the_public_site_finds(client):
    ServiceFactory(name="Pitsea pantry", description="Emergency food parcels")
    ServiceFactory(name="Youth club")

    assert names(get(client, "/services", text="fod parcels")) == ["Pitsea pantry"]


@pytest.mark.parametrize("full", ["false", "true"])
def test_search_pages_follow_the_ranking_to_the_end(client, full):
    for n in range(4):
        ServiceFactory(name=f"Food bank {n}")
        ServiceFactory(name=f"Lunch club {n}", description="Hot food on Fridays")
    ServiceFactory(name="Youth club")
    expected = [s.name for s in search_services(q="food")]

    pages = [
        get(client, "/services", search="food", per_page="3", page=str(n), full=full)
        for n in (1, 2, 3, 4)
    ]

    assert [name for body in pages for name in names(body)] == expected
    assert [body["total_items"] for body in pages] == [8] * 4
    assert [body["size"] for body in pages] == [3, 3, 2, 0]
    assert pages[2]["last_page"] and pages[3]["empty"]
    if full == "true":
        assert pages[0]["contents"][0]["organization"]["name"]


def test_taxonomy_term_filter_includes_sub_terms(client):
    food = TaxonomyTermFactory(name="Food")
    banks = TaxonomyTermFactory(name="Food banks", parent=food)
    ServiceFactory(name="Bank", categories=[banks])
    ServiceFactory(name="Share", categories=[food])
    ServiceFactory(name="Club", categories=[TaxonomyTermFactory(name="Youth")])

    assert names(get(client, "/services", taxonomy_term_id=str(food.uuid))) == ["Bank", "Share"]
    assert names(get(client, "/services", taxonomy_term_id=str(banks.uuid))) == ["Bank"]
    assert names(get(client, "/services", taxonomy_term_id=str(uuid.uuid4()))) == []


def test_taxonomy_filter(client):
    ours = TaxonomyTermFactory(name="Food")
    theirs = TaxonomyTermFactory(name="LGA food", taxonomy="LGA service types")
    ServiceFactory(name="Ours", categories=[ours])
    ServiceFactory(name="Theirs", categories=[theirs])

    found = get(client, "/services", taxonomy_id=ids.taxonomy_id("LGA service types"))

    assert names(found) == ["Theirs"]
    assert [t["name"] for t in get(client, "/taxonomies")["contents"]] == [
        "Connected Communities categories",
        "LGA service types",
    ]


def test_organization_filter(client):
    org = OrganisationFactory()
    ServiceFactory(name="Mine", organisation=org)
    ServiceFactory(name="Other")

    assert names(get(client, "/services", organization_id=str(org.uuid))) == ["Mine"]


@pytest.mark.parametrize(
    ("modified_after", "expected"),
    [
        ("2025-06-01", ["New"]),
        ("2025-06-01T00:00:00Z", ["New"]),
        ("2025-05-31T23:00:00+00:00", ["New"]),
        ("2024-01-01T00:00:00.000Z", ["New", "Old"]),
        ("2030-01-01", []),
    ],
)
def test_modified_after_filter(client, modified_after, expected):
    old, new = ServiceFactory(name="Old"), ServiceFactory(name="New")
    at = timezone.make_aware
    Service.objects.filter(pk=old.pk).update(last_modified=at(datetime.datetime(2025, 1, 1)))
    Service.objects.filter(pk=new.pk).update(last_modified=at(datetime.datetime(2025, 7, 1)))

    assert names(get(client, "/services", modified_after=modified_after)) == expected


def test_filters_combine_as_and(client):
    food, org = TaxonomyTermFactory(name="Food"), OrganisationFactory()
    ServiceFactory(name="Food bank", organisation=org, categories=[food])
    ServiceFactory(name="Food share", categories=[food])
    ServiceFactory(name="Food club", organisation=org)

    body = get(
        client,
        "/services",
        search="food",
        taxonomy_term_id=str(food.uuid),
        organization_id=str(org.uuid),
    )

    assert names(body) == ["Food bank"]


def test_services_near_a_postcode_nearest_first_within_the_distance(client):
    PostcodeFactory(postcode="SS14 1DL", latitude=Decimal("51.5700"), longitude=Decimal("0.4500"))
    near = LocationFactory(name="Near", latitude=Decimal("51.5710"), longitude=Decimal("0.4500"))
    mid = LocationFactory(name="Mid", latitude=Decimal("51.5800"), longitude=Decimal("0.4500"))
    far = LocationFactory(name="Far", latitude=Decimal("51.7000"), longitude=Decimal("0.4500"))
    unmapped = LocationFactory(name="Unmapped", latitude=None, longitude=None)
    ServiceFactory(name="A", locations=[far, near])
    ServiceFactory(name="B", locations=[mid, unmapped])

    def places(**params):
        body = get(client, "/service_at_locations", **params)
        return [(i["service"]["name"], i["location"]["name"]) for i in body["contents"]]

    # 0.001 degrees of latitude is about 111 m; 0.01 about 1.1 km.
    assert places(postcode="ss141dl", proximity="500") == [("A", "Near")]
    assert places(postcode="SS14 1DL", proximity="2000") == [("A", "Near"), ("B", "Mid")]
    assert places(postcode="SS14 1DL") == [
        ("A", "Near"),
        ("B", "Mid"),
        ("A", "Far"),
        ("B", "Unmapped"),
    ]
    # Without a postcode: in the order services and places were added.
    assert places() == [("A", "Near"), ("A", "Far"), ("B", "Mid"), ("B", "Unmapped")]


def test_service_at_location_filters_apply_to_the_service(client):
    food = TaxonomyTermFactory(name="Food")
    ServiceFactory(name="Bank", categories=[food], locations=[LocationFactory()])
    ServiceFactory(name="Club", locations=[LocationFactory()])

    body = get(client, "/service_at_locations", taxonomy_term_id=str(food.uuid))

    assert [i["service"]["name"] for i in body["contents"]] == ["Bank"]


def test_taxonomy_term_filters(client):
    food = TaxonomyTermFactory(name="Food")
    TaxonomyTermFactory(name="Food banks", parent=food)
    TaxonomyTermFactory(name="Youth")
    TaxonomyTermFactory(name="LGA", taxonomy="LGA service types")

    assert names(get(client, "/taxonomy_terms")) == ["Food", "Food banks", "LGA", "Youth"]
    assert names(get(client, "/taxonomy_terms", top_only="true")) == ["Food", "LGA", "Youth"]
    assert names(get(client, "/taxonomy_terms", parent_id=str(food.uuid))) == ["Food banks"]
    assert names(get(client, "/taxonomy_terms", search="food")) == ["Food", "Food banks"]
    lga = ids.taxonomy_id("LGA service types")
    assert names(get(client, "/taxonomy_terms", taxonomy_id=lga)) == ["LGA"]
    detail = get(client, f"/taxonomies/{lga}")
    assert [t["name"] for t in detail["taxonomy_terms"]] == ["LGA"]


def test_organisation_search(client):
    ServiceFactory(organisation=OrganisationFactory(name="Basildon Foodbank"))
    ServiceFactory(organisation=OrganisationFactory(name="Youth Trust"))

    assert names(get(client, "/organizations", search="food")) == ["Basildon Foodbank"]


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API + path)
    assert response.status_code == 200, response.content
    return len(queries)


def _make_services(count, food, hall, start):
    for n in range(start, start + count):
        service = ServiceFactory(
            name=f"Food service {n:03}",
            categories=[food],
            locations=[hall, LocationFactory()],
            phone="01268 000000",
            contact_name="Ann",
        )
        ScheduleFactory(service=service, location=hall)
        ScheduleFactory(service=service, weekday=5)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/services",
        "/services?full=true&per_page=30",
        "/services?search=food&taxonomy_term_id={food}&per_page=30",
        "/services?taxonomy_id={taxonomy}&modified_after=2020-01-01&organization_id={org}",
        "/services/{service}",
        "/service_at_locations?per_page=100",
        "/service_at_locations?postcode=SS14%201DL&proximity=10000&per_page=100",
        "/service_at_locations/{link}",
        "/organizations?per_page=100",
        "/organizations/{org}",
        "/taxonomies",
        "/taxonomies/{taxonomy}",
        "/taxonomy_terms?per_page=100",
        "/taxonomy_terms/{food}",
        "/locations?per_page=100",
        "/locations/{hall}",
    ],
)
def test_queries_per_request_are_constant(client, path, django_assert_max_num_queries):
    PostcodeFactory(postcode="SS14 1DL")
    Postcode.objects.coordinates("SS14 1DL")  # a postcode's place is cached once looked up
    food = TaxonomyTermFactory(name="Food", parent=TaxonomyTermFactory(name="All"))
    hall = LocationFactory(name="Hall")
    # Enough that the keyword search is settled by its first statement (search_page); a
    # search that finds fewer services has its own test below.
    _make_services(TYPO_THRESHOLD, food, hall, 0)
    service = Service.objects.first()
    url = path.format(
        food=food.uuid,
        taxonomy=ids.taxonomy_id(food.taxonomy),
        org=service.organisation.uuid,
        service=service.uuid,
        link=ids.service_at_location_id(service.pk, hall.pk),
        hall=hall.uuid,
    )

    with django_assert_max_num_queries(MAX_QUERIES):
        few = _count_queries(client, url)
    _make_services(27, food, hall, TYPO_THRESHOLD)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = _count_queries(client, url)

    assert few == many


def test_a_search_that_finds_few_services_runs_the_same_queries_however_many_there_are(
    client, django_assert_max_num_queries
):
    # Fewer than TYPO_THRESHOLD matches: the spelling check and the wider search join in
    # (PostgreSQL), and their number stays the same as the directory grows.
    food = TaxonomyTermFactory(name="Food")
    hall = LocationFactory(name="Hall")
    _make_services(3, food, hall, 0)
    with django_assert_max_num_queries(MAX_QUERIES):
        few = _count_queries(client, "/services?search=service+001")
    _make_services(27, food, hall, 3)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = _count_queries(client, "/services?search=service+001")

    assert few == many
    # The service with both words comes first (PostgreSQL adds similar names after it).
    assert get(client, "/services", search="service 001")["contents"][0]["name"] == (
        "Food service 001"
    )
