import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from partners import exports
from partners.models import Agreement, Grant, Objective
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
    PolicyOutcomeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(settings):
    settings.PARTNERS_360G_PREFIX = "360G-basildon-"
    settings.PARTNERS_FUNDER_ORG_ID = "GB-LAE-BAI"
    settings.PARTNERS_FUNDER_NAME = "Basildon Borough Council"
    org = OrganisationFactory(
        name="Citizens Advice Basildon",
        charity_number="1070589",
        company_number="03599612",
        postcode="SS14 1EJ",
    )
    return GrantFactory(
        reference="CG-002",
        title="Debt advice outreach",
        programme="Community grants",
        organisation=org,
        amount=Decimal("12000.00"),
        award_date=dt.date(2026, 10, 26),
        purpose="A debt adviser at two hubs.",
    )


def test_360giving_json_has_every_required_field(grant):
    package = exports.grants_360giving(Grant.objects.all())

    assert list(package) == ["grants"]
    [item] = package["grants"]
    assert item["id"] == "360G-basildon-CG-002"
    assert item["title"] == "Debt advice outreach"
    assert item["description"] == "A debt adviser at two hubs."
    assert item["currency"] == "GBP"
    assert item["amountAwarded"] == 12000
    assert isinstance(item["amountAwarded"], int)
    assert item["awardDate"] == "2026-10-26"
    assert item["recipientOrganization"] == [
        {
            "id": "GB-CHC-1070589",
            "name": "Citizens Advice Basildon",
            "charityNumber": "1070589",
            "companyNumber": "03599612",
            "postalAddress": {"postalCode": "SS14 1EJ"},
        }
    ]
    assert item["fundingOrganization"] == [{"id": "GB-LAE-BAI", "name": "Basildon Borough Council"}]
    assert item["grantProgramme"] == [{"title": "Community grants"}]
    assert dt.datetime.fromisoformat(item["lastModified"])


def test_360giving_amounts_keep_their_pence(grant):
    grant.amount = Decimal("450.50")
    grant.save()

    [item] = exports.grants_360giving(Grant.objects.all())["grants"]

    assert item["amountAwarded"] == 450.5


def test_recipient_without_registered_numbers_gets_our_own_identifier(grant):
    org = OrganisationFactory(name="Twinning Association")
    GrantFactory(reference="MG-001", organisation=org)

    items = {g["id"]: g for g in exports.grants_360giving(Grant.objects.all())["grants"]}

    recipient = items["360G-basildon-MG-001"]["recipientOrganization"][0]
    assert recipient == {"id": f"360G-basildon-org-{org.uuid}", "name": "Twinning Association"}


def test_360giving_csv_uses_the_standard_column_titles(grant):
    rows = list(csv.DictReader(io.StringIO(exports.grants_360giving_csv(Grant.objects.all()))))

    assert rows == [
        {
            "Identifier": "360G-basildon-CG-002",
            "Title": "Debt advice outreach",
            "Description": "A debt adviser at two hubs.",
            "Currency": "GBP",
            "Amount Awarded": "12000",
            "Award Date": "2026-10-26",
            "Recipient Org:Identifier": "GB-CHC-1070589",
            "Recipient Org:Name": "Citizens Advice Basildon",
            "Recipient Org:Charity Number": "1070589",
            "Recipient Org:Company Number": "03599612",
            "Recipient Org:Postal Code": "SS14 1EJ",
            "Funding Org:Identifier": "GB-LAE-BAI",
            "Funding Org:Name": "Basildon Borough Council",
            "Grant Programme:Title": "Community grants",
            "Last Modified": rows[0]["Last Modified"],
        }
    ]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(grant):
    grant.title = '=HYPERLINK("http://evil")'
    grant.save()

    text = exports.grants_360giving_csv(Grant.objects.all())

    assert "'=HYPERLINK" in text


def test_officer_downloads_360giving_from_the_admin(officer_client, grant):
    as_json = officer_client.get(reverse("admin:partners_grant_360giving_json"))
    as_csv = officer_client.get(reverse("admin:partners_grant_360giving_csv"))
    action = officer_client.post(
        reverse("admin:partners_grant_changelist"),
        {"action": "export_360giving_json", "_selected_action": [grant.pk]},
    )

    assert as_json["Content-Type"] == "application/json"
    assert json.loads(as_json.content)["grants"][0]["id"] == "360G-basildon-CG-002"
    assert as_csv["Content-Disposition"] == 'attachment; filename="grants-360giving.csv"'
    assert json.loads(action.content)["grants"][0]["title"] == "Debt advice outreach"


def test_agreements_csv_has_latest_return_rating_and_overdue_quarters(settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0
    agreement = AgreementFactory(
        reference="SLA-001",
        title="Advice",
        start_date=dt.date(2026, 4, 1),
        end_date=dt.date(2027, 3, 31),
        annual_value=Decimal("120000"),
    )
    outcome = PolicyOutcomeFactory(name="Help")
    Objective.objects.create(agreement=agreement, outcome=outcome, description="")
    kpi = KpiFactory(agreement=agreement, name="People advised", target=Decimal("100"))
    KpiReturnFactory(kpi=kpi, financial_year=2026, quarter=1, value=Decimal("80"))
    AgreementFactory(reference="SLA-002", title="No KPIs yet")

    agreements = Agreement.objects.order_by("reference")
    text = exports.agreements_csv(agreements, today=dt.date(2026, 10, 2))
    rows = list(csv.DictReader(io.StringIO(text)))

    assert [r["Reference"] for r in rows] == ["SLA-001", "SLA-002"]
    first = rows[0]
    assert first["Annual value (GBP)"] == "120000.00"
    assert first["Outcomes"] == "Connected Neighbourhoods: Help"
    assert first["KPI"] == "People advised"
    assert first["Latest quarter"] == "2026-27 Q1"
    assert first["Latest value"] == "80.00"
    assert first["Latest rating"] == "Requires improvement"
    assert first["Overdue quarters"] == "2026-27 Q2"
    assert rows[1]["KPI"] == ""


def test_agreements_csv_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    for _ in range(6):
        KpiReturnFactory(kpi=KpiFactory())

    with django_assert_max_num_queries(7):
        text = exports.agreements_csv(Agreement.objects.all(), today=dt.date(2026, 10, 2))

    assert text.count("\n") == 7


def test_officer_exports_agreements_from_the_admin(officer_client):
    AgreementFactory(reference="SLA-777")

    response = officer_client.get(reverse("admin:partners_agreement_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "SLA-777" in response.content.decode()
