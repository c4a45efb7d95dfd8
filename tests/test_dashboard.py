"""The staff dashboard (/staff/): figures against independent counts, scoping, links, queries.

Independent counts are plain Python over the rows (loops, `partners.performance.rate`,
`volunteering.pipeline.flag`), never the dashboard's own querysets. Every linked figure is
followed as the same user, and the admin list behind it must hold exactly that many records.
"""

import datetime
import html
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from dashboard.figures import NO_RETURNS
from dashboard.views import linked_figures
from directory import cache as search_cache
from directory.models import Service, Suggestion, TaxonomyTerm
from hubs import cache as engagement_cache
from hubs.models import Engagement, Hub
from partners.models import Agreement
from partners.performance import Quarter, Rating, missing_quarters, rate
from tests.conftest import sign_in
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    EngagementFactory,
    HubCoordinatorFactory,
    HubFactory,
    InterestFactory,
    KpiFactory,
    KpiReturnFactory,
    LocationFactory,
    OrganisationFactory,
    RoleFactory,
    ServiceFactory,
    SuggestionFactory,
    TaxonomyTermFactory,
    UserFactory,
    VolunteerHoursFactory,
)
from volunteering import pipeline
from volunteering.models import Interest, VolunteerHours

pytestmark = pytest.mark.django_db
URL = "/staff/"
D = Decimal


def today():
    return timezone.localdate()


def month_start(day):
    return day.replace(day=1)


def months_back(day, n):
    """The first day of the month n months before day's month."""
    year, month = divmod(day.year * 12 + day.month - 1 - n, 12)
    return datetime.date(year, month + 1, 1)


# --- Independent counts ---------------------------------------------------------------------


def engagement_totals(engagements, start, end):
    rows = [e for e in engagements if start <= e.date <= end]
    return sum(e.people for e in rows), sum(e.new_people for e in rows), len(rows)


def worst_latest_rating(agreement):
    """The RAG an agreement should have: the worst rating among its KPIs' latest returns."""
    order = list(Rating)
    worst = None
    for kpi in agreement.kpis.all():
        returns = sorted(kpi.returns.all(), key=lambda r: (r.financial_year, r.quarter))
        if returns:
            rating = rate(returns[-1].value, kpi.target, kpi.direction)
            if worst is None or order.index(rating) > order.index(worst):
                worst = rating
    return worst


def is_listed(service):
    return service.publication == "published" and service.status in (
        "active",
        "temporarily closed",
    )


def towns_of(service):
    towns = set()
    for location in service.locations.all():
        if location.area_id:
            towns.add(location.area.parent_id or location.area_id)
    return towns


# --- Reading the page -----------------------------------------------------------------------


def section(response, name):
    return response.context["sections"][name]


def figure(section_data, label_start):
    found = [f for f, label in section_data["figures"] if label.startswith(label_start)]
    assert len(found) == 1, (label_start, [label for _, label in section_data["figures"]])
    return found[0]


def table(section_data, slug):
    return next(t for t in section_data["tables"] if t.slug == slug)


def row(table_data, label):
    rows = [*table_data.rows, *([table_data.total] if table_data.total else [])]
    found = [r for r in rows if (r[0]["label"] if isinstance(r[0], dict) else r[0]) == label]
    assert len(found) == 1, label
    return found[0]


def values(cells):
    return [cell.value for cell in cells]


def follow_every_link(client, response):
    """Open every linked figure as the same user: the list must hold exactly its records."""
    content = response.content.decode()
    figures = list(linked_figures(response.context["sections"]))
    assert figures
    for fig in figures:
        assert html.escape(fig.url) in content, fig.url
        page = client.get(fig.url)
        assert page.status_code == 200, fig.url
        if "cl" in page.context:
            cl = page.context["cl"]
            assert "e=1" not in page.request["QUERY_STRING"], fig.url  # an ignored filter
            assert cl.result_count == fig.list_count, (fig.url, cl.result_count, fig)
        else:  # the overdue returns page
            assert len(page.context["items"]) == fig.list_count, fig.url
    return figures


