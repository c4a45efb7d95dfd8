"""The ORUK API's endpoints: root and OpenAPI document, headers, methods, rate limit, and
the page envelope.
"""

import json

import pytest

from directory.models import Service
from tests.directory.oruk.api import API, get
from tests.directory.oruk_schema import ERROR, assert_valid
from tests.factories import (
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def test_root_names_the_version_profile_and_our_openapi_document(client):
    body = get(client, "/")

    assert body["version"] == "HSDS-UK-3.0"
    assert body["profile"].startswith("https://")
    assert body["openapi_url"] == "http://testserver/api/oruk/openapi.json"


def test_openapi_document_is_the_published_one_with_our_server_filters_and_extension(client):
    official = json.loads((oruk_schema_dir() / "openapi.json").read_text(encoding="utf-8"))

    document = get(client, "/openapi.json")

    assert document["servers"] == [
        {"url": "http://testserver/api/oruk", "description": "Connected Communities"}
    ]
    profile = ["minimum_age", "maximum_age", "day", "start_time", "end_time"]
    for path, operations in official["paths"].items():
        served = document["paths"][path]
        if path in ("/services", "/service_at_locations"):
            parameters = served["get"]["parameters"]
            added = parameters[len(operations["get"]["parameters"]) :]
            assert added == [{"$ref": f"#/components/parameters/{name}"} for name in profile]
            served = {**served, "get": {**served["get"], "parameters": parameters[:-5]}}
        assert served == operations
    extra = set(document["paths"]) - set(official["paths"])
    assert extra == {"/locations", "/locations/{id}"}
    assert document["paths"]["/locations"]["get"]["tags"] == ["extension"]


def oruk_schema_dir():
    from tests.directory.oruk_schema import SCHEMA_DIR

    return SCHEMA_DIR


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
    response = client.options(
        API + "/services",
        headers={
            "Origin": "https://other.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept, x-api-key",
        },
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "accept, x-api-key"
    bare = client.options(API + "/services", headers={"Access-Control-Request-Headers": "a\rb"})
    assert bare["Access-Control-Allow-Headers"] == "Accept, Content-Type"


def test_the_base_url_without_a_slash_answers_with_cors(client):
    response = client.get(API)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["version"] == "HSDS-UK-3.0"
    assert client.options(API)["Access-Control-Allow-Headers"]


def test_too_many_requests_get_a_json_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": "2/m"}

    statuses = [client.get(API + "/services").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    response = client.get(API + "/")
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert_valid(response.json(), ERROR)


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
