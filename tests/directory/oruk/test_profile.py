"""The 2024 UK profile's filters (ages, day, times), schedule times with their offset, and the
standard's full variants of service_at_locations and organizations."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.oruk import profile, serialisers
from tests.factories import (
    LocationFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/oruk"
T = datetime.time


def names(client, path="/services", **params):
    response = client.get(API + path, params)
    assert response.status_code == 200, response.content
    items = response.json()["contents"]
    return sorted(i["service"]["name"] if "service" in i else i["name"] for i in items)


@pytest.fixture
def ages():
    ServiceFactory(name="Toddlers", minimum_age=0, maximum_age=4)
    ServiceFactory(name="Youth", minimum_age=11, maximum_age=19)
    ServiceFactory(name="Adults", minimum_age=18, maximum_age=None)
    ServiceFactory(name="Everyone", minimum_age=None, maximum_age=None)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Adults", "Everyone", "Toddlers", "Youth"]),
        ({"minimum_age": "18"}, ["Adults", "Everyone", "Youth"]),
        ({"maximum_age": "10"}, ["Everyone", "Toddlers"]),
        ({"minimum_age": "15", "maximum_age": "15"}, ["Everyone", "Youth"]),  # a 15-year-old
        ({"minimum_age": "5", "maximum_age": "10"}, ["Everyone"]),
        ({"minimum_age": "0", "maximum_age": "150"}, ["Adults", "Everyone", "Toddlers", "Youth"]),
    ],
)
def test_age_filters_find_services_open_to_the_ages_asked(client, ages, params, expected):
    assert names(client, **params) == expected


@pytest.fixture
def times():
    hall = LocationFactory(name="Hall")
    morning = ServiceFactory(name="Morning", locations=[hall])
    ScheduleFactory(service=morning, weekday=1, opens_at=T(9), closes_at=T(12))
    evening = ServiceFactory(name="Evening", locations=[hall])
    ScheduleFactory(service=evening, weekday=3, opens_at=T(18), closes_at=T(20, 30))
    both = ServiceFactory(name="Both", locations=[hall])
    ScheduleFactory(service=both, weekday=1, opens_at=T(13), closes_at=T(15))
    ScheduleFactory(service=both, weekday=6, opens_at=T(10), closes_at=T(11))
    ServiceFactory(name="Whenever", locations=[hall])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"day": "MO"}, ["Both", "Morning"]),
        ({"day": "monday"}, ["Both", "Morning"]),
        ({"day": "WE,SA"}, ["Both", "Evening"]),
        ({"day": "SU"}, []),
        ({"start_time": "17:00"}, ["Evening"]),
        ({"end_time": "12:00"}, ["Both", "Morning"]),
        ({"start_time": "09:00", "end_time": "12:00"}, ["Both", "Morning"]),
        ({"day": "MO", "start_time": "12:00"}, ["Both"]),
        ({"day": "SA", "start_time": "12:00"}, []),  # the same time must match the day
    ],
)
def test_day_and_time_filters_match_one_weekly_time(client, times, params, expected):
    assert names(client, **params) == expected
    assert names(client, "/service_at_locations", **params) == expected


def test_times_with_z_or_an_offset_are_read_as_uk_time(client, times):
    field = profile.TimeOfDayField(label="t")
    # In winter UK time is UTC; in summer 18:00Z is 19:00 here.
    assert field.clean("18:00Z") in (T(18), T(19))
    assert field.clean("18:00+01:00") in (T(17), T(18))
    assert field.clean("09:30:15") == T(9, 30, 15)
    with pytest.raises(ValidationError):
        field.clean("18:00+24:00")
    assert names(client, start_time="17:00Z") == ["Evening"]


def test_profile_filters_combine_with_the_others(client, times):
    org = OrganisationFactory()
    mine = ServiceFactory(name="Mine", organisation=org, minimum_age=60)
    ScheduleFactory(service=mine, weekday=1, opens_at=T(10), closes_at=T(11))

    assert names(client, day="MO", organization_id=str(org.uuid)) == ["Mine"]
    assert names(client, day="MO", maximum_age="59") == ["Both", "Morning"]


def test_schedule_times_carry_the_uk_offset(client):
    service = ServiceFactory()
    ScheduleFactory(service=service, weekday=1, opens_at=T(9, 30), closes_at=T(17))

    (times,) = client.get(f"{API}/services/{service.uuid}").json()["schedules"]

    assert times["opens_at"][:5] == "09:30" and times["closes_at"][:5] == "17:00"
    assert times["opens_at"][5:] in ("+00:00", "+01:00")
    assert times["opens_at"][5:] == times["closes_at"][5:]


def test_schedule_offset_follows_british_summer_time():
    winter = datetime.datetime(2026, 1, 15, 12, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 15, 12, tzinfo=datetime.UTC)

    with mock.patch("django.utils.timezone.now", return_value=winter):
        assert serialisers._clock(T(9, 30)) == "09:30+00:00"
    with mock.patch("django.utils.timezone.now", return_value=summer):
        assert serialisers._clock(T(9, 30)) == "09:30+01:00"


# --- full variants -------------------------------------------------------------------------


def test_full_service_at_locations_nest_the_whole_service(client):
    hall = LocationFactory(name="Hall")
    service = ServiceFactory(name="Pantry", locations=[hall], contact_name="Ann")
    ScheduleFactory(service=service, location=hall, weekday=2)

    (link,) = client.get(f"{API}/service_at_locations", {"full": "true"}).json()["contents"]
    (short,) = client.get(f"{API}/service_at_locations").json()["contents"]

    assert link["service"] == client.get(f"{API}/services/{service.uuid}").json()
    assert link["service"]["schedules"] and link["service"]["contacts"]
    assert "schedules" not in short["service"]
    assert link["location"] == short["location"]


def test_organisations_full_and_full_service(client):
    org = OrganisationFactory(name="Trust", charity_number="1234567")
    pantry = ServiceFactory(name="Pantry", organisation=org, contact_name="Ann")
    ScheduleFactory(service=pantry, weekday=2)
    ServiceFactory(name="Club", organisation=org)
    ServiceFactory(name="Hidden", organisation=org, publication="draft")

    plain = client.get(f"{API}/organizations").json()["contents"][0]
    full = client.get(f"{API}/organizations", {"full": "true"}).json()["contents"][0]
    whole = client.get(f"{API}/organizations", {"full_service": "true"}).json()["contents"][0]
    detail = client.get(f"{API}/organizations/{org.uuid}").json()

    assert "services" not in plain and "organization_identifiers" not in plain
    assert full == detail
    assert full["organization_identifiers"][0]["identifier"] == "1234567"
    assert [s["name"] for s in full["services"]] == ["Club", "Pantry"]
    assert "schedules" not in full["services"][1]
    assert whole["services"][1] == client.get(f"{API}/services/{pantry.uuid}").json()
    assert whole == client.get(f"{API}/organizations/{org.uuid}?full_service=true").json()


@pytest.mark.parametrize(
    "path",
    [
        "/service_at_locations?full=true&per_page=100",
        "/organizations?full=true&per_page=100",
        "/organizations?full_service=true&per_page=100",
        "/services?day=MO&start_time=09:00&minimum_age=5&per_page=100",
    ],
)
def test_full_variants_cost_a_constant_number_of_queries(client, path):
    def grow(n):
        for _ in range(n):
            hall = LocationFactory()
            service = ServiceFactory(locations=[hall, LocationFactory()], contact_name="A")
            ScheduleFactory(service=service, location=hall, weekday=1, opens_at=T(10))
            ServiceFactory(organisation=service.organisation)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(API + path).status_code == 200
        return len(queries)

    grow(2)
    few = count()
    grow(20)
    assert count() == few <= 9
