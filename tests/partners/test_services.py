"""partners.services called directly: every guard refuses what it is there to refuse."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import OFFICER
from partners import services
from partners.models import Document, KpiReturn
from tests.factories import AgreementFactory, KpiFactory, KpiReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def kpi(partner_organisation):
    return KpiFactory(agreement=AgreementFactory(organisation=partner_organisation))


def a_return(kpi, **fields):
    return KpiReturn(kpi=kpi, financial_year=2024, quarter=1, value=Decimal("40"), **fields)


# --- save_kpi_return --------------------------------------------------------------------------


def test_save_kpi_return_records_who_sent_a_new_return_and_keeps_it_on_a_change(
    partner_contact, officer, kpi
):
    sent = services.save_kpi_return(kpi_return=a_return(kpi), user=partner_contact)
    first_sent_at = sent.submitted_at
    sent.value = Decimal("41")

    services.save_kpi_return(kpi_return=sent, user=officer)

    sent.refresh_from_db()
    assert (sent.value, sent.submitted_by, sent.submitted_at) == (
        Decimal("41"),
        partner_contact,
        first_sent_at,
    )


def test_save_kpi_return_refuses_a_partner_contact_for_another_organisations_kpi(
    other_partner_contact, kpi
):
    with pytest.raises(PermissionDenied, match="Not one of your organisation's KPIs"):
        services.save_kpi_return(kpi_return=a_return(kpi), user=other_partner_contact)

    assert not KpiReturn.objects.exists()


def test_save_kpi_return_refuses_a_user_with_no_organisation(kpi):
    with pytest.raises(PermissionDenied):
        services.save_kpi_return(kpi_return=a_return(kpi), user=UserFactory())


def test_save_kpi_return_refuses_moving_another_organisations_return_to_their_kpi(
    partner_contact, kpi
):
    theirs = KpiReturnFactory(financial_year=2024, quarter=2)  # another organisation's KPI
    theirs.kpi = kpi

    with pytest.raises(PermissionDenied):
        services.save_kpi_return(kpi_return=theirs, user=partner_contact)

    assert KpiReturn.objects.get(pk=theirs.pk).kpi_id != kpi.pk


def test_save_kpi_return_refuses_a_second_return_for_the_same_quarter(partner_contact, kpi):
    first = KpiReturnFactory(kpi=kpi, financial_year=2024, quarter=1)

    with pytest.raises(services.ReturnTaken) as taken:
        services.save_kpi_return(kpi_return=a_return(kpi), user=partner_contact)

    assert taken.value.existing == first
    assert KpiReturn.objects.count() == 1


def test_save_kpi_return_refuses_a_quarter_that_has_not_started(partner_contact, kpi):
    with pytest.raises(ValidationError, match="a quarter that has not started"):
        services.save_kpi_return(
            kpi_return=KpiReturn(kpi=kpi, financial_year=2099, quarter=1, value=1),
            user=partner_contact,
        )

    assert not KpiReturn.objects.exists()


# --- save_documents ---------------------------------------------------------------------------


def upload(name="Signed SLA.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_save_documents_records_who_uploaded_a_new_document(officer, media):
    agreement = AgreementFactory()
    document = Document(title="SLA", file=upload())

    services.save_documents(user=officer, agreement=agreement, documents=[document])

    document.refresh_from_db()
    assert (document.agreement, document.uploaded_by) == (agreement, officer)
    assert document.original_name == "Signed SLA.pdf"


def test_save_documents_keeps_who_uploaded_when_another_renames_it(officer, media):
    agreement = AgreementFactory()
    document = Document(title="SLA", file=upload())
    services.save_documents(user=officer, agreement=agreement, documents=[document])
    document.title = "Signed SLA"

    colleague = UserFactory(groups=[OFFICER])
    services.save_documents(user=colleague, agreement=agreement, documents=[document])

    document.refresh_from_db()
    assert (document.title, document.uploaded_by) == ("Signed SLA", officer)


def test_save_documents_refuses_an_agreement_the_user_may_not_see(partner_contact, media):
    agreement = AgreementFactory()  # another organisation's

    with pytest.raises(PermissionDenied, match="Not one of your organisation's agreements"):
        services.save_documents(
            user=partner_contact,
            agreement=agreement,
            documents=[Document(title="SLA", file=upload())],
        )

    assert not Document.objects.exists()


def test_save_documents_refuses_a_document_of_another_agreement(officer, media):
    mine, theirs = AgreementFactory(), AgreementFactory()
    other = Document(title="Theirs", file=upload())
    services.save_documents(user=officer, agreement=theirs, documents=[other])

    with pytest.raises(PermissionDenied, match="Not a document of this agreement"):
        services.save_documents(user=officer, agreement=mine, documents=[], deleted=[other])

    assert Document.objects.filter(pk=other.pk, agreement=theirs).exists()


def test_save_documents_refuses_a_file_that_is_not_what_it_says(officer, media):
    with pytest.raises(ValidationError):
        services.save_documents(
            user=officer,
            agreement=AgreementFactory(),
            documents=[Document(title="SLA", file=upload(content=b"MZ not a pdf"))],
        )

    assert not Document.objects.exists()


def test_save_documents_deletes_the_removed(officer, media):
    agreement = AgreementFactory()
    document = Document(title="SLA", file=upload())
    services.save_documents(user=officer, agreement=agreement, documents=[document])

    services.save_documents(user=officer, agreement=agreement, documents=[], deleted=[document])

    assert not Document.objects.exists()
