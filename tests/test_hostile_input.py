"""Hostile input to every public page, form and parameter: never a 500, output escaped,
nothing stored wrongly. Property-based (hypothesis) plus a fixed list of known payloads."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.models import Suggestion
from tests.factories import HubFactory, ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "' OR '1'='1",
    "1; DROP TABLE directory_service; --",
    '" UNION SELECT password FROM auth_user --',
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "\x00",
    "\u202e\u0000\ufeff",
    "9" * 400,
    "x" * 10_000,
    "-1",
    "1e309",
    "NaN",
    "{{ settings.SECRET_KEY }}",
    "${jndi:ldap://x}",
]
# Markup that must never come back unescaped.
SCRIPT_PAYLOADS = [p for p in PAYLOADS if "<" in p]

SEARCH_PARAMS = ["q", "postcode", "distance", "category", "area", "age", "cost", "access", "day"]
PAGE_PARAMS = ["page"]

# Any text a browser could send: no lone surrogates (those cannot be encoded at all).
any_text = st.text(st.characters(blacklist_categories=["Cs"]), max_size=300)
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def listings():
    TaxonomyTermFactory(name="Food", slug="food")
    hub = HubFactory(slug="greenwood")
    service = ServiceFactory(name="Food bank")
    return {"service": service, "hub": hub}


def body(response):
    return (b"".join(response) if response.streaming else response.content).decode(errors="replace")


def assert_safe(response, sent=()):
    assert response.status_code < 500, response.status_code
    html = body(response)
    for value in sent:
        if value in SCRIPT_PAYLOADS:
            assert value not in html, "unescaped markup echoed back"
    return html


# --- directory search: every parameter ----------------------------------------------------


@HYPOTHESIS
@given(params=st.dictionaries(st.sampled_from(SEARCH_PARAMS + PAGE_PARAMS), any_text))
def test_search_survives_any_parameters(client, listings, params):
    response = client.get(reverse("directory:search"), params)

    assert_safe(response)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("name", SEARCH_PARAMS + PAGE_PARAMS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_parameter_payloads(client, listings, name, payload):
    response = client.get(reverse("directory:search"), {name: payload})

    assert_safe(response, [payload])
    assert response.status_code in (200, 400)


def test_repeated_parameters_and_lists_do_not_break_search(client, listings):
    response = client.get(
        reverse("directory:search") + "?category=food&category=food&day=1&day=99&age=1&age=2"
    )

    assert_safe(response)


# --- public paths with ids or slugs -----------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS + ["00000000-0000-0000-0000-000000000000"])
@pytest.mark.parametrize(
    "prefix", ["/directory/services/", "/directory/organisations/", "/hubs/", "/static/"]
)
def test_hostile_paths_are_not_found_not_errors(client, listings, prefix, payload):
    response = client.get(prefix + payload.replace("\x00", "%00") + "/")

    assert_safe(response, [payload])
    assert response.status_code in (301, 302, 400, 404)


# --- public forms ----------------------------------------------------------------------------

SUGGESTION_FIELDS = [
    "name",
    "organisation_name",
    "description",
    "categories",
    "when",
    "address",
    "postcode",
    "cost",
    "access",
    "url",
    "email",
    "phone",
    "submitter_name",
    "submitter_email",
    "website_url",
]


@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(SUGGESTION_FIELDS), any_text, min_size=1))
def test_suggestion_form_survives_any_input(client, listings, data):
    cache.clear()  # the rate limit is tested elsewhere
    before = Suggestion.objects.count()

    response = client.post(reverse("directory:suggest"), data)

    assert_safe(response)
    assert response.status_code in (200, 302)
    saved = Suggestion.objects.count() - before
    assert saved == (1 if response.status_code == 302 else 0)
    if saved:
        suggestion = Suggestion.objects.latest("pk")
        assert suggestion.name == data["name"].strip()
        assert "\x00" not in suggestion.name + suggestion.description


@pytest.mark.parametrize("payload", PAYLOADS)
def test_suggestion_form_payloads_are_stored_as_text_and_shown_escaped(client, listings, payload):
    cache.clear()
    data = {
        "name": payload,
        "description": payload,
        "submitter_name": payload,
        "submitter_email": "someone@example.org",
        "cost": "free",
        "access": "drop_in",
    }

    response = client.post(reverse("directory:suggest"), data)

    html = assert_safe(response, [payload])
    if response.status_code == 302:
        stored = Suggestion.objects.latest("pk")
        assert stored.name == payload.strip()
    else:
        assert "govuk-error-summary" in html


@HYPOTHESIS
@given(
    data=st.dictionaries(
        st.sampled_from(["details", "when", "url", "email", "phone", "submitter_name"]),
        any_text,
        min_size=1,
    )
)
def test_report_a_problem_form_survives_any_input(client, listings, data):
    cache.clear()
    url = reverse("directory:report", kwargs={"uuid": listings["service"].uuid})

    response = client.post(url, data)

    assert_safe(response)
    assert response.status_code in (200, 302)


# --- volunteering: role search and both interest forms -----------------------------------

ROLE_SEARCH_PARAMS = ["q", "area", "commitment", "skills", "hub", "remote", "under_18", "page"]
INTEREST_FIELDS = ["name", "email", "phone", "message", "consent", "website_url"]
GENERAL_FIELDS = INTEREST_FIELDS + ["skills", "areas", "availability"]


@pytest.fixture
def role():
    from tests.factories import RoleFactory

    return RoleFactory(title="Coffee morning host")


@HYPOTHESIS
@given(params=st.dictionaries(st.sampled_from(ROLE_SEARCH_PARAMS), any_text))
def test_role_search_survives_any_parameters(client, role, params):
    response = client.get(reverse("volunteering:search"), params)

    assert_safe(response)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("name", ROLE_SEARCH_PARAMS)
@pytest.mark.parametrize("payload", PAYLOADS)
def test_role_search_parameter_payloads(client, role, name, payload):
    response = client.get(reverse("volunteering:search"), {name: payload})

    assert_safe(response, [payload])
    assert response.status_code in (200, 400)


@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(INTEREST_FIELDS), any_text, min_size=1))
def test_express_interest_survives_any_input(client, role, data):
    from volunteering.models import Interest

    cache.clear()
    before = Interest.objects.count()

    response = client.post(reverse("volunteering:express_interest", args=[role.pk]), data)

    assert_safe(response)
    assert response.status_code in (200, 302)
    assert Interest.objects.count() - before == (1 if response.status_code == 302 else 0)


@HYPOTHESIS
@given(data=st.dictionaries(st.sampled_from(GENERAL_FIELDS), any_text, min_size=1))
def test_offer_help_survives_any_input(client, data):
    cache.clear()

    response = client.post(reverse("volunteering:general_interest"), data)

    assert_safe(response)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_interest_payloads_are_escaped_and_stored_as_text(client, role, payload):
    from volunteering.models import Interest

    cache.clear()
    data = {"name": payload, "email": "a@example.org", "message": payload, "consent": "on"}

    response = client.post(reverse("volunteering:express_interest", args=[role.pk]), data)

    assert_safe(response, [payload])
    if response.status_code == 302:
        assert Interest.objects.latest("pk").name == payload.strip()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_role_paths_with_payloads_are_not_found(client, payload):
    response = client.get("/volunteer/roles/" + payload.replace("\x00", "%00") + "/")

    assert_safe(response, [payload])
    assert response.status_code in (301, 302, 400, 404)


# --- the Open Referral UK API: every parameter -------------------------------------------

ORUK_ENDPOINTS = [
    "/api/oruk/services",
    "/api/oruk/service_at_locations",
    "/api/oruk/organizations",
    "/api/oruk/taxonomy_terms",
    "/api/oruk/taxonomies",
    "/api/oruk/locations",
]
ORUK_PARAMS = [
    "page",
    "per_page",
    "search",
    "text",
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "full",
    "postcode",
    "proximity",
    "parent_id",
    "top_only",
    "format",
    "minimal",
]


@HYPOTHESIS
@given(
    endpoint=st.sampled_from(ORUK_ENDPOINTS),
    params=st.dictionaries(st.sampled_from(ORUK_PARAMS), any_text),
)
def test_oruk_api_answers_any_parameters_with_json(client, listings, endpoint, params):
    cache.clear()

    response = client.get(endpoint, params)

    assert response.status_code in (200, 400, 404), response.status_code
    payload = response.json()
    if response.status_code != 200:
        assert set(payload) >= {"error", "message"}


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("endpoint", ["/api/oruk/services/", "/api/oruk/organizations/"])
def test_oruk_ids_with_payloads_are_json_errors(client, listings, endpoint, payload):
    response = client.get(endpoint + payload.replace("\x00", "%00"))

    assert response.status_code in (400, 404)
    assert set(response.json()) >= {"error", "message"}
