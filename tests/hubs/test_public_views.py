import datetime
from types import SimpleNamespace

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


@pytest.fixture
def saturday_noon(monkeypatch):
    """Saturday 6 December 2025 at midday, as hub pages see it."""
    from hubs import views

    noon = datetime.datetime(2025, 12, 6, 12, tzinfo=datetime.UTC)
    monkeypatch.setattr(views, "timezone", SimpleNamespace(localtime=lambda: noon))
    return noon


def test_hub_page_shows_whats_on_this_week_where_and_how_to_get_involved(
    client, hub_a, django_assert_max_num_queries, saturday_noon
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
    assert "What's on in the next 7 days" in html
    assert "9am to 10:30am: Coffee morning" in html
    assert "Run by Friendly Charity" in html
    assert "Monday" in html
    assert "Hidden club" not in html
    assert hub_a.location.postcode in html
    assert "Just turn up." in html


def test_hub_page_lists_the_next_seven_days_from_today_not_past_sessions(
    client, hub_a, saturday_noon
):
    """On a Saturday at midday: the morning's session is over, the afternoon's is still to
    come, and Monday to Friday are next week's (a Monday-to-Sunday week showed them as past)."""
    for name, weekday, start, end in [
        ("Saturday breakfast", 5, 8, 10),
        ("Saturday crafts", 5, 14, 16),
        ("Monday walk", 0, 10, 11),
        ("Friday lunch", 4, 12, 13),
    ]:
        ActivityFactory(
            hub=hub_a,
            name=name,
            weekday=weekday,
            start_time=datetime.time(start),
            end_time=datetime.time(end),
        )

    html = client.get(hub_a.get_absolute_url()).content.decode()

    assert "Saturday breakfast" not in html
    days = [
        "Saturday 6 December",
        "Saturday crafts",
        "Monday 8 December",
        "Monday walk",
        "Friday 12 December",
        "Friday lunch",
    ]
    positions = [html.index(text) for text in days]
    assert positions == sorted(positions)
    assert "Saturday 13 December" not in html  # seven days, not eight


def test_free_text_on_hub_pages_is_styled_as_gov_uk_body_text(client, hub_a):
    hub_a.description = "First paragraph.\n\nSecond <b>line</b>\nsame paragraph."
    hub_a.how_to_get_involved = "Just turn up."
    hub_a.save()
    hub_a.location.accessibility = "Step-free access."
    hub_a.location.save()

    html = client.get(hub_a.get_absolute_url()).content.decode()

    assert '<p class="govuk-body">First paragraph.</p>' in html
    assert '<p class="govuk-body">Second &lt;b&gt;line&lt;/b&gt;<br>same paragraph.</p>' in html
    assert '<p class="govuk-body">Just turn up.</p>' in html
    assert '<p class="govuk-body">Step-free access.</p>' in html
    assert "<p>" not in html


def test_hub_in_development_says_it_is_not_open_yet(client):
    hub = HubFactory(status=Hub.Status.IN_DEVELOPMENT, opened=None, location=None)

    html = client.get(hub.get_absolute_url()).content.decode()

    assert "This hub is not open yet" in html
    assert "in the next 7 days" not in html


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
