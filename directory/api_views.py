"""The Open Referral UK (HSDS-UK 3.0) read API: plain views returning JSON.

Public and read-only: every response allows any origin (CORS `*`), successful ones may be cached
for a minute, errors use the standard's `{"error", "message"}` body (400, 404, 405, 429), and
every client is rate limited (RATE_LIMITS["api"]). Each list endpoint costs a constant number of
queries however many rows there are.
"""

import copy
import functools
import json
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from core.ratelimit import Rate, hit
from directory.models import Service, TaxonomyTerm
from directory.oruk import ids, params, queries, serialisers

SCHEMA_DIR = Path(__file__).resolve().parent / "oruk_schemas"
OPENAPI = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


def _error(status, code, message):
    return JsonResponse({"error": code, "message": message}, status=status)


def api_view(view):
    """GET only, rate limited, parameters checked, errors as ORUK JSON, never a 500 for input."""

    @csrf_exempt  # read-only: a POST gets a JSON 405, not the CSRF page
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        elif request.method not in ("GET", "HEAD"):
            response = _error(405, "method_not_allowed", "This API is read-only: use GET.")
            response["Allow"] = "GET, HEAD, OPTIONS"
        elif not hit(request, "api"):
            response = _error(
                429, "too_many_requests", "Too many requests. Wait a minute and try again."
            )
            response["Retry-After"] = str(Rate.parse(settings.RATE_LIMITS["api"]).seconds)
        else:
            try:
                params.check_query(request.GET)
                response = JsonResponse(
                    view(request, *args, **kwargs), json_dumps_params={"ensure_ascii": False}
                )
            except params.ApiError as exc:
                response = _error(exc.status, exc.code, exc.message)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = (
            "public, max-age=60" if response.status_code == 200 else "no-store"
        )
        return response

    return wrapper


def _base_url(request):
    return request.build_absolute_uri(reverse("oruk:root")).rstrip("/")


@api_view
def root(request):
    return {
        "version": params.VERSION,
        "profile": params.PROFILE_URL,
        "openapi_url": request.build_absolute_uri(reverse("oruk:openapi")),
    }


@api_view
def openapi(request):
    """The official ORUK 3.0 OpenAPI document, with our server URL and our one extension."""
    document = copy.deepcopy(OPENAPI)
    document["servers"] = [{"url": _base_url(request), "description": settings.SITE_NAME}]
    document["tags"] = [
        *document.get("tags", []),
        {"name": "extension", "description": "Not part of Open Referral UK 3.0."},
    ]
    schema = "https://openreferraluk.org/specifications/3.0/schema/"
    document["paths"]["/locations"] = {
        "get": {
            "summary": "Places where published services happen (extension)",
            "description": "Not part of Open Referral UK 3.0: a paginated list of locations.",
            "operationId": "getPaginatedListOfLocations",
            "tags": ["extension"],
            "parameters": [
                {"$ref": "#/components/parameters/search"},
                {"$ref": "#/components/parameters/page"},
                {"$ref": "#/components/parameters/per_page"},
            ],
            "responses": {
                "200": {
                    "description": "A paginated list of locations.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "allOf": [
                                    {"$ref": schema + "page.json"},
                                    {
                                        "type": "object",
                                        "properties": {
                                            "contents": {
                                                "type": "array",
                                                "items": {"$ref": schema + "location.json"},
                                            }
                                        },
                                    },
                                ]
                            }
                        }
                    },
                },
                "400": {"$ref": "#/components/responses/BadRequest"},
            },
        }
    }
    document["paths"]["/locations/{id}"] = {
        "get": {
            "summary": "One location (extension)",
            "description": "Not part of Open Referral UK 3.0.",
            "operationId": "getLocationById",
            "tags": ["extension"],
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {
                "200": {
                    "description": "The location with its address.",
                    "content": {"application/json": {"schema": {"$ref": schema + "location.json"}}},
                },
                "404": {"$ref": "#/components/responses/NotFound"},
            },
        }
    }
    return document


# --- services ----------------------------------------------------------------------------


@api_view
def services(request):
    query = request.GET
    params.unsupported(query, "minimal")
    full = params.boolean(query, "full")
    page, per_page = params.page_params(query)
    search = queries.OrukServiceSearch(query)
    search.check()
    shape, serialise = (
        (queries.service_detail_queryset, serialisers.service_full)
        if full
        else (queries.service_list_queryset, serialisers.service_summary)
    )
    if search.keywords:
        return queries.paginate_search(search, page, per_page, shape, serialise)
    return queries.paginate(shape(search.qs), page, per_page, serialise)


@api_view
def service_detail(request, id):
    uuid = params.path_uuid(id, "service")
    service = queries.service_detail_queryset(Service.objects.published()).filter(uuid=uuid).first()
    if service is None:
        raise params.NotFound(f"No service with id '{uuid}'.")
    return serialisers.service_full(service)


