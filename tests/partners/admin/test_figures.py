"""Money as £12,000 and figures as 4,416 or 55.8 in the admin's lists and read-only forms;
the CSV files keep plain numbers for spreadsheets."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    VolunteerHoursFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def cells(response):
    return response.content.decode()


def test_agreement_list_and_grant_list_show_money_in_pounds(officer_client):
    AgreementFactory(reference="SLA-1", annual_value=D("120000.00"))
    GrantFactory(reference="MG-1", amount=D("12000.50"))
    agreements = cells(officer_client.get(reverse("admin:partners_agreement_changelist")))
    grants = cells(officer_client.get(reverse("admin:partners_grant_changelist")))
    assert "£120,000" in agreements and "120000.00" not in agreements
    assert "Annual value" in agreements and "Annual value (£)" not in agreements
    assert "£12,000.50" in grants and "12000.50" not in grants


def test_money_columns_still_sort_by_the_amount(officer_client):
    GrantFactory(reference="MG-SMALL", amount=D("900"))
    GrantFactory(reference="MG-BIG", amount=D("15000"))
    url = reverse("admin:partners_grant_changelist")
    response = officer_client.get(url)
    column = response.context["cl"].list_display.index("amount_shown")
    page = cells(officer_client.get(url, {"o": str(column)}))
    assert page.index("£900") < page.index("£15,000")


def test_kpi_returns_list_writes_figures_one_way(officer_client):
    kpi = KpiFactory(name="People reached", target=D("4416"))
    KpiReturnFactory(kpi=kpi, value=D("55.80"), computed_value=D("1234.00"))
    page = cells(officer_client.get(reverse("admin:partners_kpireturn_changelist")))
    assert "55.8" in page and "55.80" not in page
    assert "4,416" in page
    inline = cells(officer_client.get(reverse("admin:partners_kpi_change", args=[kpi.pk])))
    assert "1,234" in inline and "1234.00" not in inline
    kpis = cells(officer_client.get(reverse("admin:partners_kpi_changelist")))
    assert "4,416" in kpis and "4416.00" not in kpis


def test_kpi_page_lists_its_returns_as_figures(officer_client):
    kpi = KpiFactory(target=D("10"))
    KpiReturnFactory(kpi=kpi, value=D("12.50"))
    page = cells(officer_client.get(reverse("admin:partners_kpi_change", args=[kpi.pk])))
    assert "12.5" in page and "12.50" not in page


def test_partner_contact_reads_their_agreement_value_in_pounds(
    client, partner_contact, partner_organisation
):
    agreement = AgreementFactory(organisation=partner_organisation, annual_value=D("45000"))
    client.force_login(partner_contact)
    page = cells(client.get(reverse("admin:partners_agreement_change", args=[agreement.pk])))
    assert "£45,000" in page and "45000.00" not in page


def test_officer_edits_the_value_as_a_plain_number(officer_client):
    agreement = AgreementFactory(annual_value=D("45000"))
    page = cells(
        officer_client.get(reverse("admin:partners_agreement_change", args=[agreement.pk]))
    )
    assert 'name="annual_value"' in page and 'value="45000.00"' in page


def test_volunteer_hours_list_writes_hours_as_figures(officer_client):
    VolunteerHoursFactory(hours=D("2.50"))
    page = cells(officer_client.get(reverse("admin:volunteering_volunteerhours_changelist")))
    assert 'field-hours_shown">2.5<' in page


def test_csv_exports_keep_plain_numbers(officer_client):
    AgreementFactory(annual_value=D("120000"))
    response = officer_client.get(reverse("admin:partners_agreement_export"))
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert row["Annual value (GBP)"] == "120000.00"
