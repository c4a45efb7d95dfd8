"""Request bodies are refused by size before they are read, files only from staff, and the
headers every response needs (the outside test's findings 4, 10 and 11)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from directory.models import Suggestion
from tests.factories import HubFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def __init__(self, data=b""):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def post_declaring(client, path, length, body=b"x" * 1024, content_type=None):
    """POST that announces `length` bytes but carries only `body`: reading past the part
    that arrived would hang a real server, so the answer must come without reading."""
    stream = CountingStream(body)
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE=content_type or "multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": stream},
    )
    return response, stream


def multipart(fields, files=()):
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    for name, filename, content in files:
        parts.append(
            f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n'
        )
    return ("".join(parts) + "--BoUnDaRy--\r\n").encode()


def test_a_huge_anonymous_post_is_refused_before_its_body_is_read(client):
    response, stream = post_declaring(client, reverse("directory:suggest"), 300 * MB)

    assert response.status_code == 413
    assert stream.bytes_read == 0
    assert response["Connection"] == "close"
    assert "too large" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_visitor_may_not_send_a_file_even_a_small_one(client):
    body = multipart(
        {"name": "Food bank", "description": "Food parcels"},
        files=[("upload", "payload.bin", "x" * 5000)],
    )
    response, stream = post_declaring(client, reverse("directory:suggest"), len(body), body)

    assert response.status_code == 400
    assert not Suggestion.objects.exists()


def test_a_visitors_small_form_still_reaches_the_page(client):
    body = multipart({"name": "x"})
    response, _ = post_declaring(client, reverse("directory:suggest"), len(body), body)

    assert response.status_code == 200  # the form again, with its messages
    assert "There is a problem" in response.content.decode()


def test_public_limit_is_the_setting(client, settings):
    settings.PUBLIC_REQUEST_MAX_BYTES = 2000
    body = multipart({"name": "x" * 3000})

    response, stream = post_declaring(client, reverse("directory:suggest"), len(body), body)

    assert response.status_code == 413
    assert stream.bytes_read == 0


def test_staff_upload_over_the_staff_limit_is_refused_unread(officer_client):
    url = reverse("admin:partners_agreement_add")
    response, stream = post_declaring(officer_client, url, 50 * MB)

    assert response.status_code == 413
    assert stream.bytes_read == 0
    assert "split a large file" in response.content.decode()


def test_staff_may_upload_more_than_a_visitor(officer_client, settings):
    """A 1 MB CSV import is over the public limit but reaches the import form."""
    HubFactory(slug="greenwood")
    header = "hub,activity,date,people\r\n"
    body = multipart({}, files=[("file", "sessions.csv", header + "z" * MB)])

    response, stream = post_declaring(officer_client, reverse("hubs_staff:import"), len(body), body)

    assert len(body) > settings.PUBLIC_REQUEST_MAX_BYTES
    assert response.status_code == 200  # the import page, reporting the file's problems
    assert stream.bytes_read == len(body)


# --- headers ----------------------------------------------------------------------------


def test_every_page_restricts_browser_features_and_cross_origin_reads(client):
    response = client.get("/")

    assert "camera=()" in response["Permissions-Policy"]
    # "Use my location" on the search page asks for the position; no other origin may.
    assert "geolocation=(self)" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_open_api_may_be_read_from_other_origins(client):
    response = client.get("/api/oruk/services")

    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


@pytest.mark.parametrize(
    "path",
    ["/staff/", "/staff/hubs/", "/staff/hubs/reports/", "/staff/hubs/reports/monthly.csv"],
)
def test_staff_pages_and_downloads_are_never_stored(officer_client, path):
    response = officer_client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_public_pages_seen_by_signed_in_staff_are_not_stored_either(officer_client):
    response = officer_client.get("/directory/")

    assert "no-store" in response["Cache-Control"]


# --- check --deploy ---------------------------------------------------------------------


def test_check_deploy_warns_about_a_per_process_cache(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    with pytest.raises(SystemCheckError, match="config.W001"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["caches"])


def test_check_deploy_accepts_a_shared_cache(settings):
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }

    call_command("check", deploy=True, fail_level="WARNING", tags=["caches"])
