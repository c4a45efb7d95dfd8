"""The Open Referral UK API: envelope, filters, what is public, bad input, headers, queries."""

import datetime
import json
import uuid
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.models import Postcode, Service
from directory.oruk import ids
from directory.search import TYPO_THRESHOLD
from tests.directory.oruk_schema import ERROR, assert_valid, response_schema
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
API = "/api/oruk"
MAX_QUERIES = 8


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    return response.json()


def names(body):
    return [item["name"] for item in body["contents"]]


def no_nulls(value):
    if isinstance(value, dict):
        return all(v is not None and no_nulls(v) for v in value.values())
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return value is not None


# --- root and OpenAPI ----------------------------------------------------------------------


def test_root_names_the_version_profile_and_our_openapi_document(client):
    body = get(client, "/")

    assert body["version"] == "HSDS-UK-3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"] == "http://testserver/api/oruk/openapi.json"


def test_openapi_document_is_the_official_one_with_our_server_and_extension(client):
    official = json.loads((oruk_schema_dir() / "openapi.json").read_text(encoding="utf-8"))

    document = get(client, "/openapi.json")

    assert document["servers"] == [
        {"url": "http://testserver/api/oruk", "description": "Connected Communities"}
    ]
    for path, operations in official["paths"].items():
        assert document["paths"][path] == operations
    extra = set(document["paths"]) - set(official["paths"])
    assert extra == {"/locations", "/locations/{id}"}
    assert document["paths"]["/locations"]["get"]["tags"] == ["extension"]


def oruk_schema_dir():
    from tests.directory.oruk_schema import SCHEMA_DIR

    return SCHEMA_DIR


# --- headers, methods, rate limit ----------------------------------------------------------


def test_responses_allow_any_origin_and_short_caching(client):
    response = client.get(API + "/services")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_errors_allow_any_origin_and_are_not_cached(client):
    response = client.get(API + "/services?page=0")

    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"


def test_paths_work_with_or_without_a_trailing_slash(client):
    assert client.get(API + "/services").status_code == 200
    assert client.get(API + "/services/").status_code == 200


def test_writes_are_refused_with_a_json_405(client):
    response = client.post(API + "/services", {"name": "x"})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert_valid(response.json(), ERROR)
    assert Service.objects.count() == 0


def test_cors_preflight_is_answered(client):
    response = client.options(API + "/services")

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"


def test_too_many_requests_get_a_json_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/m"}

    statuses = [client.get(API + "/services").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get(API + "/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert_valid(response.json(), ERROR)


# --- pagination ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # total_items, total_pages, page_number, size, first_page, last_page, empty
        ({}, (45, 3, 1, 20, True, False, False)),
        ({"page": "2"}, (45, 3, 2, 20, False, False, False)),
        ({"page": "3"}, (45, 3, 3, 5, False, True, False)),
        ({"page": "4"}, (45, 3, 4, 0, False, True, True)),  # past the end: an empty page
        ({"per_page": "100"}, (45, 1, 1, 45, True, True, False)),
        ({"per_page": "1", "page": "45"}, (45, 45, 45, 1, False, True, False)),
        ({"per_page": "9"}, (45, 5, 1, 9, True, False, False)),
    ],
)
def test_envelope_maths(client, params, expected):
    ServiceFactory.create_batch(45)

    body = get(client, "/services", **params)

    keys = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page"]
    assert tuple(body[k] for k in keys) + (body["empty"],) == expected
    assert len(body["contents"]) == body["size"]


def test_an_empty_result_has_no_pages(client):
    body = get(client, "/services")

    assert body == {
        "total_items": 0,
        "total_pages": 0,
        "page_number": 1,
        "size": 0,
        "first_page": True,
        "last_page": True,
        "empty": True,
        "contents": [],
    }


def test_pages_cover_every_service_once(client):
    ServiceFactory.create_batch(25)

    seen = [i["id"] for p in (1, 2, 3) for i in get(client, "/services", page=p)["contents"]]

    assert len(seen) == len(set(seen)) == 25


# --- only what is published ----------------------------------------------------------------


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


# --- what a full service says --------------------------------------------------------------


