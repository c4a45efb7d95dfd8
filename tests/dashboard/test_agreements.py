"""The partner agreements section."""

import datetime

import pytest

from dashboard.figures import NO_RETURNS
from partners.models import Agreement
from partners.performance import Quarter, Rating, missing_quarters
from tests.dashboard.pages import (
    URL,
    agreement_with,
    figure,
    follow_every_link,
    section,
    table,
    today,
    worst_latest_rating,
)
from tests.factories import (
    InterestFactory,
    RoleFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreements(partner_organisation):
    day = today()
    return [
        # Latest return counts: Inadequate once, Good now.
        agreement_with(
            [(100, "higher", [(2024, 1, 10), (2024, 2, 100)])],
            organisation=partner_organisation,
        ),
        # The worst of two KPIs: Good and Approaching (lower is better: 105 against 100).
        agreement_with([(100, "higher", [(2024, 1, 120)]), (100, "lower", [(2024, 1, 105)])]),
        # A later financial year beats a higher quarter number.
        agreement_with([(100, "higher", [(2024, 4, 100), (2025, 1, 80)])]),
        agreement_with([(100, "higher", [(2024, 1, 50)])], status="under_review"),
        agreement_with([(100, "higher", [])]),  # no returns yet
        agreement_with([(100, "higher", [(2024, 1, 0)])], status="ended"),  # not live
        agreement_with([], status="draft", end_date=day + datetime.timedelta(days=30)),
        agreement_with(
            [],
            review_date=day + datetime.timedelta(days=10),
            start_date=day - datetime.timedelta(days=10),
        ),
        agreement_with([], status="ended", end_date=day + datetime.timedelta(days=5)),
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


def test_reminder_and_overdue_figure_agree_and_each_links_to_its_rows(officer_client, settings):
    """Issue 25: "2 2026-27 Q2 KPI returns are overdue" stood beside "4 KPI returns overdue"
    with nothing to say how they relate, and the 2 linked to no list of two."""
    settings.PARTNERS_RETURN_GRACE_DAYS = 0  # last quarter's returns are overdue today
    settings.PARTNERS_RETURN_REMINDER_DAYS = 0
    last = Quarter.containing(today()).previous()
    agreement_with(
        [(100, "higher", []), (50, "higher", [])],
        start_date=last.previous().start,
        end_date=last.start.replace(year=last.start.year + 3),
    )
    response = officer_client.get(URL)
    partners = section(response, "partners")
    reminder = partners["reminder"]
    overdue = figure(partners, "KPI returns overdue")
    assert (reminder["count"], overdue.value) == (2, 4)
    assert reminder["quarter"] == last and reminder["overdue"]
    content = response.content.decode()
    assert f"2 {last.label} KPI returns</a> are overdue" in content
    assert "2 of the 4 KPI returns overdue in all quarters" in content
    figures = follow_every_link(officer_client, response)  # each list holds its figure's rows
    assert reminder["figure"] in figures
    listed = officer_client.get(reminder["figure"].url)
    assert {item["quarter"] for item in listed.context["items"]} == {last}


def test_overdue_list_ignores_a_quarter_it_cannot_read(officer_client):
    for text in ["2026-5", "abcd-1", "2026-12", "-1", "2026-", "9999-4", "0000-1", "２０２６-1"]:
        response = officer_client.get("/admin/partners/kpireturn/overdue/", {"quarter": text})
        assert response.status_code == 200, text
        assert response.context["title"] == "Overdue KPI returns"