# --- Access ---------------------------------------------------------------------------------


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


# --- Hub engagements ------------------------------------------------------------------------


@pytest.fixture
def engagements(hub_a, hub_b):
    day = today()
    last_month = months_back(day, 1)
    return [
        EngagementFactory(hub=hub_a, date=day, people=12, new_people=3),
        EngagementFactory(hub=hub_a, date=month_start(day), people=5, new_people=1),
        EngagementFactory(hub=hub_a, date=last_month, people=8, new_people=0),
        EngagementFactory(hub=hub_b, date=day, people=777, new_people=70),
        EngagementFactory(hub=hub_b, date=months_back(day, 11), people=9, new_people=2),
        # Outside the 12 months: a month too old.
        EngagementFactory(hub=hub_b, date=months_back(day, 12), people=1000, new_people=0),
    ]


def test_officer_sees_this_month_and_twelve_months_per_hub_and_borough_total(
    officer_client, engagements, hub_a, hub_b
):
    day = today()
    start = months_back(day, 11)
    all_rows = list(Engagement.objects.all())

    response = officer_client.get(URL)

    assert response.status_code == 200
    hubs = section(response, "hubs")
    people, new, sessions = engagement_totals(all_rows, month_start(day), day)
    assert [f.value for f, _ in hubs["figures"]] == [people, new, sessions] == [794, 74, 3]
    monthly = table(hubs, "engagements-monthly")
    assert len(monthly.rows) == 12
    assert values(monthly.rows[-1][1:]) == [people, new, sessions]
    assert values(monthly.rows[0][1:]) == list(
        engagement_totals(all_rows, start, start.replace(day=28))
    )
    by_hub = table(hubs, "engagements-hubs")
    for hub in (hub_a, hub_b):
        hub_rows = [e for e in all_rows if e.hub_id == hub.pk]
        m_people, _, m_sessions = engagement_totals(hub_rows, month_start(day), day)
        y_people, _, y_sessions = engagement_totals(hub_rows, start, day)
        assert values(row(by_hub, hub.name)[1:]) == [m_people, m_sessions, y_people, y_sessions]
    y_people, _, y_sessions = engagement_totals(all_rows, start, day)
    assert values(row(by_hub, "Borough total")[1:]) == [people, sessions, y_people, y_sessions]
    assert y_people == 12 + 5 + 8 + 777 + 9  # the 1,000 a year ago are not counted
    content = response.content.decode()
    assert "Borough total" in content
    assert '<svg class="cc-chart__svg"' in content
    assert "People at hub sessions each month: Borough total" in content


def test_engagement_links_list_exactly_the_sessions_and_people(officer_client, engagements, hub_a):
    response = officer_client.get(URL)
    by_hub = table(section(response, "hubs"), "engagements-hubs")
    people = row(by_hub, hub_a.name)[3]  # people at hub A, 12 months

    page = officer_client.get(people.url)

    assert page.context["cl"].result_count == people.rows == 3
    assert page.context["cl"].queryset.aggregate(n=Sum("people"))["n"] == people.value == 25


def test_coordinator_sees_only_their_hub(client, coordinator_a, engagements, hub_a, hub_b):
    client.force_login(coordinator_a)

    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.context["sections"]) == {"hubs"}
    hubs = section(response, "hubs")
    assert [h.pk for h in hubs["hubs"]] == [hub_a.pk]
    assert [f.value for f, _ in hubs["figures"]] == [17, 4, 2]
    by_hub = table(hubs, "engagements-hubs")
    assert [r[0] for r in by_hub.rows] == [hub_a.name]
    assert by_hub.total is None
    content = response.content.decode()
    assert hub_b.name not in content
    assert "777" not in content and "Borough total" not in content
    for name in ("Partner agreements", "Directory coverage", "Volunteering"):
        assert name not in content
    follow_every_link(client, response)


