"""Hub activities appear in the public directory as services."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.models import Schedule, Service
from hubs.models import Activity, Hub
from hubs.publishing import publish_activity, publish_hub
from tests.factories import ActivityFactory, HubFactory, TaxonomyTermFactory
from tests.searching import search_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def coffee_morning():
    TaxonomyTermFactory(name="Coffee mornings", slug="coffee-mornings")
    hub = HubFactory(name="Greenwood Hub")
    return ActivityFactory(
        hub=hub,
        name="Coffee morning",
        category=Activity.Category.COFFEE_MORNING,
        weekday=Activity.Weekday.TUESDAY,
        start_time=datetime.time(9, 30),
        end_time=datetime.time(11, 0),
    )


def test_published_activity_is_a_directory_service_residents_can_find(coffee_morning):
    service = publish_activity(activity=coffee_morning)

    assert service.name == "Coffee morning at Greenwood Hub"
    assert service.organisation == coffee_morning.hub.lead_partner
    assert list(service.locations.all()) == [coffee_morning.hub.location]
    assert [c.slug for c in service.categories.all()] == ["coffee-mornings"]
    schedule = service.schedules.get()
    assert schedule.weekday == Schedule.Weekday.TUESDAY
    assert (schedule.opens_at, schedule.closes_at) == (datetime.time(9, 30), datetime.time(11))
    assert list(search_services(q="coffee", days=[Schedule.Weekday.TUESDAY])) == [service]
    coffee_morning.refresh_from_db()
    assert coffee_morning.service == service


def test_publishing_again_updates_the_same_service(coffee_morning):
    first = publish_activity(activity=coffee_morning)
    coffee_morning.name = "Cuppa and chat"
    coffee_morning.weekday = Activity.Weekday.FRIDAY

    second = publish_activity(activity=coffee_morning)

    assert second.pk == first.pk
    assert Service.objects.count() == 1
    assert second.name == "Cuppa and chat at Greenwood Hub"
    assert second.schedules.get().weekday == Schedule.Weekday.FRIDAY


def test_unpublished_activity_or_closed_hub_is_withdrawn_from_the_directory(coffee_morning):
    publish_activity(activity=coffee_morning)

    coffee_morning.is_active = False
    publish_activity(activity=coffee_morning)
    assert not Service.objects.published().exists()

    coffee_morning.is_active = True
    publish_activity(activity=coffee_morning)
    assert Service.objects.published().count() == 1

    coffee_morning.hub.status = Hub.Status.CLOSED
    coffee_morning.hub.save()
    publish_hub(hub=coffee_morning.hub)
    assert not Service.objects.published().exists()


def test_activity_with_no_organisation_to_credit_is_not_listed():
    activity = ActivityFactory(hub=HubFactory(lead_partner=None), run_by=None)

    assert publish_activity(activity=activity) is None
    assert not Service.objects.exists()


def test_officer_saving_an_activity_in_the_admin_lists_it(officer_client, coffee_morning):
    url = reverse("admin:hubs_activity_change", args=[coffee_morning.pk])
    data = {
        "hub": coffee_morning.hub.pk,
        "name": "Coffee and cake",
        "description": "Tea, coffee and a chat",
        "category": "coffee_morning",
        "weekday": "3",
        "start_time": "10:00",
        "end_time": "11:30",
        "is_active": "on",
    }

    response = officer_client.post(url, data)

    assert response.status_code == 302
    service = Service.objects.published().get()
    assert service.name == "Coffee and cake at Greenwood Hub"
    assert service.description == "Tea, coffee and a chat"
    page = officer_client.get(url).content.decode()
    assert service.get_absolute_url() in page


def test_deleting_an_activity_in_the_admin_removes_its_listing(officer_client, coffee_morning):
    publish_activity(activity=coffee_morning)

    response = officer_client.post(
        reverse("admin:hubs_activity_delete", args=[coffee_morning.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Service.objects.exists()


def test_demo_hub_activities_are_in_the_directory_search(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())

    published = Activity.objects.published()
    assert published.exists()
    assert all(a.service and a.service.publication == "published" for a in published)
    assert search_services(q="ParkPlay").filter(hub_activity__isnull=False).exists()

    call_command("publish_hub_activities", stdout=StringIO())
    assert Service.objects.filter(hub_activity__isnull=False).count() == published.count()
