"""The dashboard page: who may open it, its queries and caches, and the demo data's figures."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.cache import bump
from core.roles import OFFICER, PARTNER_CONTACT
from dashboard.figures import NO_RETURNS
from directory.models import Service
from hubs.models import ENGAGEMENTS_VERSION_KEY, Engagement, Hub
from partners.models import Agreement
from partners.performance import Rating
from tests.conftest import sign_in
from tests.dashboard.pages import (
    URL,
    D,
    agreement_with,
    engagement_totals,
    figure,
    follow_every_link,
    is_listed,
    month_start,
    months_back,
    row,
    section,
    table,
    today,
    worst_latest_rating,
)
from tests.factories import (
    AreaFactory,
    EngagementFactory,
    HubCoordinatorFactory,
    HubFactory,
    InterestFactory,
    LocationFactory,
    OrganisationFactory,
    RoleFactory,
    ServiceFactory,
    SuggestionFactory,
    TaxonomyTermFactory,
    UserFactory,
    VolunteerHoursFactory,
)
from volunteering.models import Interest

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:login"))


def test_resident_without_staff_status_is_refused(client):
    client.force_login(UserFactory(username="resident", is_staff=False))

    assert client.get(URL).status_code == 403


def test_staff_with_nothing_to_see_goes_to_the_admin_index(client):
    client.force_login(UserFactory(username="no-role"))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_sign_in_lands_on_the_dashboard(client, partner_contact, settings):
    """Partner contacts need no second factor by default, so the password step completes."""
    assert settings.LOGIN_REDIRECT_URL == "dashboard"

    response = sign_in(client, "partner", "correct-horse-battery")

    assert response.status_code == 302
    assert response["Location"] == URL
    assert client.get(URL).status_code == 200


def test_admin_header_links_to_the_dashboard(officer_client):
    response = officer_client.get(reverse("admin:index"))

    assert f'href="{URL}"' in response.content.decode()


def test_post_is_not_allowed(officer_client):
    assert officer_client.post(URL).status_code == 405


def test_a_stray_query_string_changes_nothing(officer_client, hub_a):
    EngagementFactory(hub=hub_a, date=today(), people=7)

    response = officer_client.get(URL + "?hub=999999999999999999&month=abc")

    assert response.status_code == 200
    assert section(response, "hubs")["figures"][0][0].value == 7


def _world(size):
    for n in range(size):
        hub = HubFactory()
        EngagementFactory(hub=hub, date=today())
        EngagementFactory(hub=hub, date=months_back(today(), 5))
        org = OrganisationFactory()
        agreement_with(
            [(100, "higher", [(2024, 1, 90 + n)]), (50, "lower", [(2024, 2, 40)])],
            organisation=org,
            review_date=today() + datetime.timedelta(days=n + 1),
        )
        area = AreaFactory()
        term = TaxonomyTermFactory()
        ServiceFactory(organisation=org, categories=[term], locations=[LocationFactory(area=area)])
        role = RoleFactory(organisation=org)
        interest = InterestFactory(role=role, status="placed")
        VolunteerHoursFactory(interest=interest, date=today(), confirmed_hours=D("1"))
        SuggestionFactory()


def _queries(client):
    """Queries for the page with nothing cached (the directory coverage and past months'
    engagements are, until a change)."""
    bump()
    bump(ENGAGEMENTS_VERSION_KEY)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client, officer):
    client.force_login(officer)
    _world(1)
    client.get(URL)  # warm the session and permission caches the same way each time
    small = _queries(client)

    _world(15)
    large = _queries(client)

    assert small == large
    assert large <= 30


def test_directory_coverage_is_cached_until_the_directory_changes(client, officer):
    client.force_login(officer)
    _world(3)
    cold = _queries(client)
    with CaptureQueriesContext(connection) as warm:
        client.get(URL)
    assert len(warm) < cold

    ServiceFactory(name="New listing")
    response = client.get(URL)

    listed = figure(response.context["sections"]["directory"], "services listed").value
    assert listed == Service.objects.published().count()


def test_coordinator_query_count_is_constant(client, coordinator_a, hub_a):
    client.force_login(coordinator_a)
    EngagementFactory(hub=hub_a, date=today())
    client.get(URL)
    small = _queries(client)
    for _ in range(10):
        EngagementFactory(hub=hub_a, date=months_back(today(), 2))
        HubCoordinatorFactory(user=coordinator_a, hub=HubFactory())

    assert _queries(client) == small


def test_demo_officer_sees_the_demo_figures_and_every_link_matches(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    officer = User.objects.get(username="officer")
    assert officer.groups.filter(name=OFFICER).exists()
    client.force_login(officer)
    day = today()

    response = client.get(URL)

    assert response.status_code == 200
    sections = response.context["sections"]
    assert set(sections) == {"hubs", "partners", "directory", "volunteering"}
    engagements = list(Engagement.objects.all())
    people, new, sessions = engagement_totals(engagements, month_start(day), day)
    assert [f.value for f, _ in sections["hubs"]["figures"]] == [people, new, sessions]
    assert sessions > 0
    by_hub = table(sections["hubs"], "engagements-hubs")
    for hub in Hub.objects.all():
        hub_rows = [e for e in engagements if e.hub_id == hub.pk]
        assert (
            row(by_hub, hub.name)[3].value
            == engagement_totals(hub_rows, months_back(day, 11), day)[0]
        )
    live = [a for a in Agreement.objects.all() if a.status in ("active", "under_review")]
    expected = {rating.label: 0 for rating in Rating} | {NO_RETURNS: 0}
    for agreement in live:
        worst = worst_latest_rating(agreement)
        expected[worst.label if worst else NO_RETURNS] += 1
    ratings = table(sections["partners"], "agreements-rating")
    assert {r[0]["label"]: r[1].value for r in ratings.rows} == expected
    listed = [s for s in Service.objects.all() if is_listed(s)]
    assert figure(sections["directory"], "services listed").value == len(listed) > 0
    stages = table(sections["volunteering"], "interests-stage")
    assert sum(r[1].value for r in stages.rows) == Interest.objects.count()
    figures = follow_every_link(client, response)
    assert len(figures) > 50


def test_demo_coordinator_sees_only_their_hubs(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    coordinator = User.objects.get(username="coordinator")
    theirs = set(Hub.objects.for_user(coordinator))
    others = set(Hub.objects.all()) - theirs
    assert theirs and others
    client.force_login(coordinator)

    response = client.get(URL)

    content = response.content.decode()
    assert set(response.context["sections"]) == {"hubs"}
    for hub in others:
        assert hub.name not in content
    follow_every_link(client, response)


def test_partner_contacts_group_holds_no_hub_permission():
    """The dashboard shows partner contacts no hub section because they lack the permission."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=PARTNER_CONTACT)
    assert not group.permissions.filter(codename="view_engagement").exists()


def test_past_months_are_cached_until_an_engagement_changes(client, officer, hub_a):
    client.force_login(officer)
    last_month = months_back(today(), 1)
    EngagementFactory(hub=hub_a, date=last_month, people=7, new_people=0)

    def people_last_month():
        monthly = client.get(URL).context["sections"]["hubs"]["tables"][0]
        label = last_month.strftime("%B %Y")
        return next(row[1].value for row in monthly.rows if row[0] == label)

    cold = _queries(client)
    with CaptureQueriesContext(connection) as warm:
        assert people_last_month() == 7
    added = EngagementFactory(hub=hub_a, date=last_month, people=5, new_people=0)
    after_adding = people_last_month()
    added.delete()

    assert len(warm) < cold
    assert after_adding == 12
    assert people_last_month() == 7
