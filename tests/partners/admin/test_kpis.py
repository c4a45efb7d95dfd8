"""KPI returns: recording, rating, the overdue page and the rating filter."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import KpiReturn
from partners.performance import Quarter
from tests.factories import (
    KpiFactory,
    KpiReturnFactory,
)
from tests.partners.admin.formdata import (
    previous_quarter,
)

pytestmark = pytest.mark.django_db


def test_officer_records_a_return_and_sees_it_rated(officer_client, officer):
    kpi = KpiFactory(name="People helped", target=Decimal("100"))
    quarter = previous_quarter()

    response = officer_client.post(
        reverse("admin:partners_kpireturn_add"),
        {
            "kpi": kpi.pk,
            "period": f"{quarter.year}-{quarter.number}",
            "value": "60",
            "commentary": "Staff sickness",
        },
    )

    assert response.status_code == 302
    saved = KpiReturn.objects.get()
    assert (saved.financial_year, saved.quarter, saved.value) == (
        quarter.year,
        quarter.number,
        Decimal("60"),
    )
    assert saved.submitted_by == officer
    page = officer_client.get(reverse("admin:partners_agreement_change", args=[kpi.agreement.pk]))
    html = page.content.decode()
    assert quarter.label in html
    assert '<span class="rag rag--red">Inadequate</span>' in html
    # Corrected to meet target, it turns green.
    saved.value = Decimal("100")
    saved.save()
    html = officer_client.get(
        reverse("admin:partners_agreement_change", args=[kpi.agreement.pk])
    ).content.decode()
    assert '<span class="rag rag--green">Good</span>' in html


def test_return_form_offers_quarters_in_financial_year_wording(officer_client):
    html = officer_client.get(reverse("admin:partners_kpireturn_add")).content.decode()

    assert "Q1 is April to June" in html
    this_quarter = Quarter.containing(timezone.localdate())
    assert this_quarter.label in html


def test_duplicate_return_shows_a_message_and_saves_nothing(officer_client):
    quarter = previous_quarter()
    existing = KpiReturnFactory(financial_year=quarter.year, quarter=quarter.number)

    response = officer_client.post(
        reverse("admin:partners_kpireturn_add"),
        {"kpi": existing.kpi.pk, "period": f"{quarter.year}-{quarter.number}", "value": "5"},
    )

    assert response.status_code == 200
    assert "A return for this KPI and quarter already exists" in response.content.decode()
    assert KpiReturn.objects.count() == 1


@pytest.mark.parametrize("period", ["2026-9", "abc", "1800-1", "2026-1\x00", "9" * 40, ""])
def test_bad_quarter_values_get_a_message_not_a_500(officer_client, period):
    kpi = KpiFactory()

    response = officer_client.post(
        reverse("admin:partners_kpireturn_add"), {"kpi": kpi.pk, "period": period, "value": "5"}
    )

    assert response.status_code == 200
    assert not KpiReturn.objects.exists()


def test_overdue_page_lists_missing_returns_with_a_link_to_record_them(officer_client, settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0
    kpi = KpiFactory(name="Groups supported")
    quarter = previous_quarter()

    response = officer_client.get(reverse("admin:partners_kpireturn_overdue"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Groups supported" in html
    assert quarter.label in html
    assert f"?kpi={kpi.pk}&amp;period={quarter.year}-{quarter.number}" in html


def test_record_link_prefills_the_return_form(officer_client):
    kpi = KpiFactory()
    quarter = previous_quarter()

    response = officer_client.get(
        reverse("admin:partners_kpireturn_add")
        + f"?kpi={kpi.pk}&period={quarter.year}-{quarter.number}"
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert str(form.initial["kpi"]) == str(kpi.pk)
    assert form.initial["period"] == f"{quarter.year}-{quarter.number}"


def test_kpi_return_list_filters_by_rating(officer_client):
    red = KpiReturnFactory(value=Decimal("10"))
    KpiReturnFactory(value=Decimal("100"))

    url = reverse("admin:partners_kpireturn_changelist")
    response = officer_client.get(url + "?rating=inadequate")

    assert list(response.context["cl"].result_list) == [red]
    assert "rag--red" in response.content.decode()