def test_full_service_has_organisation_places_times_contacts_costs_and_categories(client):
    org = OrganisationFactory(
        name="Trust", charity_number="1234567", company_number="01234567", email="a@b.org"
    )
    parent = TaxonomyTermFactory(name="Food")
    child = TaxonomyTermFactory(name="Food banks", parent=parent, description="Parcels")
    hall = LocationFactory(name="Hall", address_2="Unit 2", accessibility="Step-free")
    nowhere = LocationFactory(name="No map", latitude=None, longitude=None)
    service = ServiceFactory(
        organisation=org,
        name="Pantry",
        categories=[child],
        locations=[hall, nowhere],
        contact_name="Ann Persona",
        phone="01268 000000",
        cost=Service.Cost.PAID,
        fees_description="£3.50 a week",
        minimum_age=18,
    )
    ScheduleFactory(service=service, location=hall, weekday=2)
    ScheduleFactory(
        service=service, weekday=None, opens_at=None, closes_at=None, description="Holidays"
    )

    body = get(client, f"/services/{service.uuid}")

    assert_valid(body, response_schema("/services/{id}"))
    assert no_nulls(body)
    assert body["organization"]["organization_identifiers"] == [
        {
            "id": body["organization"]["organization_identifiers"][0]["id"],
            "organization_id": str(org.uuid),
            "identifier_scheme": "GB-CHC",
            "identifier_type": "Charity Commission for England and Wales number",
            "identifier": "1234567",
        },
        {
            "id": body["organization"]["organization_identifiers"][1]["id"],
            "organization_id": str(org.uuid),
            "identifier_scheme": "GB-COH",
            "identifier_type": "Companies House number",
            "identifier": "01234567",
        },
    ]
    hall_link, map_link = body["service_at_locations"]
    assert hall_link["location"]["addresses"][0]["address_1"].endswith(", Unit 2")
    assert hall_link["location"]["addresses"][0]["country"] == "GB"
    assert hall_link["location"]["accessibility"][0]["description"] == "Step-free"
    assert "latitude" not in map_link["location"]
    weekly, holidays = sorted(body["schedules"], key=lambda s: "freq" not in s)
    assert weekly["freq"] == "WEEKLY" and weekly["byday"] == "TU"
    assert weekly["opens_at"] == "10:00" and weekly["closes_at"] == "12:00"
    assert weekly["service_at_location_id"] == hall_link["id"]
    assert holidays["description"] == "Holidays" and "freq" not in holidays
    assert body["contacts"] == [
        {"id": body["contacts"][0]["id"], "service_id": str(service.uuid), "name": "Ann Persona"}
    ]
    assert body["phones"][0]["number"] == "01268 000000"
    assert body["phones"][0]["contact_id"] == body["contacts"][0]["id"]
    assert body["cost_options"][0]["amount_description"] == "£3.50 a week"
    assert "amount" not in body["cost_options"][0]
    (attribute,) = body["attributes"]
    assert attribute["taxonomy_term_id"] == str(child.uuid)
    assert attribute["taxonomy_term"]["parent_id"] == str(parent.uuid)
    assert body["minimum_age"] == 18


def test_ids_are_stable_between_requests(client):
    service = ServiceFactory(locations=[LocationFactory(accessibility="Ramp")], phone="1")

    assert get(client, f"/services/{service.uuid}") == get(client, f"/services/{service.uuid}")


def test_last_modified_is_utc_with_milliseconds_and_follows_the_organisation(client):
    service = ServiceFactory()
    old = timezone.make_aware(datetime.datetime(2025, 1, 2, 3, 4, 5, 678000))
    Service.objects.filter(pk=service.pk).update(modified=old)
    type(service.organisation).objects.filter(pk=service.organisation_id).update(modified=old)

    assert get(client, "/services")["contents"][0]["last_modified"] == "2025-01-02T03:04:05.678Z"

    newer = old + datetime.timedelta(days=1)
    type(service.organisation).objects.filter(pk=service.organisation_id).update(modified=newer)
    assert get(client, "/services")["contents"][0]["last_modified"] == "2025-01-03T03:04:05.678Z"


