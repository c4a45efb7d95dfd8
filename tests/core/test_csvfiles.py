"""Every CSV import reads LF, CRLF and old-Mac CR line endings alike, and a file the csv module
cannot read is a form error, never a 500 (the outside test's finding: CR-only files 500ed).

The imports: hub sessions (/staff/hubs/import/) and the admin's service import."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.csvfiles import CSVFileError, read_csv
from directory.models import Service
from hubs.models import Engagement
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ENDINGS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}
HUB_LINES = [
    "date,hub,people,notes",
    '2026-01-05,hub-a,20,"Tea, biscuits"',
    "12/01/2026,hub-a,8,drop-in",
]
SERVICE_LINES = [
    "name,organisation,description,cost",
    'Lunch club,good-neighbours,"Hot meals, Wednesdays",free',
    "Book swap,good-neighbours,Bring a book,free",
]
# Files no import can read: each must come back as a message on the page.
UNREADABLE = {
    "nul-bytes": b"date,hub,people\n2026-01-05,\x00hub-a,3\n",
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
    "spreadsheet": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
    "utf-16": "date,hub,people\n".encode("utf-16"),
    "cell-too-long": b'"' + b"x" * 200_000 + b"\n",
}


def csv_bytes(lines, ending, bom=False):
    return ("\ufeff" if bom else "").encode() + ending.join(lines).encode() + ending.encode()


@pytest.fixture
def coordinator_client(client, coordinator_a, hub_a):
    client.force_login(coordinator_a)
    return client


def import_sessions(client, data):
    file = SimpleUploadedFile("sessions.csv", data, content_type="text/csv")
    return client.post(reverse("hubs_staff:import"), {"file": file})


def import_services(client, data):
    file = SimpleUploadedFile("services.csv", data, content_type="text/csv")
    return client.post(reverse("admin:directory_service_import"), {"file": file})


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_session_import_reads_every_line_ending_alike(coordinator_client, ending):
    response = import_sessions(coordinator_client, csv_bytes(HUB_LINES, ending))

    assert response.status_code == 302
    assert response["Location"] == reverse("hubs_staff:home")
    rows = Engagement.objects.order_by("date").values_list("date", "people", "notes")
    assert [(str(d), p, n) for d, p, n in rows] == [
        ("2026-01-05", 20, "Tea, biscuits"),
        ("2026-01-12", 8, "drop-in"),
    ]


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_service_import_reads_every_line_ending_alike(officer_client, ending):
    OrganisationFactory(slug="good-neighbours")

    response = import_services(officer_client, csv_bytes(SERVICE_LINES, ending, bom=True))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:directory_service_changelist")
    assert sorted(Service.objects.values_list("name", "description")) == [
        ("Book swap", "Bring a book"),
        ("Lunch club", "Hot meals, Wednesdays"),
    ]


@pytest.mark.parametrize("data", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_session_file_is_a_form_error(coordinator_client, data):
    coordinator_client.raise_request_exception = False

    response = import_sessions(coordinator_client, data)

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and ("CSV" in errors[0] or "UTF-8" in errors[0])
    assert "<title>Error: " in response.content.decode()
    assert not Engagement.objects.exists()


@pytest.mark.parametrize("data", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_service_file_is_a_form_error(officer, data):
    client = Client(raise_request_exception=False)
    client.force_login(officer)

    response = import_services(client, data)

    assert response.status_code == 200
    [(row, message)] = response.context["errors"]
    assert row == 0 and ("CSV" in message or "UTF-8" in message)
    assert "Nothing was imported" in response.content.decode()
    assert not Service.objects.exists()


# --- the shared reader ---------------------------------------------------------------------


@pytest.mark.parametrize("ending", ENDINGS.values(), ids=ENDINGS.keys())
def test_read_csv_gives_the_same_table_for_every_line_ending(ending):
    lines = ["a,b", '1,"two, three"', "", '4,"five', 'six"']  # a blank line; a quoted break

    table = read_csv(io.BytesIO(csv_bytes(lines, ending, bom=True)))

    assert table.header == ["a", "b"]
    assert table.rows == [{"a": "1", "b": "two, three"}, {"a": "4", "b": f"five{ending}six"}]


def test_read_csv_cleans_the_header_and_stops_after_one_row_too_many():
    data = csv_bytes([" Date ,HUB", *["2026-01-01,a"] * 10], "\r")

    table = read_csv(io.BytesIO(data), max_rows=3, clean_header=lambda h: h.strip().lower())

    assert table.header == ["date", "hub"]
    assert len(table.rows) == 4
    assert table.rows[0] == {"date": "2026-01-01", "hub": "a"}


@pytest.mark.parametrize("data", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_read_csv_says_why_a_file_cannot_be_read(data):
    with pytest.raises(CSVFileError) as error:
        read_csv(io.BytesIO(data))

    assert "CSV" in str(error.value) or "UTF-8" in str(error.value)
