import datetime

import pytest
from django.urls import reverse

from hubs import extensions
from hubs.models import Hub
from tests.factories import ActivityFactory, HubFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_hubs_list_shows_open_hubs_and_those_coming_soon(client, hub_a, django_assert_num_queries):
    HubFactory(name="Planned Hub", status=Hub.Status.IN_DEVELOPMENT, opened=None)
    HubFactory(name="Closed Hub", status=Hub.Status.CLOSED)

    with django_assert_num_queries(1):
        response = client.get(reverse("hubs:list"))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/hubs/hub-a/"' in html
    assert "Hubs coming soon" in html
    assert "Planned Hub" in html
    assert "Closed Hub" not in html


def test_hubs_appear_in_the_site_navigation(client):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("hubs:list")}"' in html


def test_hub_page_shows_whats_on_this_week_where_and_how_to_get_involved(
    client, hub_a, django_assert_max_num_queries
):
    ActivityFactory(
        hub=hub_a,
        name="Coffee morning",
        weekday=0,
        start_time=datetime.time(9),
        end_time=datetime.time(10, 30),
        run_by=OrganisationFactory(name="Friendly Charity"),
    )
    ActivityFactory(hub=hub_a, name="Hidden club", is_active=False)
    hub_a.how_to_get_involved = "Just turn up."
    hub_a.save()

    with django_assert_max_num_queries(3):
        response = client.get(hub_a.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "What&#x27;s on this week" in html or "What's on this week" in html
    assert "9am to 10:30am: Coffee morning" in html
    assert "Run by Friendly Charity" in html
    assert "Monday" in html
    assert "Hidden club" not in html
    assert hub_a.location.postcode in html
    assert "Just turn up." in html


def test_hub_in_development_says_it_is_not_open_yet(client):
    hub = HubFactory(status=Hub.Status.IN_DEVELOPMENT, opened=None, location=None)

    html = client.get(hub.get_absolute_url()).content.decode()

    assert "This hub is not open yet" in html
    assert "What's on this week" not in html


@pytest.mark.parametrize("slug", ["no-such-hub", "closed-hub"])
def test_unknown_or_closed_hub_is_404(client, slug):
    HubFactory(slug="closed-hub", status=Hub.Status.CLOSED)

    assert client.get(reverse("hubs:detail", args=[slug])).status_code == 404


def test_higher_apps_add_panels_to_the_hub_page(client, hub_a):
    def panel(request, hub):
        return ("tests/hub_panel.html", {"hub": hub}) if hub == hub_a else None

    extensions.register_hub_page_panel(panel)
    try:
        html = client.get(hub_a.get_absolute_url()).content.decode()
    finally:
        extensions.unregister_hub_page_panel(panel)

    assert "Volunteer at Hub A" in html
