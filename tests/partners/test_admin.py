import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, Document, KpiReturn, Objective, Organisation
from partners.performance import Quarter
from tests.factories import (
    AgreementFactory,
    GrantFactory,
    KpiFactory,
    KpiReturnFactory,
    OrganisationFactory,
    PolicyOutcomeFactory,
)
from tests.partners.test_documents import PDF

pytestmark = pytest.mark.django_db


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def organisation_data(**overrides):
    return {
        "name": "Basildon Community Transport",
        "slug": "basildon-community-transport",
        "kind": "cio",
        "is_active": "on",
        "charity_number": "1162345",
        "company_number": "",
        **management("contacts"),
        **management("memberships"),
        # The "areas served" inline that the directory app adds to this page.
        **management("Area_organisations"),
        **overrides,
    }


def agreement_data(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "reference": "SLA-2026-010",
        "title": "Community transport",
        "kind": "sla",
        "status": "active",
        "start_date": "2025-04-01",
        "end_date": "2028-03-31",
        "annual_value": "45000.00",
        **management("objectives"),
        **management("kpis"),
        **management("documents"),
        **overrides,
    }


def previous_quarter():
    return Quarter.containing(timezone.localdate()).previous()


# --- officer flows -------------------------------------------------------------------------


def test_officer_adds_an_organisation_and_numbers_are_tidied(officer_client):
    response = officer_client.post(
        reverse("admin:partners_organisation_add"),
        organisation_data(charity_number="sc 012345", company_number="4296563"),
    )

    assert response.status_code == 302
    org = Organisation.objects.get(slug="basildon-community-transport")
    assert (org.charity_number, org.company_number) == ("SC012345", "04296563")


def test_invalid_charity_number_shows_a_clear_message_and_saves_nothing(officer_client):
    response = officer_client.post(
        reverse("admin:partners_organisation_add"), organisation_data(charity_number="12-34")
    )

    assert response.status_code == 200
    assert "Enter a Charity Commission number like 1234567" in response.content.decode()
    assert not Organisation.objects.exists()


