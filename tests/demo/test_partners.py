from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from partners.models import Agreement, KpiReturn, Organisation, PolicyOutcome, overdue_returns
from partners.performance import Rating
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_loads_focus_areas_partners_and_agreements(seeded):
    assert set(PolicyOutcome.objects.values_list("focus_area", flat=True)) == {
        "Connected Neighbourhoods",
        "Connected Council",
        "Connected Partnerships",
    }
    assert PolicyOutcome.objects.count() == 4
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Basildon, Billericay & Wickford CVS", "Citizens Advice Basildon"} <= names
    assert Agreement.objects.filter(status=Agreement.Status.ACTIVE).count() == 5


def test_demo_has_two_years_of_returns_some_red_or_amber_and_one_overdue(seeded):
    ratings = {r.rating_value for r in KpiReturn.objects.with_rating()}
    quarters = set(KpiReturn.objects.values_list("financial_year", "quarter"))

    assert len(quarters) == 8
    assert {Rating.GOOD, Rating.APPROACHING, Rating.INADEQUATE} <= ratings
    overdue = overdue_returns(today=timezone.localdate())
    names = [(kpi.agreement.organisation.name, kpi.name) for kpi, _ in overdue]
    assert ("Basildon Youth Service", "Young people referred to other services") in names
    # The rest: the CVS's hub KPI, left for the partner to confirm (overdue once past the
    # grace period), never an older quarter.
    assert {name for _, name in names} <= {
        "Young people referred to other services",
        "People at sessions at the hubs it leads",
    }
    assert len({quarter for _, quarter in overdue}) == 1


def test_demo_partner_login_sees_only_the_cvs(seeded, client):
    assert "username 'partner', password 'demo-partner-2026'" in seeded
    assert sign_in(client, "partner", "demo-partner-2026").status_code == 302

    response = client.get("/admin/partners/agreement/")

    assert response.status_code == 200
    orgs = {a.organisation.name for a in response.context["cl"].result_list}
    assert orgs == {"Basildon, Billericay & Wickford CVS"}


def test_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = (Agreement.objects.count(), KpiReturn.objects.count())

    call_command("seed_demo", stdout=StringIO())

    assert (Agreement.objects.count(), KpiReturn.objects.count()) == counts
