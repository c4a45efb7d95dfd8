import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from directory.models import Location, Schedule, Service
from tests.factories import (
    AreaFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db


def test_location_postcode_is_normalised_and_coordinates_filled_from_the_lookup():
    PostcodeFactory(postcode="SS13 1AQ", latitude=Decimal("51.56775"), ward_code="E05015461")
    ward = AreaFactory(name="Pitsea North West", slug="pitsea-nw", ons_code="E05015461")
    location = Location(address_1="Rectory Road", town="Pitsea", postcode=" ss131aq")

    location.full_clean()

    assert location.postcode == "SS13 1AQ"
    assert location.latitude == Decimal("51.56775")
    assert location.area == ward


def test_location_rejects_a_bad_postcode():
    location = Location(address_1="1 High Street", town="Basildon", postcode="NOT IT")

    with pytest.raises(ValidationError) as error:
        location.full_clean()

    assert "postcode" in error.value.message_dict


def test_location_with_unknown_postcode_is_saved_without_coordinates():
    location = Location(address_1="1 High Street", town="Basildon", postcode="SS14 1ZZ")

    location.full_clean()
    location.save()

    assert location.latitude is None


def test_database_rejects_an_upside_down_age_range():
    service = ServiceFactory.build(organisation=OrganisationFactory(), minimum_age=18)
    service.maximum_age = 11

    with pytest.raises(ValidationError):
        service.full_clean()
    with pytest.raises(IntegrityError):
        service.save()


def test_database_rejects_a_schedule_closing_before_it_opens():
    schedule = ScheduleFactory.build(
        service=ServiceFactory(), opens_at=datetime.time(12), closes_at=datetime.time(10)
    )

    with pytest.raises(ValidationError):
        schedule.full_clean()
    with pytest.raises(IntegrityError):
        schedule.save()


@pytest.mark.parametrize(
    "weekday,opens,closes,description,expected",
    [
        (2, datetime.time(10), datetime.time(12), "", "Tuesday 10am to midday"),
        (6, datetime.time(9, 30), datetime.time(13), "", "Saturday 9:30am to 1pm"),
        (1, None, None, "term time only", "Monday (term time only)"),
        (None, None, None, "School holidays", "School holidays"),
    ],
)
def test_schedule_reads_like_gov_uk_style(weekday, opens, closes, description, expected):
    schedule = Schedule(weekday=weekday, opens_at=opens, closes_at=closes, description=description)

    assert str(schedule) == expected


def test_published_hides_drafts_and_closed_services():
    shown = ServiceFactory(name="Shown")
    ServiceFactory(name="Closed for now", status=Service.Status.TEMPORARILY_CLOSED)
    ServiceFactory(name="Draft", publication=Service.Publication.DRAFT)
    ServiceFactory(name="Gone", status=Service.Status.DEFUNCT)

    names = set(Service.objects.published().values_list("name", flat=True))

    assert names == {"Shown", "Closed for now"}
    assert shown.is_stale is False


def test_stale_means_not_reviewed_for_twelve_months_or_never():
    today = datetime.date(2026, 6, 1)
    ServiceFactory(name="Recent", last_reviewed=datetime.date(2025, 6, 2))
    ServiceFactory(name="Old", last_reviewed=datetime.date(2025, 5, 31))
    ServiceFactory(name="Never", last_reviewed=None)

    names = set(Service.objects.stale(today=today).values_list("name", flat=True))

    assert names == {"Old", "Never"}


def test_in_area_includes_the_wards_of_a_town():
    town = AreaFactory(name="Pitsea", slug="pitsea")
    ward = AreaFactory(name="Pitsea North West", slug="pitsea-nw", kind="ward", parent=town)
    elsewhere = AreaFactory(name="Wickford", slug="wickford")
    in_ward = ServiceFactory(locations=[LocationFactory(area=ward)])
    ServiceFactory(locations=[LocationFactory(area=elsewhere)])

    assert list(Service.objects.in_area(town)) == [in_ward]


@pytest.mark.parametrize(
    "low,high,expected",
    [(None, None, "All ages"), (18, None, "18 and over"), (0, 5, "Up to 5"), (11, 18, "11 to 18")],
)
def test_age_range_text(low, high, expected):
    assert Service(minimum_age=low, maximum_age=high).age_range == expected


def test_organisation_areas_served():
    org = OrganisationFactory()
    town = AreaFactory()

    town.organisations.add(org)

    assert list(org.areas_served.all()) == [town]


def test_coordinators_may_pick_places_but_not_edit_listings():
    from django.contrib.auth.models import Group

    from core.roles import COORDINATOR

    perms = set(
        Group.objects.get(name=COORDINATOR)
        .permissions.filter(content_type__app_label="directory")
        .values_list("codename", flat=True)
    )

    assert {"view_location", "add_location"} <= perms
    assert "change_service" not in perms
