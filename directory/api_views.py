"""The Open Referral UK (HSDS-UK 3.0) read API: plain views returning JSON.

Public and read-only: every response allows any origin (CORS `*`), successful ones may be cached
for a minute, errors use the standard's `{"error", "message"}` body (400, 404, 405, 429), and
every client is rate limited (RATE_LIMITS["api"]). Each list endpoint costs a constant number of
queries however many rows there are.
"""

import functools
import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from core.ratelimit import Rate, hit
from directory.models import Service, TaxonomyTerm
from directory.oruk import ids, params, queries, serialisers
from directory.oruk import openapi as oruk_openapi

# Preflights may ask for any request headers (any origin may read this public API); what
# they ask is echoed back only if it is a plain list of header names.
HEADER_LIST = re.compile(r"^[A-Za-z0-9-]+(\s*,\s*[A-Za-z0-9-]+)*$")


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
            asked = request.headers.get("Access-Control-Request-Headers", "").strip()
            response["Access-Control-Allow-Headers"] = (
                asked if HEADER_LIST.match(asked) else "Accept, Content-Type"
            )
            response["Access-Control-Max-Age"] = "86400"
            response["Vary"] = "Access-Control-Request-Headers"
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
    """The published ORUK 3.0 OpenAPI document, with our server URL, filters and extension."""
    return oruk_openapi.document(server_url=_base_url(request), server_name=settings.SITE_NAME)


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
    params.unsupported(query)
    full = params.boolean(query, "full")
    page, per_page = params.page_params(query)
    search = queries.OrukServiceSearch(query)
    search.check()
    near, within = queries.postcode_point(query)
    links = queries.service_locations(search.qs, near=near, within_metres=within)
    body = queries.paginate(links, page, per_page, lambda link: link)
    services = {}
    if full:  # the page's services whole, in the five queries of a full service
        page_ids = {link.service_id for link in body["contents"]}
        services = queries.service_detail_queryset(Service.objects.filter(pk__in=page_ids))
        services = services.in_bulk() if page_ids else {}
    body["contents"] = [
        serialisers.service_at_location(
            link, with_service=True, full_service=services.get(link.service_id)
        )
        for link in body["contents"]
    ]
    return body


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


def _organisations(orgs, *, full, full_service):
    """Serialise organisations: with their identifiers and services (as summaries, or whole
    with full_service) when `full`, in a constant number of queries."""
    if not (full or full_service):
        return [serialisers.organization(org, identifiers=False) for org in orgs]
    shape, serialise = (
        (queries.service_detail_queryset, serialisers.service_full)
        if full_service
        else (queries.service_list_queryset, serialisers.service_summary)
    )
    by_org = {org.pk: [] for org in orgs}
    published = Service.objects.published().filter(organisation__in=list(by_org))
    for service in shape(published).order_by("name", "pk") if by_org else ():
        by_org[service.organisation_id].append(serialise(service))
    return [serialisers.organization(org, services=by_org[org.pk]) for org in orgs]


@api_view
def organizations(request):
    query = request.GET
    params.unsupported(query)
    full, full_service = params.boolean(query, "full"), params.boolean(query, "full_service")
    page, per_page = params.page_params(query)
    search = params.search_param(query)
    found = queries.published_organisations()
    if search:
        found = found.filter(name__icontains=search)
    body = queries.paginate(found, page, per_page, lambda org: org)
    body["contents"] = _organisations(body["contents"], full=full, full_service=full_service)
    return body


@api_view
def organization_detail(request, id):
    params.unsupported(request.GET)
    full_service = params.boolean(request.GET, "full_service")
    uuid = params.path_uuid(id, "organization")
    org = queries.published_organisations().filter(uuid=uuid).first()
    if org is None:
        raise params.NotFound(f"No organization with id '{uuid}'.")
    (data,) = _organisations([org], full=True, full_service=full_service)
    return data


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
