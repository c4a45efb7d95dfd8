"""Bad parameters get the standard's JSON error, never a 500."""

import pytest

from tests.directory.oruk.api import API, get
from tests.directory.oruk_schema import ERROR, assert_valid
from tests.factories import (
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


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
    ("/services?page=0%1F", 400),  # str.strip() drops \x1f, int() does not: not a number
    ("/services?per_page=%1F8", 400),
    ("/service_at_locations/" + RANDOM, 404),
    ("/service_at_locations/nope", 404),
    ("/service_at_locations?proximity=-1&postcode=SS14%201DL", 400),
    ("/service_at_locations?proximity=5", 400),
    ("/service_at_locations?proximity=99999999&postcode=SS14%201DL", 400),
    ("/service_at_locations?postcode=NOT%20A%20POSTCODE", 400),
    ("/service_at_locations?postcode=ZZ99%209ZZ", 400),  # a real pattern we do not know
    ("/service_at_locations?full=maybe", 400),
    ("/service_at_locations?minimum_age=old", 400),
    ("/organizations/" + RANDOM, 404),
    ("/organizations?full_service=yes", 400),
    ("/organizations?full=2", 400),
    ("/organizations/" + RANDOM + "?full_service=x", 400),
    ("/services?minimum_age=-1", 400),
    ("/services?minimum_age=151", 400),
    ("/services?maximum_age=99999999999999999999", 400),
    ("/services?maximum_age=ten", 400),
    ("/services?minimum_age=30&maximum_age=20", 400),
    ("/services?day=Funday", 400),
    ("/services?day=MO,,TU", 400),
    ("/services?day=%00", 400),
    ("/services?start_time=9am", 400),
    ("/services?start_time=24:00", 400),
    ("/services?start_time=09:60", 400),
    ("/services?end_time=10:00%2B99:00", 400),
    ("/services?start_time=10:00&end_time=09:00", 400),
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
