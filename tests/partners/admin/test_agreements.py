"""Officers set up agreements with outcomes, KPIs and documents, and find them by filter."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from partners.models import Agreement, Document, Objective
from tests.factories import (
    AgreementFactory,
    KpiFactory,
    OrganisationFactory,
    PolicyOutcomeFactory,
)
from tests.partners.admin.formdata import (
    agreement_data,
    management,
)
from tests.partners.test_documents import PDF

pytestmark = pytest.mark.django_db


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
