"""What a service says in the API, and its stable ids."""

import datetime
import uuid

import pytest
from django.utils import timezone

from directory.models import Service
from directory.oruk import ids
from tests.directory.oruk.api import get, no_nulls
from tests.directory.oruk_schema import assert_valid, response_schema
from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


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
    offset = timezone.localtime().strftime("%z")  # +0000 in winter, +0100 in summer
    offset = f"{offset[:3]}:{offset[3:]}"
    assert weekly["opens_at"] == "10:00" + offset and weekly["closes_at"] == "12:00" + offset
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


def test_last_modified_is_utc_with_milliseconds(client):
    service = ServiceFactory()
    old = timezone.make_aware(datetime.datetime(2025, 7, 2, 3, 4, 5, 678000))  # 02:04 UTC
    Service.objects.filter(pk=service.pk).update(last_modified=old)

    assert get(client, "/services")["contents"][0]["last_modified"] == "2025-07-02T02:04:05.678Z"


def test_service_at_location_ids_round_trip():
    for service_pk, location_pk in [(1, 1), (12345, 678), (2**56 - 1, 2**56 - 1)]:
        value = uuid.UUID(ids.service_at_location_id(service_pk, location_pk))
        assert value.version == 8
        assert ids.parse_service_at_location_id(value) == (service_pk, location_pk)
    assert ids.parse_service_at_location_id(uuid.uuid4()) is None
