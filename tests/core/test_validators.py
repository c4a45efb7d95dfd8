"""Web addresses residents, partners and officers give us are ones we may publish as a link:
http(s) only, no username or password (https://www.basildon.gov.uk@evil.example/login reads as
the council's site and opens evil.example), no control or invisible characters. One validator
(core.validators) for the public forms, the models (so the admin and the CSV import) alike."""

import io

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.validators import validate_web_address
from directory import csv_io
from directory.models import Service, Suggestion
from partners.models import Organisation
from tests.factories import OrganisationFactory, ServiceFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

USERINFO = "Enter a web address without a username or password, like https://www.example.org"
SCHEME = "Enter a web address that starts with https:// or http://, like https://www.example.org"
FORMAT = "Enter a web address in the correct format, like https://www.example.org"

GOOD = [
    "https://www.example.org",
    "http://example.org/path?q=1#top",
    "https://example.org/@someone",  # an @ in the path is not a username
    "https://example.org/?next=a@b",
    "https://www.basildon.gov.uk/",
]
WITH_USERINFO = [
    "https://www.basildon.gov.uk@evil.example/login",
    "https://user:password@example.org",
    "http://:@example.org",
    "https://www.basildon.gov.uk:443@evil.example",
    "HTTPS://admin@example.org/",
]
OTHER_SCHEMES = [
    "javascript:alert(1)",
    "ftp://example.org/file",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example",
]
CONTROL_CHARACTERS = [
    "https://exam\tple.org",
    "https://example.org/\x01",
    "https://example.org/\x7f",
    "https://example.org/\u202egnp.exe",  # right-to-left override
    "https://exa\u200bmple.org",  # zero-width space
]


@pytest.fixture(autouse=True)
def _no_rate_limit():
    cache.clear()


def messages_for(value):
    try:
        validate_web_address(value)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize("value", GOOD)
def test_ordinary_web_addresses_pass(value):
    assert messages_for(value) == []


@pytest.mark.parametrize("value", WITH_USERINFO)
def test_a_username_or_password_is_refused(value):
    assert messages_for(value) == [USERINFO]


@pytest.mark.parametrize("value", OTHER_SCHEMES)
def test_anything_but_http_and_https_is_refused(value):
    assert messages_for(value) == [SCHEME]


@pytest.mark.parametrize("value", CONTROL_CHARACTERS)
def test_control_and_invisible_characters_are_refused(value):
    assert messages_for(value) == [FORMAT]


# --- the public forms ------------------------------------------------------------------------


def suggestion_data(**extra):
    return {
        "name": "Craft club",
        "organisation_name": "Pitsea Crafters",
        "description": "Knitting and sewing for all",
        "postcode": "ss13 1aq",
        "cost": "free",
        "access": "drop_in",
        **extra,
    }


@pytest.mark.parametrize(
    "url,message",
    [
        ("https://www.basildon.gov.uk@evil.example/login", USERINFO),
        ("www.basildon.gov.uk@evil.example/login", USERINFO),  # read as https://
        ("javascript:alert(1)", SCHEME),
        ("https://example.org/\u202egnp.exe", FORMAT),
    ],
)
def test_suggest_a_listing_refuses_an_address_we_could_not_publish(client, url, message):
    response = client.post(reverse("directory:suggest"), suggestion_data(url=url))

    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [message]
    html = response.content.decode()
    assert "<title>Error: " in html
    assert message in html
    assert not Suggestion.objects.exists()


def test_suggest_a_listing_still_takes_an_ordinary_address(client):
    response = client.post(reverse("directory:suggest"), suggestion_data(url="www.example.org"))

    assert response.status_code == 302
    assert Suggestion.objects.get().url == "https://www.example.org"


@pytest.mark.parametrize(
    "url,message",
    [
        ("https://www.basildon.gov.uk@evil.example/login", USERINFO),
        ("jo@example.org/page", USERINFO),  # read as https://
        ("ftp://example.org", SCHEME),
    ],
)
def test_report_a_change_refuses_an_address_we_could_not_publish(client, url, message):
    service = ServiceFactory()
    report = reverse("directory:report", args=[service.uuid])

    response = client.post(report, {"details": "New website", "url": url})

    assert response.status_code == 200
    assert response.context["form"].errors["url"] == [message]
    assert message in response.content.decode()
    assert not Suggestion.objects.exists()


def test_report_a_change_still_takes_an_ordinary_address(client):
    service = ServiceFactory()
    report = reverse("directory:report", args=[service.uuid])

    response = client.post(report, {"details": "New website", "url": "https://example.org/new"})

    assert response.status_code == 302
    assert Suggestion.objects.get().url == "https://example.org/new"


# --- the models: the admin, the CSV import, approving a stored suggestion ----------------


def admin_post_data(page):
    """What the admin's change page would post back unchanged: its form and inlines."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[field.html_name] = [str(v) for v in value] if isinstance(value, list) else value
    return data


@pytest.mark.parametrize(
    "model,url_field",
    [(Service, "url"), (Organisation, "website")],
    ids=["service", "organisation"],
)
def test_the_admin_refuses_an_address_with_a_username(officer_client, model, url_field):
    obj = ServiceFactory() if model is Service else OrganisationFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    data = admin_post_data(officer_client.get(url))

    refused = officer_client.post(url, {**data, url_field: "https://a.gov.uk@evil.example/"})
    saved = officer_client.post(url, {**data, url_field: "https://www.example.org/"})

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors[url_field] == [USERINFO]
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    obj.refresh_from_db()
    assert getattr(obj, url_field) == "https://www.example.org/"


def test_the_service_import_refuses_an_address_with_a_username():
    OrganisationFactory(slug="good-neighbours")
    text = (
        "name,organisation,description,url\n"
        "Lunch club,good-neighbours,Hot meals,https://www.basildon.gov.uk@evil.example/login\n"
    )

    parsed = csv_io.parse_services(io.BytesIO(text.encode()))

    assert parsed.rows == []
    assert parsed.errors == [(2, f"url: {USERINFO}")]


def test_a_suggestion_stored_before_the_check_is_not_published(officer_client):
    OrganisationFactory(name="Pitsea Crafters")
    pending = SuggestionFactory(
        organisation_name="Pitsea Crafters", url="https://www.basildon.gov.uk@evil.example/"
    )

    response = officer_client.post(
        reverse("admin:directory_suggestion_changelist"),
        {"action": "approve", "_selected_action": [pending.pk]},
    )

    assert response.status_code == 302
    assert USERINFO in [str(m) for m in get_messages(response.wsgi_request)]
    pending.refresh_from_db()
    assert pending.status == Suggestion.Status.PENDING
    assert not Service.objects.exists()
