"""Every ORUK endpoint's output for the demo data validates against the official schemas."""

import pytest
from django.core.cache import cache

from tests.directory.oruk_schema import (
    ERROR,
    assert_valid,
    errors,
    page_of,
    response_schema,
    schema,
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


def walk(client, path, against, **params):
    """Every page of a list (a small per_page, so there are several), each one validated."""
    ids, page = [], 1
    while True:
        body = get(client, path, page=page, per_page=7, **params)
        assert_valid(body, against)
        ids += [item["id"] for item in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert len(ids) == len(set(ids)) == body["total_items"]
    return ids


def test_root_validates(client, demo):
    assert_valid(get(client, "/"), response_schema("/"))


@pytest.mark.parametrize(("list_path", "detail_path"), ENDPOINTS)
def test_every_list_page_and_every_item_validates(client, demo, list_path, detail_path):
    ids = walk(client, list_path, response_schema(list_path))

    assert ids, "the demo data should fill every endpoint"
    for id_ in ids:
        body = get(client, detail_path.format(id=id_))
        assert_valid(body, response_schema(detail_path))
        assert body["id"] == id_


def test_full_services_validate_as_services(client, demo):
    # full=true nests arrays that the list-item schema forbids, so check them as services.
    walk(client, "/services", page_of("service"), full="true")


def test_services_near_a_postcode_validate(client, demo):
    ids = walk(
        client,
        "/service_at_locations",
        response_schema("/service_at_locations"),
        postcode="SS14 1DL",
        proximity="5000",
    )
    assert ids


def test_filtered_lists_validate(client, demo):
    term = get(client, "/taxonomy_terms", search="Food banks")["contents"][0]
    walk(client, "/services", response_schema("/services"), taxonomy_term_id=term["id"])
    walk(client, "/services", response_schema("/services"), search="food")
    walk(client, "/taxonomy_terms", response_schema("/taxonomy_terms"), top_only="true")


def test_locations_extension_validates_as_locations(client, demo):
    for id_ in walk(client, "/locations", page_of("location")):
        assert_valid(get(client, f"/locations/{id_}"), schema("location"))


def test_errors_validate_as_the_standards_error_response(client, demo):
    for path in ["/services?page=0", "/services/nope", "/organizations?per_page=101"]:
        response = client.get(API + path)
        assert response.status_code in (400, 404)
        assert_valid(response.json(), ERROR)


def test_the_schemas_catch_what_the_standard_forbids():
    """The checks are not vacuous: typical mistakes fail against the same schemas."""
    service = {"id": "a60e38fb-cdf0-4c68-89de-a497b5c48a84", "name": "x", "status": "active"}
    assert errors(service, response_schema("/services/{id}")) == []
    assert errors({**service, "status": "open"}, response_schema("/services/{id}"))
    assert errors({**service, "id": "123"}, response_schema("/services/{id}"))
    assert errors({**service, "url": None}, response_schema("/services/{id}"))
    assert errors({**service, "url": "not a url"}, response_schema("/services/{id}"))
    assert errors({**service, "last_modified": "yesterday"}, response_schema("/services/{id}"))
    list_page = {"empty": False, "contents": [{**service, "schedules": []}]}
    assert errors(list_page, response_schema("/services"))
    organization = {"id": service["id"], "name": "Org"}  # description is required
    assert errors({**service, "organization": organization}, response_schema("/services/{id}"))
