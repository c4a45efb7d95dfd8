"""Issue 11's "done when", on the demo data: the lead partner of the two hubs sees its
engagement KPI pre-filled for last quarter, confirms it, and the officer sees it rated;
another partner's login cannot see it."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from core.roles import PARTNER_CONTACT
from hubs.models import Engagement, Hub
from partners.forms import quarter_value
from partners.models import Kpi, KpiReturn, Organisation, PartnerMembership
from partners.performance import Quarter, rate
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def people_from_the_rows(organisation, quarter):
    """Counted the long way: every engagement row, in Python."""
    return sum(
        e.people
        for e in Engagement.objects.select_related("hub", "activity")
        if quarter.start <= e.date <= quarter.end
        and (
            e.hub.lead_partner_id == organisation.pk
            or (e.activity is not None and e.activity.run_by_id == organisation.pk)
        )
    )


def test_lead_partner_confirms_its_prefilled_engagement_kpi_and_the_officer_sees_it_rated(
    demo, client
):
    leads = {hub.lead_partner for hub in Hub.objects.filter(status=Hub.Status.OPEN)}
    assert len(leads) == 1
    lead = leads.pop()
    kpi = Kpi.objects.get(agreement__organisation=lead, measure="hub_people")
    last_quarter = Quarter.containing(timezone.localdate()).previous()
    expected = people_from_the_rows(lead, last_quarter)
    assert expected > 0
    assert not kpi.returns.filter(
        financial_year=last_quarter.year, quarter=last_quarter.number
    ).exists()
    assert PartnerMembership.objects.filter(user__username="partner", organisation=lead).exists()

    # The partner signs in and finds the return pre-filled on their page and on the form.
    assert sign_in(client, "partner", "demo-partner-2026").status_code == 302
    page = client.get(reverse("kpi_returns")).content.decode()
    assert kpi.name in page
    assert f"Pre-filled: <strong>{expected:,} people</strong>" in page
    form_url = (
        f"{reverse('admin:partners_kpireturn_add')}?kpi={kpi.pk}"
        f"&period={quarter_value(last_quarter)}"
    )
    form = client.get(form_url)
    assert form.context["adminform"].form.initial["value"] == expected

    # They confirm it.
    response = client.post(
        reverse("admin:partners_kpireturn_add"),
        {"kpi": kpi.pk, "period": quarter_value(last_quarter), "value": expected},
    )
    assert response.status_code == 302
    saved = KpiReturn.objects.get(
        kpi=kpi, financial_year=last_quarter.year, quarter=last_quarter.number
    )
    assert saved.value == saved.computed_value == expected
    assert saved.submitted_by.username == "partner"

    # The officer sees it rated on the agreement page.
    client.force_login(User.objects.get(username="officer"))
    agreement_page = client.get(
        reverse("admin:partners_agreement_change", args=[kpi.agreement.pk])
    ).content.decode()
    rating = rate(expected, kpi.target, kpi.direction)
    assert (
        f'{expected:,} people<br><span class="rag rag--{rating.colour}">{rating.label}</span>'
        in agreement_page
    )


def test_another_partners_login_cannot_see_the_lead_partners_kpi(demo, client):
    kpi = Kpi.objects.get(measure="hub_people")
    other = User.objects.create_user("advice-partner", password="x", is_staff=True)
    other.groups.add(*other.groups.model.objects.filter(name=PARTNER_CONTACT))
    PartnerMembership.objects.create(
        user=other, organisation=Organisation.objects.get(slug="citizens-advice-basildon")
    )
    client.force_login(other)

    returns_page = client.get(reverse("kpi_returns"))
    kpi_page = client.get(reverse("admin:partners_kpi_change", args=[kpi.pk]))
    return_page = client.get(
        reverse("admin:partners_kpireturn_change", args=[kpi.returns.first().pk])
    )

    assert returns_page.status_code == 200
    assert "Advice services for Basildon residents" in returns_page.content.decode()
    assert kpi.name not in returns_page.content.decode()
    assert kpi_page.status_code == 404
    assert return_page.status_code == 404