def test_coordinator_of_two_hubs_gets_a_total_of_theirs_only(client, engagements, hub_a, hub_b):
    hub_c = HubFactory(name="Hub C", slug="hub-c")
    EngagementFactory(hub=hub_c, date=today(), people=40, new_people=0)
    user = UserFactory(username="two-hubs", groups=[COORDINATOR])
    HubCoordinatorFactory(user=user, hub=hub_a)
    HubCoordinatorFactory(user=user, hub=hub_c)
    client.force_login(user)

    response = client.get(URL)

    by_hub = table(section(response, "hubs"), "engagements-hubs")
    assert values(row(by_hub, "Your hubs")[1:3]) == [17 + 40, 3]
    assert hub_b.name not in response.content.decode()
    follow_every_link(client, response)


def test_coordinator_without_a_hub_is_told_so(client, coordinator):
    client.force_login(coordinator)

    response = client.get(URL)

    assert response.status_code == 200
    assert "You are not a coordinator of any hub yet" in response.content.decode()


# --- Partners -------------------------------------------------------------------------------


def _agreement_with(returns, **kwargs):
    """An agreement with one KPI per entry of `returns`: (target, direction, [(fy, q, value)])."""
    agreement = AgreementFactory(**kwargs)
    for target, direction, values_ in returns:
        kpi = KpiFactory(agreement=agreement, target=D(target), direction=direction)
        for fy, quarter, value in values_:
            KpiReturnFactory(kpi=kpi, financial_year=fy, quarter=quarter, value=D(value))
    return agreement


@pytest.fixture
def agreements(partner_organisation):
    day = today()
    return [
        # Latest return counts: Inadequate once, Good now.
        _agreement_with(
            [(100, "higher", [(2024, 1, 10), (2024, 2, 100)])],
            organisation=partner_organisation,
        ),
        # The worst of two KPIs: Good and Approaching (lower is better: 105 against 100).
        _agreement_with([(100, "higher", [(2024, 1, 120)]), (100, "lower", [(2024, 1, 105)])]),
        # A later financial year beats a higher quarter number.
        _agreement_with([(100, "higher", [(2024, 4, 100), (2025, 1, 80)])]),
        _agreement_with([(100, "higher", [(2024, 1, 50)])], status="under_review"),
        _agreement_with([(100, "higher", [])]),  # no returns yet
        _agreement_with([(100, "higher", [(2024, 1, 0)])], status="ended"),  # not live
        _agreement_with([], status="draft", end_date=day + datetime.timedelta(days=30)),
        _agreement_with(
            [],
            review_date=day + datetime.timedelta(days=10),
            start_date=day - datetime.timedelta(days=10),
        ),
        _agreement_with([], status="ended", end_date=day + datetime.timedelta(days=5)),
    ]


def test_officer_sees_agreements_by_rag_overdue_and_coming_up(officer_client, agreements):
    day = today()
    live = [a for a in Agreement.objects.all() if a.status in ("active", "under_review")]
    expected = {rating.label: 0 for rating in Rating} | {NO_RETURNS: 0}
    for agreement in live:
        worst = worst_latest_rating(agreement)
        expected[worst.label if worst else NO_RETURNS] += 1
    overdue = [
        (kpi, quarter)
        for a in live
        for kpi in a.kpis.all()
        for quarter in missing_quarters(
            a.start_date,
            a.end_date,
            {Quarter(r.financial_year, r.quarter) for r in kpi.returns.all()},
            day,
        )
    ]
    soon = day + datetime.timedelta(days=90)
    due = [
        a
        for a in Agreement.objects.all()
        if a.status != "ended"
        and (day <= a.end_date <= soon or (a.review_date and day <= a.review_date <= soon))
    ]

    response = officer_client.get(URL)

    partners = section(response, "partners")
    ratings = table(partners, "agreements-rating")
    assert {r[0]["label"]: r[1].value for r in ratings.rows} == expected
    assert expected == {
        "Good": 1,
        "Approaching target": 1,
        "Requires improvement": 1,
        "Inadequate": 1,
        NO_RETURNS: 2,
    }
    assert figure(partners, "live agreements").value == len(live) == 6
    assert figure(partners, "KPI returns overdue").value == len(overdue) > 0
    assert figure(partners, "agreements with overdue").value == len(
        {kpi.agreement_id for kpi, _ in overdue}
    )
    assert figure(partners, "ending or due").value == len(due) == 2
    assert [item["agreement"].pk for item in partners["due_shown"]] == sorted(
        (a.pk for a in due), key=lambda pk: Agreement.objects.get(pk=pk).end_date
    )
    content = response.content.decode()
    assert "Inadequate" in content and "No KPI returns yet" in content
    follow_every_link(officer_client, response)