@api_view
def service_at_locations(request):
    query = request.GET
    params.unsupported(query, "full")
    page, per_page = params.page_params(query)
    search = queries.OrukServiceSearch(query)
    search.check()
    near, within = queries.postcode_point(query)
    links = queries.service_locations(search.qs, near=near, within_metres=within)
    return queries.paginate(
        links, page, per_page, lambda link: serialisers.service_at_location(link, with_service=True)
    )


@api_view
def service_at_location_detail(request, id):
    uuid = params.path_uuid(id, "service_at_location")
    keys = ids.parse_service_at_location_id(uuid)
    link = None
    if keys is not None:
        link = (
            queries.service_locations(Service.objects.published())
            .filter(service_id=keys[0], location_id=keys[1])
            .first()
        )
    if link is None:
        raise params.NotFound(f"No service_at_location with id '{uuid}'.")
    return serialisers.service_at_location(link, with_service=False)


# --- organisations -----------------------------------------------------------------------


@api_view
def organizations(request):
    query = request.GET
    params.unsupported(query, "full_service", "full")
    page, per_page = params.page_params(query)
    search = params.search_param(query)
    found = queries.published_organisations()
    if search:
        found = found.filter(name__icontains=search)
    return queries.paginate(
        found, page, per_page, lambda org: serialisers.organization(org, identifiers=False)
    )


@api_view
def organization_detail(request, id):
    params.unsupported(request.GET, "full_service")
    uuid = params.path_uuid(id, "organization")
    org = queries.published_organisations().filter(uuid=uuid).first()
    if org is None:
        raise params.NotFound(f"No organization with id '{uuid}'.")
    return serialisers.organization(org)


# --- taxonomies --------------------------------------------------------------------------


def _taxonomy_names():
    return list(
        TaxonomyTerm.objects.order_by("taxonomy").values_list("taxonomy", flat=True).distinct()
    )


@api_view
def taxonomies(request):
    query = request.GET
    params.unsupported(query)
    page, per_page = params.page_params(query)
    search = params.search_param(query).casefold()
    names = [n for n in _taxonomy_names() if search in n.casefold()]
    return queries.paginate(
        names, page, per_page, lambda name: serialisers.taxonomy(name, site_name=settings.SITE_NAME)
    )


@api_view
def taxonomy_detail(request, id):
    uuid = params.path_uuid(id, "taxonomy")
    name = next((n for n in _taxonomy_names() if ids.taxonomy_id(n) == str(uuid)), None)
    if name is None:
        raise params.NotFound(f"No taxonomy with id '{uuid}'.")
    terms = queries.terms_queryset().filter(taxonomy=name).order_by("name", "pk")
    return serialisers.taxonomy(name, site_name=settings.SITE_NAME, terms=terms)


@api_view
def taxonomy_terms(request):
    query = request.GET
    params.unsupported(query)
    page, per_page = params.page_params(query)
    search = params.search_param(query)
    in_taxonomy = params.uuid_param(query, "taxonomy_id")
    parent = params.uuid_param(query, "parent_id")
    top_only = params.boolean(query, "top_only")
    terms = queries.terms_queryset().order_by("name", "pk")
    if search:
        terms = terms.filter(name__icontains=search)
    if parent:
        terms = terms.filter(parent__uuid=parent)
    if top_only:
        terms = terms.filter(parent__isnull=True)
    if in_taxonomy:
        names = [n for n in _taxonomy_names() if ids.taxonomy_id(n) == str(in_taxonomy)]
        terms = terms.filter(taxonomy__in=names)
    return queries.paginate(terms, page, per_page, serialisers.taxonomy_term)


@api_view
def taxonomy_term_detail(request, id):
    uuid = params.path_uuid(id, "taxonomy_term")
    term = queries.terms_queryset().filter(uuid=uuid).first()
    if term is None:
        raise params.NotFound(f"No taxonomy_term with id '{uuid}'.")
    return serialisers.taxonomy_term(term)


# --- extension: locations ----------------------------------------------------------------


@api_view
def locations(request):
    """Not in ORUK 3.0 (places come nested in services and service_at_locations)."""
    query = request.GET
    params.unsupported(query)
    page, per_page = params.page_params(query)
    search = params.search_param(query)
    found = queries.public_locations()
    if search:
        found = found.filter(name__icontains=search)
    return queries.paginate(found, page, per_page, serialisers.location)


@api_view
def location_detail(request, id):
    uuid = params.path_uuid(id, "location")
    found = queries.public_locations().filter(uuid=uuid).first()
    if found is None:
        raise params.NotFound(f"No location with id '{uuid}'.")
    return serialisers.location(found)


@api_view
def not_found(request, path=""):
    raise params.NotFound("There is no such endpoint. See the OpenAPI document at /openapi.json.")
