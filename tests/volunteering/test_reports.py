"""The hours report: confirmed hours per month, organisation, hub and area."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AreaFactory,
    HubFactory,
    InterestFactory,
    OrganisationFactory,
    RoleFactory,
    VolunteerHoursFactory,
)
from volunteering import reports
from volunteering.models import VolunteerHours

pytestmark = pytest.mark.django_db

REPORT = reverse("volunteering_staff:hours_report")
RANGE = {
    "start_day": "1",
    "start_month": "1",
    "start_year": "2026",
    "end_day": "31",
    "end_month": "3",
    "end_year": "2026",
}


@pytest.fixture
def hours():
    hub = HubFactory(name="Greenwood")
    pitsea = AreaFactory(name="Pitsea", slug="pitsea")
    food_bank = OrganisationFactory(name="Food Bank")
    shift = InterestFactory(
        role=RoleFactory(organisation=food_bank, hub=hub, area=pitsea), status="placed"
    )
    phone = InterestFactory(
        role=RoleFactory(organisation=OrganisationFactory(name="CVS"), area=None, is_remote=True),
        status="placed",
    )
    VolunteerHoursFactory(
        interest=shift, date=datetime.date(2026, 1, 5), hours=3, confirmed_hours=3
    )
    VolunteerHoursFactory(
        interest=shift, date=datetime.date(2026, 2, 5), hours=4, confirmed_hours=Decimal("3.5")
    )
    VolunteerHoursFactory(interest=shift, date=datetime.date(2026, 2, 12), hours=5)  # unconfirmed
    VolunteerHoursFactory(
        interest=phone, date=datetime.date(2026, 2, 20), hours=1, confirmed_hours=1
    )
    VolunteerHoursFactory(
        interest=phone, date=datetime.date(2025, 12, 20), hours=9, confirmed_hours=9
    )  # outside the range
    return {"hub": hub}


def table(tables, slug):
    return next(t for t in tables if t.slug == slug)


def test_reports_count_confirmed_hours_and_show_logged_ones_apart(hours):
    tables = reports.build(
        VolunteerHours.objects.all(),
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
    )

    assert table(tables, "monthly").rows == [
        ["January 2026", 3, 1, 0],
        ["February 2026", 4.5, 2, 5],
        ["March 2026", 0, 0, 0],
    ]
    assert table(tables, "organisation").rows == [["Food Bank", 6.5, 1], ["CVS", 1, 1]]
    assert table(tables, "hub").rows == [["Greenwood", 6.5, 1], ["Not at a hub", 1, 1]]
    assert table(tables, "area").rows == [["Pitsea", 6.5, 1], ["From home (remote)", 1, 1]]


def test_each_volunteer_counts_once_and_the_queries_do_not_grow_with_them(hours):
    def build():
        with CaptureQueriesContext(connection) as queries:
            tables = reports.build(
                VolunteerHours.objects.all(),
                start=datetime.date(2026, 1, 1),
                end=datetime.date(2026, 3, 31),
            )
        return tables, len(queries)

    _, before = build()
    age_uk = OrganisationFactory(name="Age UK")
    for _ in range(3):
        interest = InterestFactory(role=RoleFactory(organisation=age_uk), status="placed")
        for day in (2, 9):
            VolunteerHoursFactory(
                interest=interest, date=datetime.date(2026, 3, day), hours=2, confirmed_hours=2
            )
    tables, after = build()

    assert after == before == 3
    assert table(tables, "organisation").rows == [
        ["Age UK", 12, 3],
        ["Food Bank", 6.5, 1],
        ["CVS", 1, 1],
    ]
    assert table(tables, "monthly").rows[2] == ["March 2026", 12, 3, 0]


def test_report_page_shows_chart_table_and_totals(
    officer_client, hours, django_assert_max_num_queries
):
    with django_assert_max_num_queries(15):
        response = officer_client.get(REPORT, RANGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "Confirmed hours by organisation" in html
    assert '<span class="cc-figure__number">7.5</span> hours confirmed' in html
    assert '<span class="cc-figure__number">5</span> hours awaiting confirmation' in html


def test_report_filters_by_hub(officer_client, hours):
    response = officer_client.get(REPORT, {**RANGE, "hub": hours["hub"].pk})

    assert table(response.context["tables"], "organisation").rows == [["Food Bank", 6.5, 1]]


@pytest.mark.parametrize(
    "params, message",
    [
        ({**RANGE, "start_month": "13"}, "Enter a real start date"),
        ({**RANGE, "end_year": "2025"}, "The end date must be the same as or after"),
        ({**RANGE, "hub": "999999"}, "Choose one of your hubs"),
    ],
)
def test_bad_report_filters_get_a_message(officer_client, params, message):
    response = officer_client.get(REPORT, params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["tables"] is None


def test_report_csv_has_the_rows_shown(officer_client, hours):
    response = officer_client.get(
        reverse("volunteering_staff:hours_export", args=["organisation"]), RANGE
    )

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Organisation", "Confirmed hours", "Volunteers"],
        ["Food Bank", "6.5", "1"],
        ["CVS", "1", "1"],
    ]
    assert "attachment" in response["Content-Disposition"]


def test_report_csv_for_an_unknown_table_or_bad_dates(officer_client):
    assert (
        officer_client.get(reverse("volunteering_staff:hours_export", args=["nothing"])).status_code
        == 404
    )
    assert (
        officer_client.get(
            reverse("volunteering_staff:hours_export", args=["monthly"]), {"start_day": "x"}
        ).status_code
        == 400
    )


def test_partner_contacts_see_only_their_organisations_hours(
    client, partner_contact, partner_organisation, hours
):
    own = InterestFactory(role=RoleFactory(organisation=partner_organisation), status="placed")
    VolunteerHoursFactory(interest=own, date=datetime.date(2026, 3, 3), hours=2, confirmed_hours=2)
    client.force_login(partner_contact)

    response = client.get(REPORT, RANGE)

    assert table(response.context["tables"], "organisation").rows == [["Basildon CVS", 2, 1]]
