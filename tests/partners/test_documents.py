import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import COORDINATOR
from partners import documents
from partners.models import Document
from tests.factories import AgreementFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office_file(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<xml/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("SLA signed.pdf", PDF),
        ("monitoring.DOCX", office_file("word/document.xml")),
        ("returns.xlsx", office_file("xl/workbook.xml")),
        ("minutes.odt", office_file("content.xml")),
        ("figures.csv", "Quarter,Value\n2026-27 Q1,£120\n".encode()),
        ("old-excel.csv", "Quarter,Value\n2026-27 Q1,\xa3120\n".encode("cp1252")),
    ],
)
def test_allowed_documents_pass(name, content):
    documents.validate(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "must be a PDF, DOCX, XLSX, ODT or CSV"),
        ("noextension", PDF, "must be a PDF, DOCX, XLSX, ODT or CSV"),
        ("page.html", b"<script>", "must be a PDF, DOCX, XLSX, ODT or CSV"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not a real PDF file"),
        ("fake.docx", PDF, "not a real DOCX file"),
        ("spreadsheet.docx", office_file("xl/workbook.xml"), "not a real DOCX file"),
        ("broken.xlsx", b"PK\x03\x04garbage", "not a real XLSX file"),
        ("binary.csv", b"a,b\n\x00\x01\x02", "not a real CSV file"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_wrong_type_or_content_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        documents.validate(SimpleUploadedFile(name, content))


def test_oversized_files_are_refused(settings):
    settings.PARTNERS_DOCUMENT_MAX_BYTES = 1024

    with pytest.raises(ValidationError, match="must be smaller than 1.0"):
        documents.validate(SimpleUploadedFile("big.pdf", PDF + b"0" * 1024))


def test_stored_names_are_random_and_keep_only_an_allowed_extension():
    first = documents.upload_to(None, "../../etc/passwd.pdf")
    second = documents.upload_to(None, "../../etc/passwd.pdf")

    assert first != second
    assert first.startswith("documents/") and first.endswith(".pdf")
    assert "passwd" not in first and ".." not in first
    assert documents.upload_to(None, "evil.php").count(".") == 0


@pytest.fixture
def document(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = Document(
        agreement=AgreementFactory(),
        title="Signed SLA",
        file=SimpleUploadedFile("Signed SLA (final).pdf", PDF),
    )
    doc.full_clean()
    doc.save()
    return doc


def test_saved_document_keeps_the_original_name_for_download_only(document, tmp_path):
    assert document.original_name == "Signed SLA (final).pdf"
    assert document.size == len(PDF)
    assert "Signed" not in document.file.name
    assert (tmp_path / document.file.name).read_bytes() == PDF


def download_url(document):
    return reverse("admin:partners_document_download", args=[document.pk])


def test_officer_downloads_a_document_as_an_attachment(officer_client, document):
    response = officer_client.get(download_url(document))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Signed SLA (final).pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_anonymous_users_are_sent_to_log_in(client, document):
    response = client.get(download_url(document))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_staff_without_permission_are_refused(client, document):
    client.force_login(UserFactory(groups=[COORDINATOR]))

    assert client.get(download_url(document)).status_code == 403


def test_partner_contact_cannot_download_another_organisations_document(
    client, partner_contact, document
):
    client.force_login(partner_contact)

    assert client.get(download_url(document)).status_code == 404


def test_partner_contact_downloads_their_own_organisations_document(
    client, partner_contact, partner_organisation, document
):
    document.agreement.organisation = partner_organisation
    document.agreement.save()
    client.force_login(partner_contact)

    assert client.get(download_url(document)).status_code == 200


def test_missing_file_is_a_404_not_a_500(officer_client, document, tmp_path):
    (tmp_path / document.file.name).unlink()

    assert officer_client.get(download_url(document)).status_code == 404


def test_unknown_document_is_a_404(officer_client, db):
    response = officer_client.get(reverse("admin:partners_document_download", args=[999999]))

    assert response.status_code == 404


def test_deleting_a_document_removes_its_file(
    document, tmp_path, django_capture_on_commit_callbacks
):
    path = tmp_path / document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        document.delete()

    assert not path.exists()