def test_partner_contact_sees_only_their_agreements_and_volunteering(
    client, partner_contact, partner_organisation, agreements, engagements
):
    role = RoleFactory(organisation=partner_organisation, title="Our role")
    InterestFactory(role=role, status="placed")
    InterestFactory(role=RoleFactory(), status="placed", name="Someone else's volunteer")
    client.force_login(partner_contact)

    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.context["sections"]) == {"partners", "volunteering"}
    partners = section(response, "partners")
    assert figure(partners, "live agreements").value == 1
    ratings = table(partners, "agreements-rating")
    assert {r[0]["label"]: r[1].value for r in ratings.rows}["Good"] == 1
    assert figure(section(response, "volunteering"), "people placed").value == 1
    content = response.content.decode()
    assert "Hub engagements" not in content and "Directory coverage" not in content
    follow_every_link(client, response)


# --- Directory ------------------------------------------------------------------------------


@pytest.fixture
def directory_world():
    basildon = AreaFactory(name="Basildon", slug="basildon")
    ward = AreaFactory(name="Fryerns", slug="fryerns", kind="ward", parent=basildon)
    wickford = AreaFactory(name="Wickford", slug="wickford")
    AreaFactory(name="Laindon", slug="laindon")  # no services: a gap
    food = TaxonomyTermFactory(name="Food")
    money = TaxonomyTermFactory(name="Money")
    TaxonomyTermFactory(name="Digital skills")  # no services
    in_town = LocationFactory(area=basildon)
    in_ward = LocationFactory(area=ward)
    in_wickford = LocationFactory(area=wickford)
    unmapped = LocationFactory(area=None)
    old = today() - datetime.timedelta(days=400)
    ServiceFactory(categories=[food], locations=[in_town, in_ward])  # Basildon once
    ServiceFactory(categories=[food, money], locations=[in_ward, in_wickford])
    ServiceFactory(categories=[money], locations=[unmapped], last_reviewed=old)
    ServiceFactory(categories=[], locations=[], last_reviewed=None)
    ServiceFactory(categories=[food], status="temporarily closed", locations=[in_wickford])
    ServiceFactory(categories=[food], publication="draft", locations=[in_town])  # not listed
    ServiceFactory(categories=[money], status="defunct", last_reviewed=old)  # not listed
    SuggestionFactory()
    SuggestionFactory()
    SuggestionFactory(status="approved")


def test_officer_sees_directory_coverage(officer_client, directory_world):
    cutoff = today() - datetime.timedelta(days=365)
    listed = [s for s in Service.objects.all() if is_listed(s)]

    response = officer_client.get(URL)

    directory = section(response, "directory")
    assert figure(directory, "services listed").value == len(listed) == 5
    stale = [s for s in listed if s.last_reviewed is None or s.last_reviewed < cutoff]
    assert figure(directory, "not reviewed").value == len(stale) == 2
    pending = [s for s in Suggestion.objects.all() if s.status == "pending"]
    assert figure(directory, "suggestions waiting").value == len(pending) == 2
    by_category = table(directory, "services-category")
    for term in TaxonomyTerm.objects.all():
        count = sum(1 for s in listed if term in s.categories.all())
        assert row(by_category, term.name)[1].value == count
    assert row(by_category, "Digital skills")[1].value == 0
    assert row(by_category, "No category")[1].value == sum(
        1 for s in listed if not s.categories.exists()
    )
    by_area = table(directory, "services-area")
    towns = {t.pk: t.name for t in directory_world_towns()}
    for pk, name in towns.items():
        assert row(by_area, name)[1].value == sum(1 for s in listed if pk in towns_of(s))
    assert values(r[1] for r in by_area.rows) == [2, 0, 2, 2]  # Basildon, Laindon, Wickford, none
    assert row(by_area, "Not at a place in any area")[1].value == sum(
        1 for s in listed if not towns_of(s)
    )
    follow_every_link(officer_client, response)


