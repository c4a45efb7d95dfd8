"""What every partners admin page shares: odd parameters, a fixed number of queries, and
records scoped to a partner contact's organisations (another's is a 404).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from partners.models import KpiReturn
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
)
from tests.partners.admin.formdata import (
    agreement_data,
    previous_quarter,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["?status=nonsense", "?overdue=%00", "?rating=purple", "?p=9999"])
def test_odd_changelist_parameters_never_give_a_500(officer_client, query):
    for name in ("agreement", "kpireturn"):
        response = officer_client.get(reverse(f"admin:partners_{name}_changelist") + query)
        assert response.status_code in (200, 302, 400, 404)


# --- query counts ---------------------------------------------------------------------------


# Counts include the 4 queries every signed-in staff request costs: the second-factor device,
# and the sliding idle timeout's session save (savepoint, update, release).
@pytest.mark.parametrize(
    ("name", "make", "max_queries"),
    [
        ("organisation", lambda: OrganisationFactory(), 12),
        ("agreement", lambda: AgreementFactory(lead_officer=None), 15),
        ("kpi", lambda: KpiFactory(), 12),
        ("kpireturn", lambda: KpiReturnFactory(), 13),
        ("grant", lambda: GrantFactory(), 15),
    ],
)
def test_changelists_take_a_fixed_number_of_queries(
    officer_client, django_assert_max_num_queries, name, make, max_queries
):
    """Session, user, permissions, groups, counts, rows, filter choices: none per row."""
    for _ in range(12):
        make()
    url = reverse(f"admin:partners_{name}_changelist")

    with django_assert_max_num_queries(max_queries):
        response = officer_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 12


@pytest.fixture
def partner_client(client, partner_contact):
    client.force_login(partner_contact)
    return client


@pytest.fixture
def own_kpi(partner_organisation):
    return KpiFactory(agreement=AgreementFactory(organisation=partner_organisation, title="Ours"))


@pytest.fixture
def other_kpi(db):
    return KpiFactory(agreement=AgreementFactory(title="Theirs"))


def test_partner_contact_lists_only_their_organisations_records(partner_client, own_kpi, other_kpi):
    KpiReturnFactory(kpi=own_kpi)
    KpiReturnFactory(kpi=other_kpi)

    for name, expected in [
        ("agreement", {own_kpi.agreement}),
        ("kpi", {own_kpi}),
        ("organisation", {own_kpi.agreement.organisation}),
    ]:
        response = partner_client.get(reverse(f"admin:partners_{name}_changelist"))
        assert response.status_code == 200
        assert set(response.context["cl"].result_list) == expected
    returns = partner_client.get(reverse("admin:partners_kpireturn_changelist"))
    assert {r.kpi for r in returns.context["cl"].result_list} == {own_kpi}


def test_partner_contact_gets_404_for_another_organisations_records(
    partner_client, other_kpi, partner_organisation
):
    ret = KpiReturnFactory(kpi=other_kpi)
    for name, pk in [
        ("agreement", other_kpi.agreement.pk),
        ("kpi", other_kpi.pk),
        ("kpireturn", ret.pk),
        ("organisation", other_kpi.agreement.organisation.pk),
    ]:
        for view in ("change", "history"):
            response = partner_client.get(reverse(f"admin:partners_{name}_{view}", args=[pk]))
            assert response.status_code == 404, (name, view)
    version = other_kpi.agreement.history.first().history_id
    response = partner_client.get(
        reverse("admin:partners_agreement_simple_history", args=[other_kpi.agreement.pk, version])
    )
    assert response.status_code == 404


def test_partner_contact_reads_but_cannot_change_their_agreement(partner_client, own_kpi):
    agreement = own_kpi.agreement
    url = reverse("admin:partners_agreement_change", args=[agreement.pk])

    page = partner_client.get(url)
    response = partner_client.post(url, agreement_data(agreement.organisation, title="Hacked"))

    assert page.status_code == 200
    assert "Ours" in page.content.decode()
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.title == "Ours"
    assert partner_client.get(reverse("admin:partners_agreement_add")).status_code == 403


def test_partner_contact_submits_a_return_for_their_own_kpi(
    partner_client, partner_contact, own_kpi
):
    quarter = previous_quarter()

    response = partner_client.post(
        reverse("admin:partners_kpireturn_add"),
        {"kpi": own_kpi.pk, "period": f"{quarter.year}-{quarter.number}", "value": "95"},
    )

    assert response.status_code == 302
    assert KpiReturn.objects.get().submitted_by == partner_contact


def test_partner_contact_cannot_submit_a_return_for_another_organisation(partner_client, other_kpi):
    quarter = previous_quarter()

    response = partner_client.post(
        reverse("admin:partners_kpireturn_add"),
        {"kpi": other_kpi.pk, "period": f"{quarter.year}-{quarter.number}", "value": "95"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not KpiReturn.objects.exists()


def test_partner_contact_cannot_see_history(partner_client, own_kpi):
    url = reverse("admin:partners_agreement_history", args=[own_kpi.agreement.pk])

    assert partner_client.get(url).status_code == 403


def test_partner_contact_overdue_page_and_exports_show_only_their_own(
    partner_client, own_kpi, other_kpi, settings
):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0
    GrantFactory(organisation=own_kpi.agreement.organisation, title="Our grant")
    GrantFactory(organisation=other_kpi.agreement.organisation, title="Their grant")

    overdue = partner_client.get(reverse("admin:partners_kpireturn_overdue")).content.decode()
    csv_text = partner_client.get(reverse("admin:partners_agreement_export")).content.decode()
    grants = partner_client.get(reverse("admin:partners_grant_360giving_json")).json()

    assert own_kpi.name in overdue and other_kpi.name not in overdue
    assert "Ours" in csv_text and "Theirs" not in csv_text
    assert [g["title"] for g in grants["grants"]] == ["Our grant"]


def test_coordinators_cannot_open_partners_admin_pages(client, coordinator, own_kpi):
    client.force_login(coordinator)

    for url in [
        reverse("admin:partners_agreement_changelist"),
        reverse("admin:partners_agreement_change", args=[own_kpi.agreement.pk]),
        reverse("admin:partners_kpireturn_overdue"),
        reverse("admin:partners_agreement_export"),
        reverse("admin:partners_grant_360giving_csv"),
    ]:
        assert client.get(url).status_code in (403, 404), url


def test_anonymous_users_are_sent_to_log_in_for_exports(client):
    response = client.get(reverse("admin:partners_grant_360giving_json"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_partner_contact_views_their_own_return_read_only(partner_client, own_kpi):
    ret = KpiReturnFactory(kpi=own_kpi, value=Decimal("50"))

    response = partner_client.get(reverse("admin:partners_kpireturn_change", args=[ret.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert ret.period.label in html
    assert "Inadequate" in html
    assert 'name="_save"' not in html


def test_kpi_autocomplete_offers_a_partner_contact_only_their_kpis(
    partner_client, own_kpi, other_kpi
):
    response = partner_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "kpireturn", "field_name": "kpi", "term": ""},
    )

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(own_kpi.pk)]
