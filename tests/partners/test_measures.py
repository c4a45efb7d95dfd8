"""KPI measures: figures computed from hub, volunteering and directory records, checked
against independent counts over the same rows."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from hubs.models import Engagement, Referral
from partners.measures import compute, compute_one
from partners.performance import Measure, Quarter
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    EngagementFactory,
    HubFactory,
    InterestFactory,
    KpiFactory,
    OrganisationFactory,
    RoleFactory,
    ServiceFactory,
    VolunteerHoursFactory,
)
from volunteering.models import Interest
from volunteering.services import move_interest

pytestmark = pytest.mark.django_db

Q = Quarter(2025, 2)  # 1 July to 30 September 2025
TODAY = datetime.date(2026, 1, 10)


def kpi_for(org, measure):
    return KpiFactory(agreement=AgreementFactory(organisation=org), measure=measure)


@pytest.fixture
def hubs_world():
    """The CVS leads hub A; hub B is led by someone else but the CVS runs an activity there;
    at hub A one activity is run by the CVS itself (its sessions must count once)."""
    cvs, other = OrganisationFactory(name="CVS"), OrganisationFactory(name="Other")
    hub_a, hub_b = HubFactory(lead_partner=cvs), HubFactory(lead_partner=other)
    hub_c = HubFactory(lead_partner=None)
    own_activity = ActivityFactory(hub=hub_a, run_by=cvs)
    plain_activity = ActivityFactory(hub=hub_a)
    cvs_at_b = ActivityFactory(hub=hub_b, run_by=cvs)
    others_at_b = ActivityFactory(hub=hub_b, run_by=other)
    cvs_at_c = ActivityFactory(hub=hub_c, run_by=cvs)
    rows = [
        (own_activity, "2025-07-01", 12, 3),
        (plain_activity, "2025-09-30", 8, 1),
        (None, "2025-08-15", 5, 5),  # a drop-in at hub A
        (cvs_at_b, "2025-08-01", 20, 4),
        (cvs_at_c, "2025-08-02", 6, 0),
        (others_at_b, "2025-08-01", 50, 10),  # not the CVS's
        (own_activity, "2025-06-30", 99, 9),  # the quarter before
        (cvs_at_b, "2025-10-01", 77, 7),  # the quarter after
    ]
    for activity, day, people, new in rows:
        EngagementFactory(
            hub=activity.hub if activity else hub_a,
            activity=activity,
            date=datetime.date.fromisoformat(day),
            people=people,
            new_people=new,
        )
    return cvs, other


def independent_engagements(org, start, end):
    rows = [
        e
        for e in Engagement.objects.select_related("hub", "activity")
        if start <= e.date <= end
        and (e.hub.lead_partner_id == org.pk or (e.activity and e.activity.run_by_id == org.pk))
    ]
    return sum(e.people for e in rows), sum(e.new_people for e in rows), len(rows)


def test_engagement_measures_count_its_hubs_and_its_activities_elsewhere_once(hubs_world):
    cvs, other = hubs_world
    people, new, sessions = independent_engagements(cvs, Q.start, Q.end)
    kpis = {m: kpi_for(cvs, m) for m in (Measure.HUB_PEOPLE, Measure.HUB_NEW_PEOPLE)}
    kpis[Measure.HUB_SESSIONS] = kpi_for(cvs, Measure.HUB_SESSIONS)
    others = kpi_for(other, Measure.HUB_PEOPLE)

    figures = compute([*kpis.values(), others], Q, TODAY)

    assert (people, new, sessions) == (51, 13, 5)
    assert figures[kpis[Measure.HUB_PEOPLE].pk].value == people
    assert figures[kpis[Measure.HUB_NEW_PEOPLE].pk].value == new
    assert figures[kpis[Measure.HUB_SESSIONS].pk].value == sessions
    note = figures[kpis[Measure.HUB_PEOPLE].pk].note
    assert note == (
        "51 people (13 new) at 5 sessions from 1 July 2025 to 30 September 2025: "
        "3 sessions at the 1 hub it leads and 2 sessions of activities it runs at other hubs."
    )
    assert figures[others.pk].value == sum(
        e.people
        for e in Engagement.objects.filter(hub__lead_partner=other, date__year=2025)
        if Q.start <= e.date <= Q.end
    )


def test_a_quarter_in_progress_counts_up_to_today(hubs_world):
    cvs, _ = hubs_world
    kpi = kpi_for(cvs, Measure.HUB_PEOPLE)
    mid_august = datetime.date(2025, 8, 1)

    computed = compute_one(kpi, Q, today=mid_august)

    assert computed.value == independent_engagements(cvs, Q.start, mid_august)[0] == 12 + 20
    assert "from 1 July 2025 to 1 August 2025" in computed.note
    assert compute_one(kpi, Quarter(2025, 3), today=mid_august) is None  # not started


def test_an_organisation_with_no_records_gets_zero_and_says_so():
    kpi = kpi_for(OrganisationFactory(), Measure.HUB_SESSIONS)

    computed = compute_one(kpi, Q, TODAY)

    assert computed.value == 0
    assert "no sessions logged" in computed.note


def test_unlinked_kpis_get_no_figure():
    kpi = KpiFactory(measure="")
    assert compute([kpi], Q, TODAY) == {}


def test_referrals_to_the_partner_in_the_quarter(hubs_world):
    cvs, other = hubs_world
    inside = Engagement.objects.filter(date=datetime.date(2025, 8, 1))
    Referral.objects.create(engagement=inside[0], organisation=cvs, count=3)
    Referral.objects.create(engagement=inside[1], organisation=cvs, count=2)
    Referral.objects.create(engagement=inside[0], organisation=other, count=9)
    Referral.objects.create(
        engagement=Engagement.objects.get(date=datetime.date(2025, 10, 1)),
        organisation=cvs,
        count=40,
    )
    kpi = kpi_for(cvs, Measure.HUB_REFERRALS)
    expected = sum(
        r.count
        for r in Referral.objects.select_related("engagement").filter(organisation=cvs)
        if Q.start <= r.engagement.date <= Q.end
    )

    computed = compute_one(kpi, Q, TODAY)

    assert computed.value == expected == 5
    assert computed.note.startswith("5 people referred or signposted to the organisation from 2 ")


def test_confirmed_volunteer_hours_at_its_roles_only():
    cvs, other = OrganisationFactory(), OrganisationFactory()
    mine = InterestFactory(role=RoleFactory(organisation=cvs), status="placed")
    theirs = InterestFactory(role=RoleFactory(organisation=other), status="placed")
    for interest, day, hours, confirmed in [
        (mine, "2025-07-05", "3.00", "2.50"),
        (mine, "2025-09-30", "4.00", "4.00"),
        (mine, "2025-08-01", "6.00", None),  # not confirmed yet
        (mine, "2025-10-01", "5.00", "5.00"),  # next quarter
        (theirs, "2025-08-01", "7.00", "7.00"),
    ]:
        VolunteerHoursFactory(
            interest=interest,
            date=datetime.date.fromisoformat(day),
            hours=Decimal(hours),
            confirmed_hours=Decimal(confirmed) if confirmed else None,
        )
    kpi = kpi_for(cvs, Measure.VOLUNTEER_HOURS)

    computed = compute_one(kpi, Q, TODAY)

    assert computed.value == Decimal("6.50")
    assert computed.note.startswith("6.5 confirmed hours given by 1 volunteer in its roles")
    assert "not yet confirmed" in computed.note


def test_placements_count_each_volunteer_once_when_placed_in_the_quarter(monkeypatch):
    cvs = OrganisationFactory()
    role = RoleFactory(organisation=cvs)
    placed_twice, placed_once, never = (InterestFactory(role=role) for _ in range(3))
    other = InterestFactory(role=RoleFactory())

    def at(*moment):
        aware = timezone.make_aware(datetime.datetime(*moment))
        monkeypatch.setattr(timezone, "now", lambda: aware)

    at(2025, 8, 1, 12)
    for interest in (placed_twice, placed_once, other):
        move_interest(interest=interest, to_status=Interest.Status.PLACED)
    move_interest(interest=placed_twice, to_status=Interest.Status.NOT_PROGRESSED)
    move_interest(interest=placed_twice, to_status=Interest.Status.PLACED)
    move_interest(interest=never, to_status=Interest.Status.CONTACTED)
    at(2025, 10, 1, 0, 30)  # local time: the next quarter
    move_interest(interest=never, to_status=Interest.Status.PLACED)
    monkeypatch.undo()
    kpi = kpi_for(cvs, Measure.PLACEMENTS)

    assert compute_one(kpi, Q, TODAY).value == 2
    assert compute_one(kpi, Quarter(2025, 3), TODAY).value == 1


def test_directory_measures_count_published_services_and_the_share_reviewed():
    cvs = OrganisationFactory()
    today = datetime.date(2026, 1, 10)
    ServiceFactory(organisation=cvs, last_reviewed=today - datetime.timedelta(days=30))
    ServiceFactory(organisation=cvs, last_reviewed=today - datetime.timedelta(days=400))
    ServiceFactory(organisation=cvs, last_reviewed=None)
    ServiceFactory(organisation=cvs, publication="draft", last_reviewed=today)
    ServiceFactory(organisation=OrganisationFactory(), last_reviewed=today)
    published = kpi_for(cvs, Measure.SERVICES_PUBLISHED)
    reviewed = kpi_for(cvs, Measure.SERVICES_REVIEWED)

    figures = compute([published, reviewed], Q, today)

    assert figures[published.pk].value == 3
    assert figures[reviewed.pk].value == Decimal("33.3")
    assert figures[reviewed.pk].note == (
        "1 of 3 published services reviewed in the 12 months to 10 January 2026."
    )


def test_every_agreement_in_a_quarter_takes_the_same_few_queries(
    hubs_world, django_assert_max_num_queries
):
    def agreements(n):
        kpis = []
        for _ in range(n):
            org = OrganisationFactory()
            HubFactory(lead_partner=org)
            kpis += [kpi_for(org, m) for m in Measure]
        return kpis

    few, many = agreements(2), agreements(25)
    with django_assert_max_num_queries(7):
        small = compute(few, Q, TODAY)
    with django_assert_max_num_queries(7):
        large = compute(many, Q, TODAY)
    assert len(small) == 2 * len(Measure) and len(large) == 25 * len(Measure)


def test_every_measure_is_counted_by_exactly_one_registered_counter():
    """Partners names the measures; the apps that keep the records count them. A measure no
    app registers would pre-fill nothing, silently."""
    from partners.measures import _COUNTERS

    counted = [measure for measures, _ in _COUNTERS for measure in measures]
    assert sorted(counted) == sorted(Measure.values)


def test_a_registered_counter_is_asked_only_for_organisations_with_its_measures(db):
    from partners.measures import _COUNTERS, Period, register_counter

    calls = []

    def counter(org_ids, period):
        calls.append((set(org_ids), period))
        return {}

    before = list(_COUNTERS)
    try:
        register_counter({"made_up"}, counter)
        kpi = KpiFactory(measure=Measure.HUB_PEOPLE)
        compute([kpi], Quarter(2026, 1), today=datetime.date(2026, 5, 1))
        assert calls == []
        kpi.measure = "made_up"
        compute([kpi], Quarter(2026, 1), today=datetime.date(2026, 5, 1))
        org = kpi.agreement.organisation_id
        assert calls == [
            (
                {org},
                Period(
                    datetime.date(2026, 4, 1), datetime.date(2026, 5, 1), datetime.date(2026, 5, 1)
                ),
            )
        ]
    finally:
        _COUNTERS[:] = before
