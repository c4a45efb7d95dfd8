"""Uploaded agreement documents: allowed types, content checks and safe storage names."""

import codecs
import uuid
import zipfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# extension -> (content type, what a zip-based file must contain, if it is one)
ALLOWED = {
    ".pdf": ("application/pdf", None),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "word/document.xml",
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xl/workbook.xml",
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", "content.xml"),
    ".csv": ("text/csv", None),
}
ALLOWED_TEXT = "PDF, DOCX, XLSX, ODT or CSV"
ZIP_SIGNATURE = b"PK\x03\x04"
CSV_SAMPLE_BYTES = 64 * 1024


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower()


def upload_to(instance, filename: str) -> str:
    """A random name under documents/: the uploaded name never becomes a path."""
    ext = extension(filename)
    return f"documents/{uuid.uuid4().hex}{ext if ext in ALLOWED else ''}"


def content_type(name: str) -> str:
    return ALLOWED.get(extension(name), ("application/octet-stream", None))[0]


def validate(upload) -> None:
    """Check the extension, the size and that the content really is that kind of file."""
    ext = extension(upload.name)
    if ext not in ALLOWED:
        raise ValidationError(f"The selected file must be a {ALLOWED_TEXT}", code="file_type")
    limit = settings.PARTNERS_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The selected file must be smaller than {filesizeformat(limit)}", code="file_size"
        )
    if upload.size == 0:
        raise ValidationError("The selected file is empty", code="file_empty")
    if not _content_matches(upload, ext):
        raise ValidationError(
            f"The selected file is not a real {ext[1:].upper()} file", code="file_content"
        )


def _content_matches(upload, ext: str) -> bool:
    upload.seek(0)
    try:
        head = upload.read(CSV_SAMPLE_BYTES if ext == ".csv" else 8)
        if ext == ".pdf":
            return head.startswith(b"%PDF-")
        if ext == ".csv":
            return _is_text(head)
        if not head.startswith(ZIP_SIGNATURE):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return ALLOWED[ext][1] in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    finally:
        upload.seek(0)


def _is_text(sample: bytes) -> bool:
    """UTF-8 (or Windows-1252, as older Excel saves CSV) with no binary control bytes."""
    if b"\x00" in sample:
        return False
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        text = decoder.decode(sample, final=False)  # the sample may end mid-character
    except UnicodeDecodeError:
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return not any(ord(c) < 32 and c not in "\t\r\n" for c in text)