def directory_world_towns():
    from directory.models import Area

    return Area.objects.filter(parent__isnull=True)


# --- Volunteering ---------------------------------------------------------------------------


@pytest.fixture
def volunteering_world(partner_organisation):
    now = timezone.now()
    day = today()
    role = RoleFactory(organisation=partner_organisation)
    long_ago = now - datetime.timedelta(days=70)
    InterestFactory(role=role)  # new, this month
    InterestFactory(role=role, created=long_ago, status_changed_at=long_ago)  # new, red
    InterestFactory(role=None, created=long_ago, status="contacted", status_changed_at=long_ago)
    placed = InterestFactory(role=role, status="placed", created=long_ago)
    other = InterestFactory(status="placed")
    InterestFactory(role=role, status="not_progressed")
    VolunteerHoursFactory(interest=placed, date=day, hours=D("3"), confirmed_hours=D("2.5"))
    VolunteerHoursFactory(interest=placed, date=day, hours=D("1.5"))
    VolunteerHoursFactory(
        interest=other, date=months_back(day, 3), hours=D("4"), confirmed_hours=D("4")
    )
    VolunteerHoursFactory(
        interest=other, date=months_back(day, 13), hours=D("6"), confirmed_hours=D("6")
    )


def test_officer_sees_the_volunteering_pipeline_and_hours(officer_client, volunteering_world):
    day = today()
    interests = list(Interest.objects.all())
    hours = list(VolunteerHours.objects.all())
    this_month = [i for i in interests if timezone.localtime(i.created).date() >= month_start(day)]
    waiting = [i for i in interests if pipeline.flag(i, day) and i.anonymised_at is None]

    response = officer_client.get(URL)

    volunteering = section(response, "volunteering")
    assert figure(volunteering, "new interests").value == len(this_month) == 3
    assert figure(volunteering, "waiting past").value == len(waiting) >= 2
    assert figure(volunteering, "people placed").value == 2
    stages = table(volunteering, "interests-stage")
    for status in Interest.Status:
        assert row(stages, status.label)[1].value == sum(1 for i in interests if i.status == status)
    confirmed_month = [
        h for h in hours if h.confirmed_hours is not None and h.date >= month_start(day)
    ]
    month_figure = figure(volunteering, "hours confirmed in " + day.strftime("%B"))
    assert month_figure.value == sum(h.confirmed_hours for h in confirmed_month) == 2.5
    assert month_figure.rows == len(confirmed_month)
    year = figure(volunteering, "hours confirmed in the last 12")
    assert year.value == 2.5 + 4
    assert figure(volunteering, "hours logged, awaiting").value == 1.5
    page = officer_client.get(year.url)
    assert page.context["cl"].queryset.aggregate(n=Sum("confirmed_hours"))["n"] == D("6.5")
    follow_every_link(officer_client, response)


# --- Query count ----------------------------------------------------------------------------


def _world(size):
    for n in range(size):
        hub = HubFactory()
        EngagementFactory(hub=hub, date=today())
        EngagementFactory(hub=hub, date=months_back(today(), 5))
        org = OrganisationFactory()
        _agreement_with(
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
    search_cache.invalidate()
    engagement_cache.ENGAGEMENTS.bump()
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


# --- The demo data --------------------------------------------------------------------------


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
