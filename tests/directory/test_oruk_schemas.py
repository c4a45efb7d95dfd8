"""Every ORUK endpoint and variant, for the demo data, validates against the published ORUK 3.0
files (directory/oruk_schemas/, copied unmodified; SOURCE.md gives the commit)."""

import json

import pytest
from django.core.cache import cache

from tests.directory.oruk_schema import (
    ERROR,
    OPENAPI,
    SCHEMA_DIR,
    SERVED,
    assert_valid,
    errors,
    page_of,
    response_schema,
    schema,
    unresolved_refs,
    with_served,
)

pytestmark = pytest.mark.django_db
API = "/api/oruk"

# (list path, detail path) exactly as the ORUK 3.0 OpenAPI document names them.
ENDPOINTS = [
    ("/services", "/services/{id}"),
    ("/service_at_locations", "/service_at_locations/{id}"),
    ("/organizations", "/organizations/{id}"),
    ("/taxonomies", "/taxonomies/{id}"),
    ("/taxonomy_terms", "/taxonomy_terms/{id}"),
]


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "100000/m"}


def get(client, path, **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def walk(client, path, against, per_page=7, **params):
    """Every page of a list (several pages), each validated; returns the items."""
    items, page = [], 1
    while True:
        body = get(client, path, page=page, per_page=per_page, **params)
        assert_valid(body, against)
        items += body["contents"]
        if body["last_page"]:
            break
        page += 1
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == body["total_items"]
    return items


def test_the_copies_are_the_published_files_and_the_document_resolves_offline():
    openapi = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    assert openapi["openapi"] == "3.0.0" and "servers" not in openapi  # the published one
    assert unresolved_refs(openapi) == []


def test_root_validates_with_or_without_the_slash(client):
    assert_valid(get(client, "/"), response_schema("/"))
    response = client.get(API)
    assert response.status_code == 200
    assert_valid(response.json(), response_schema("/"))


def test_the_served_openapi_document_resolves_against_the_published_files(client):
    document = get(client, "/openapi.json")

    assert unresolved_refs(document) == []
    # Its extension endpoint's schema holds our /locations answers.
    registry = with_served(document)
    body = get(client, "/locations", per_page=100)
    assert_valid(body, response_schema("/locations", document=SERVED), registry)
    assert errors(
        {"contents": [{"id": "x"}]}, response_schema("/locations", document=SERVED), registry
    )


@pytest.mark.parametrize(("list_path", "detail_path"), ENDPOINTS)
def test_every_list_page_and_every_item_validates(client, demo, list_path, detail_path):
    items = walk(client, list_path, response_schema(list_path))

    assert items, "the demo data should fill every endpoint"
    for item in items:
        body = get(client, detail_path.format(id=item["id"]))
        assert_valid(body, response_schema(detail_path))
        assert body["id"] == item["id"]


def test_full_services_validate(client, demo):
    services = walk(client, "/services", response_schema("/services"), per_page=50, full="true")

    assert any(s.get("schedules") and s.get("service_at_locations") for s in services)
    for service in services:
        assert_valid(service, schema("service"))
        for phone in service.get("phones", []):  # our extension: HSDS 3.0 phones
            assert_valid(phone, schema("phone"))


def test_full_services_at_locations_validate(client, demo):
    links = walk(
        client,
        "/service_at_locations",
        response_schema("/service_at_locations"),
        per_page=50,
        full="true",
    )

    for link in links:
        assert_valid(link, schema("service_at_location"))
        assert_valid(link["service"], schema("service"))
        assert "organization" in link["service"]


@pytest.mark.parametrize("variant", [{"full": "true"}, {"full_service": "true"}])
def test_full_organisations_validate(client, demo, variant):
    orgs = walk(client, "/organizations", response_schema("/organizations"), **variant)

    for org in orgs:
        assert_valid(org, schema("organization"))
        assert org["services"]
        for service in org["services"]:
            assert_valid(service, schema("service"))
    detail = get(client, f"/organizations/{orgs[0]['id']}", **variant)
    assert_valid(detail, response_schema("/organizations/{id}"))
    assert detail == orgs[0]


def test_services_near_a_postcode_validate(client, demo):
    links = walk(
        client,
        "/service_at_locations",
        response_schema("/service_at_locations"),
        postcode="SS14 1DL",
        proximity="5000",
    )
    assert links


def test_filtered_lists_validate(client, demo):
    term = get(client, "/taxonomy_terms", search="Food banks")["contents"][0]
    walk(client, "/services", response_schema("/services"), taxonomy_term_id=term["id"])
    walk(client, "/services", response_schema("/services"), search="food")
    walk(client, "/taxonomy_terms", response_schema("/taxonomy_terms"), top_only="true")
    profile = {"minimum_age": "5", "maximum_age": "60", "day": "MO,TU", "start_time": "09:00"}
    assert walk(client, "/services", response_schema("/services"), **profile)
    walk(client, "/service_at_locations", response_schema("/service_at_locations"), **profile)


def test_locations_extension_validates_as_locations(client, demo):
    for item in walk(client, "/locations", page_of("location")):
        assert_valid(get(client, f"/locations/{item['id']}"), schema("location"))


def test_errors_have_the_error_body(client, demo):
    for path in ["/services?page=0", "/services/nope", "/organizations?per_page=101"]:
        response = client.get(API + path)
        assert response.status_code in (400, 404)
        assert_valid(response.json(), ERROR)


def test_the_schemas_catch_what_the_standard_forbids():
    """The checks are not vacuous: typical mistakes fail against the same schemas."""
    service = {"id": "a60e38fb-cdf0-4c68-89de-a497b5c48a84", "name": "x", "status": "active"}
    detail = response_schema("/services/{id}")
    assert errors(service, detail) == []
    assert errors({**service, "status": "open"}, detail)
    assert errors({**service, "id": "123"}, detail)
    assert errors({**service, "url": None}, detail)
    assert errors({**service, "url": "not a url"}, detail)
    assert errors({**service, "last_modified": "yesterday"}, detail)
    assert errors({**service, "schedules": [{"freq": "WEEKLY"}]}, detail)  # no id
    organization = {"id": service["id"], "name": "Org"}  # description is required
    assert errors({**service, "organization": organization}, detail)
    assert errors({"contents": [{"name": "x"}]}, response_schema("/services"))
    assert OPENAPI.startswith("https://openreferraluk.org/specifications/3.0/")