def test_service_at_location_ids_round_trip():
    for service_pk, location_pk in [(1, 1), (12345, 678), (2**56 - 1, 2**56 - 1)]:
        value = uuid.UUID(ids.service_at_location_id(service_pk, location_pk))
        assert value.version == 8
        assert ids.parse_service_at_location_id(value) == (service_pk, location_pk)
    assert ids.parse_service_at_location_id(uuid.uuid4()) is None


# --- filters -------------------------------------------------------------------------------


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
    Service.objects.filter(pk=old.pk).update(modified=at(datetime.datetime(2025, 1, 1)))
    Service.objects.filter(pk=new.pk).update(modified=at(datetime.datetime(2025, 7, 1)))
    type(old.organisation).objects.update(modified=at(datetime.datetime(2024, 6, 1)))

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


# --- bad input ----------------------------------------------------------------------------

RANDOM = "0b6f8f4e-8e0c-4a86-9d7e-2f4c8f0e1a2b"
BAD = [
    ("/services?page=0", 400),
    ("/services?page=-1", 400),
    ("/services?page=abc", 400),
    ("/services?page=1.5", 400),
    ("/services?page=%2B1", 400),
    ("/services?page=99999999999999999999", 400),
    ("/services?page=" + "9" * 5000, 400),
    ("/services?per_page=0", 400),
    ("/services?per_page=101", 400),
    ("/services?per_page=100000", 400),
    ("/services?per_page=ten", 400),
    ("/services?taxonomy_term_id=food", 400),
    ("/services?taxonomy_id=123", 400),
    ("/services?organization_id=" + RANDOM[:-1], 400),
    ("/services?modified_after=yesterday", 400),
    ("/services?modified_after=2025-02-30", 400),
    ("/services?modified_after=2025-01-01T25:00:00", 400),
    ("/services?modified_after=0001-01-01T00:00:00%2B01:00", 400),
    ("/services?modified_after=9999-12-31T23:59:59-01:00", 400),
    ("/services?modified_after=2025-01-01T10:00:00 01:00", 400),  # an unencoded +
    ("/services?search=food%00", 400),
    ("/services?se%00arch=food", 400),
    ("/services?search=" + "a" * 201, 400),
    ("/services?search=" + "a" * 1001, 400),
    ("/services?full=maybe", 400),
    ("/services?minimal=true", 400),
    ("/services?format=ndjson", 400),
    ("/services?format=xml", 400),
    ("/services/not-a-uuid", 404),
    ("/services/" + RANDOM, 404),
    ("/services/%00", 400),  # refused before the API: core.querycheck
    ("/service_at_locations/" + RANDOM, 404),
    ("/service_at_locations/nope", 404),
    ("/service_at_locations?proximity=-1&postcode=SS14%201DL", 400),
    ("/service_at_locations?proximity=5", 400),
    ("/service_at_locations?proximity=99999999&postcode=SS14%201DL", 400),
    ("/service_at_locations?postcode=NOT%20A%20POSTCODE", 400),
    ("/service_at_locations?postcode=ZZ99%209ZZ", 400),  # a real pattern we do not know
    ("/service_at_locations?full=true", 400),
    ("/organizations/" + RANDOM, 404),
    ("/organizations?full_service=true", 400),
    ("/organizations?page=0", 400),
    ("/taxonomies/" + RANDOM, 404),
    ("/taxonomies?per_page=0", 400),
    ("/taxonomy_terms/x", 404),
    ("/taxonomy_terms?top_only=yes", 400),
    ("/taxonomy_terms?parent_id=x", 400),
    ("/taxonomy_terms?taxonomy_id=x", 400),
    ("/locations/" + RANDOM, 404),
    ("/locations?page=x", 400),
    ("/no/such/endpoint", 404),
]


@pytest.mark.parametrize(("path", "status"), BAD)
def test_bad_parameters_get_the_standards_json_error(client, path, status):
    ServiceFactory()

    response = client.get(API + path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert_valid(body, ERROR)
    assert body["error"] == {400: "bad_request", 404: "not_found"}[status]
    assert body["message"]


def test_a_page_past_the_end_is_empty_not_an_error(client):
    ServiceFactory()

    body = get(client, "/services", page="999999999")

    assert body["contents"] == [] and body["empty"] and body["total_items"] == 1


# --- queries stay constant -----------------------------------------------------------------


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