def test_officer_creates_an_sla_tied_to_outcomes_with_kpis(officer_client, officer):
    org = OrganisationFactory()
    outcome = PolicyOutcomeFactory(name="Residents are connected")
    data = agreement_data(
        org,
        lead_officer=officer.pk,
        **management("objectives", total=1),
        **{"objectives-0-outcome": outcome.pk, "objectives-0-description": "Door-to-door trips"},
        **management("kpis", total=2),
        **{
            "kpis-0-name": "Passenger journeys",
            "kpis-0-unit": "journeys",
            "kpis-0-target": "2500",
            "kpis-0-direction": "higher",
            "kpis-1-name": "Cancelled journeys",
            "kpis-1-unit": "%",
            "kpis-1-target": "3",
            "kpis-1-direction": "lower",
        },
    )

    response = officer_client.post(reverse("admin:partners_agreement_add"), data)

    assert response.status_code == 302, response.context["errors"]
    agreement = Agreement.objects.get(reference="SLA-2026-010")
    assert agreement.lead_officer == officer
    assert agreement.annual_value == Decimal("45000.00")
    outcomes = Objective.objects.filter(agreement=agreement).values_list("outcome", flat=True)
    assert list(outcomes) == [outcome.pk]
    assert set(agreement.kpis.values_list("name", "direction")) == {
        ("Passenger journeys", "higher"),
        ("Cancelled journeys", "lower"),
    }
    assert agreement.history.get().history_user == officer


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end_date": "2025-03-31"}, "The end date must be the same as or after the start date"),
        ({"annual_value": "-1"}, "The annual value cannot be negative"),
        ({"start_date": "31/02/2026"}, "Enter a valid date"),
        ({"annual_value": "lots"}, "Enter a number"),
    ],
)
def test_bad_agreement_input_shows_a_message_and_saves_nothing(officer_client, overrides, message):
    data = agreement_data(OrganisationFactory(), **overrides)

    response = officer_client.post(reverse("admin:partners_agreement_add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_duplicate_agreement_reference_shows_a_message(officer_client):
    AgreementFactory(reference="SLA-2026-010")

    response = officer_client.post(
        reverse("admin:partners_agreement_add"), agreement_data(OrganisationFactory())
    )

    assert response.status_code == 200
    assert "Another agreement already has this reference" in response.content.decode()
    assert Agreement.objects.count() == 1


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


def test_agreement_filters_find_overdue_due_soon_and_by_outcome(officer_client, settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0
    today = timezone.localdate()
    overdue = KpiFactory(agreement=AgreementFactory(title="Overdue one")).agreement
    soon = AgreementFactory(title="Ending soon", end_date=today + dt.timedelta(days=30))
    outcome = PolicyOutcomeFactory()
    Objective.objects.create(agreement=soon, outcome=outcome, description="x")
    url = reverse("admin:partners_agreement_changelist")

    def titles(query):
        response = officer_client.get(url + query)
        assert response.status_code == 200
        return {a.title for a in response.context["cl"].result_list}

    assert titles("?overdue=yes") == {overdue.title}
    assert titles("?due=soon") == {soon.title}
    assert titles(f"?outcome={outcome.pk}") == {soon.title}
    assert titles("?outcome=abc") == {overdue.title, soon.title}
    assert titles("?q=Ending") == {soon.title}


@pytest.mark.parametrize("query", ["?status=nonsense", "?overdue=%00", "?rating=purple", "?p=9999"])
def test_odd_changelist_parameters_never_give_a_500(officer_client, query):
    for name in ("agreement", "kpireturn"):
        response = officer_client.get(reverse(f"admin:partners_{name}_changelist") + query)
        assert response.status_code in (200, 302, 400, 404)


def test_kpi_return_list_filters_by_rating(officer_client):
    red = KpiReturnFactory(value=Decimal("10"))
    KpiReturnFactory(value=Decimal("100"))

    url = reverse("admin:partners_kpireturn_changelist")
    response = officer_client.get(url + "?rating=inadequate")

    assert list(response.context["cl"].result_list) == [red]
    assert "rag--red" in response.content.decode()


def test_officer_uploads_a_document_on_an_agreement(officer_client, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = AgreementFactory()
    data = agreement_data(
        agreement.organisation,
        reference=agreement.reference,
        **management("documents", total=1),
        **{"documents-0-title": "Signed SLA"},
    )
    url = reverse("admin:partners_agreement_change", args=[agreement.pk])

    bad = officer_client.post(
        url, {**data, "documents-0-file": SimpleUploadedFile("sla.exe", b"MZ")}
    )
    assert bad.status_code == 200
    assert "must be a PDF, DOCX, XLSX, ODT or CSV" in bad.content.decode()
    assert not Document.objects.exists()

    good = officer_client.post(
        url, {**data, "documents-0-file": SimpleUploadedFile("Signed SLA.pdf", PDF)}
    )
    assert good.status_code == 302
    doc = Document.objects.get()
    assert (doc.original_name, doc.uploaded_by) == ("Signed SLA.pdf", officer)
    page = officer_client.get(url).content.decode()
    assert reverse("admin:partners_document_download", args=[doc.pk]) in page
    assert "/media/" not in page


def test_oversized_upload_is_refused(officer_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PARTNERS_DOCUMENT_MAX_BYTES = 100
    agreement = AgreementFactory()
    data = agreement_data(
        agreement.organisation,
        reference=agreement.reference,
        **management("documents", total=1),
        **{
            "documents-0-title": "Big",
            "documents-0-file": SimpleUploadedFile("big.pdf", PDF + b" " * 200),
        },
    )

    response = officer_client.post(
        reverse("admin:partners_agreement_change", args=[agreement.pk]), data
    )

    assert response.status_code == 200
    assert "must be smaller than 100" in response.content.decode()
    assert not Document.objects.exists()


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


# --- partner contacts -----------------------------------------------------------------------


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
