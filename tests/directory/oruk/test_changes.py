"""ORUK last_modified and modified_after follow every change to what a service shows: its own
fields and contacts, its organisation, places, categories and times (the standard: "the
service, or any related information about the service, has changed")."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from directory import services as directory_services
from directory.models import Schedule, Service
from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from tests.test_audit import form_data

pytestmark = pytest.mark.django_db
API = "/api/oruk"
LONG_AGO = timezone.make_aware(datetime.datetime(2024, 1, 1, 12))
SINCE = "2025-01-01T00:00:00Z"


@pytest.fixture
def listing():
    """A service with everything it can show, last changed long ago."""
    hall, church = LocationFactory(name="Hall"), LocationFactory(name="Church")
    food, meals = TaxonomyTermFactory(name="Food"), TaxonomyTermFactory(name="Meals")
    service = ServiceFactory(
        organisation=OrganisationFactory(name="Trust", charity_number="1234567"),
        categories=[food, meals],
        locations=[hall, church],
        contact_name="Ann",
        phone="01268 000000",
    )
    ScheduleFactory(service=service, location=hall, weekday=1)
    other = ServiceFactory(name="Unrelated")
    Service.objects.update(last_modified=LONG_AGO)
    return service, other


def _rename(obj, name="Renamed"):
    obj.name = name
    obj.save()


CHANGES = {
    "service renamed": lambda s: _rename(s),
    "contact name": lambda s: (setattr(s, "contact_name", "Bob"), s.save()),
    "phone": lambda s: (setattr(s, "phone", "01268 111111"), s.save(update_fields=["phone"])),
    "organisation renamed": lambda s: _rename(s.organisation),
    "organisation's charity number": lambda s: (
        setattr(s.organisation, "charity_number", "7654321"),
        s.organisation.save(),
    ),
    "location renamed": lambda s: _rename(s.locations.get(name="Hall")),
    "location's address": lambda s: (
        (hall := s.locations.get(name="Hall")),
        setattr(hall, "address_1", "1 New Road"),
        hall.save(),
    ),
    "location removed": lambda s: s.locations.remove(s.locations.get(name="Church")),
    "location added": lambda s: s.locations.add(LocationFactory()),
    "location's services cleared": lambda s: s.locations.get(name="Church").services.clear(),
    "location deleted": lambda s: s.locations.get(name="Church").delete(),
    "category renamed": lambda s: _rename(s.categories.get(name="Food")),
    "category removed": lambda s: s.categories.remove(s.categories.get(name="Meals")),
    "category cleared from its services": lambda s: s.categories.get(name="Meals").services.clear(),
    "category deleted": lambda s: s.categories.get(name="Meals").delete(),
    "category added": lambda s: s.categories.add(TaxonomyTermFactory()),
    "schedule changed": lambda s: (
        (times := s.schedules.get()),
        setattr(times, "weekday", 3),
        times.save(),
    ),
    "schedule added": lambda s: ScheduleFactory(service=s, weekday=5),
    "marked reviewed": lambda s: directory_services.mark_reviewed(
        services=Service.objects.filter(pk=s.pk)
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_anything_a_service_shows_moves_last_modified(client, listing, change):
    service, other = listing
    assert client.get(f"{API}/services", {"modified_after": SINCE}).json()["contents"] == []

    CHANGES[change](service)

    shown = client.get(f"{API}/services/{service.uuid}").json()["last_modified"]
    assert shown > "2025-01-01T00:00:00.000Z"
    changed = client.get(f"{API}/services", {"modified_after": SINCE}).json()["contents"]
    assert [item["id"] for item in changed] == [str(service.uuid)]  # and nothing else
    assert changed[0]["last_modified"] == shown
    links = client.get(f"{API}/service_at_locations", {"modified_after": SINCE}).json()
    assert {item["service_id"] for item in links["contents"]} <= {str(service.uuid)}


def test_deleting_a_time_in_the_services_admin_form_moves_last_modified(officer_client, listing):
    service, _ = listing
    url = reverse("admin:directory_service_change", args=[service.pk])
    data = {k: v for k, v in form_data(officer_client.get(url)).items() if v != ""}
    prefix = next(k for k in data if k.endswith("-0-id") and "schedule" in k)[: -len("-0-id")]
    data[f"{prefix}-0-DELETE"] = "on"

    response = officer_client.post(url, data)

    assert response.status_code == 302
    assert not Schedule.objects.filter(service=service).exists()
    changed = officer_client.get(f"{API}/services", {"modified_after": SINCE}).json()
    assert [item["id"] for item in changed["contents"]] == [str(service.uuid)]


def test_a_csv_import_moves_last_modified_of_the_services_it_changes(listing):
    service, other = listing
    from directory.csv_io import parse_services

    # An update of one listing through the same path as the admin's CSV import.
    row = f"{service.uuid},New name,{service.organisation.slug},Same"
    csv = f"uuid,name,organisation,description\n{row}\n"
    parsed = parse_services(io.BytesIO(csv.encode()))
    assert parsed.errors == []
    directory_services.import_services(rows=parsed.rows)

    service.refresh_from_db()
    other.refresh_from_db()
    assert service.last_modified > LONG_AGO and service.name == "New name"
    assert other.last_modified == LONG_AGO


def test_modified_after_reads_the_services_own_column(client, listing):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(f"{API}/services", {"modified_after": SINCE})
    counted = next(q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"])
    # One indexed range on the service row: no join or aggregate over related records.
    assert '"directory_service"."last_modified" >=' in counted
    assert "JOIN" not in counted
