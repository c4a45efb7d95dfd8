"""Open Referral UK (ORUK, HSDS-UK 3.0) read API: parameters, queries and serialisers.

Field names, types and required fields follow the official schemas copied, unmodified, in
directory/oruk_schemas/ (tests validate every endpoint against them). Optional fields without a
value are left out, never null, as the ORUK compliance rules ask.

Ids: services, organisations, locations, categories and schedules have their own UUIDs. Objects
we do not store as rows get ids derived from them: addresses, contacts, phones, attributes,
cost options, accessibility and taxonomies use uuid5 of their owner's UUID (stable, nothing to
store). A service_at_location id is an RFC 9562 version 8 UUID that encodes the service and
location keys, so `/service_at_locations/{id}` finds the link without an extra table.
"""

import datetime
import math
import re
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Exists, F, FloatField, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone

from directory.filters import MAX_QUERY_LENGTH
from directory.models import Location, Schedule, Service, TaxonomyTerm
from directory.postcodes import coordinates, normalise_postcode
from directory.search import MILES_PER_DEGREE, Point, search_page, search_services
from partners.models import Organisation

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/developers"
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 999_999_999
MAX_PROXIMITY_METRES = 1_000_000
MAX_VALUE_LENGTH = 1000
METRES_PER_MILE = 1609.344
# Namespace for ids derived with uuid5 (any fixed UUID; never change it: ids would change).
NAMESPACE = uuid.UUID("6f1a0c9e-3b7d-4c2e-9a51-0d8e4f2b7c13")
COUNTRY = "GB"

ServiceLocation = Service.locations.through


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    pass


class NotFound(ApiError):
    status = 404
    code = "not_found"


# --- parameters --------------------------------------------------------------------------

INTEGER_RE = re.compile(r"^[0-9]{1,9}$")
TRUE, FALSE = {"true", "1"}, {"false", "0"}


def check_query(query):
    """Refuse NUL bytes and absurd lengths in any parameter, before anything reads them."""
    for key, values in query.lists():
        for value in [key, *values]:
            if "\x00" in value:
                raise BadRequest(f"Parameter '{key[:50]}' contains a NUL byte.")
            if len(value) > MAX_VALUE_LENGTH:
                raise BadRequest(f"Parameter '{key[:50]}' is too long.")


def integer(query, name, *, default, minimum, maximum):
    text = query.get(name, "")
    if text == "":
        return default
    if not INTEGER_RE.match(text) or not minimum <= int(text) <= maximum:
        raise BadRequest(f"'{name}' must be a whole number from {minimum} to {maximum}.")
    return int(text)


def page_params(query):
    page = integer(query, "page", default=1, minimum=1, maximum=MAX_PAGE)
    per_page = integer(query, "per_page", default=DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE)
    return page, per_page


def boolean(query, name):
    text = query.get(name, "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE or text == "":
        return False
    raise BadRequest(f"'{name}' must be true or false.")


def uuid_param(query, name):
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise BadRequest(f"'{name}' must be a UUID, like {NAMESPACE}.") from None


def path_uuid(text, what):
    """An id in the path: anything that is not a UUID cannot exist, so it is a 404."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"No {what} with id '{text[:100]}'.") from None


def datetime_param(query, name):
    """ISO 8601 date or date-time; without an offset it is the site's time zone."""
    text = query.get(name, "").strip()
    if not text:
        return None
    problem = (
        f"'{name}' must be an ISO 8601 date or date-time, like 2026-01-31 or "
        "2026-01-31T09:30:00Z (encode + as %2B)."
    )
    try:
        value = datetime.datetime.fromisoformat(text)
        if value.tzinfo is None:
            value = timezone.make_aware(value)
        value.astimezone(datetime.UTC)  # out of range near year 1 or 9999
    except (ValueError, OverflowError):
        raise BadRequest(problem) from None
    if not 1900 <= value.year <= 9998:
        raise BadRequest(problem)
    return value


def search_param(query):
    text = " ".join((query.get("search") or query.get("text") or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(f"'search' must be {MAX_QUERY_LENGTH} characters or fewer.")
    return text


def unsupported(query, *names):
    """Parameters of the standard we accept as false but do not implement."""
    for name in names:
        if boolean(query, name):
            raise BadRequest(f"'{name}=true' is not supported by this API.")
    fmt = query.get("format", "json").strip().lower() or "json"
    if fmt != "json":
        raise BadRequest("'format' must be json (ndjson is not supported by this API).")


# --- ids ---------------------------------------------------------------------------------


def derived_id(kind, *parts):
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *map(str, parts)])))


_SAL_TAG = 0x2A5  # 10 bits marking our version 8 ids
_BITS = 56


def service_at_location_id(service_pk, location_pk):
    """A version 8 UUID holding the tag, the service key and the location key (122 bits)."""
    payload = (_SAL_TAG << (2 * _BITS)) | (service_pk << _BITS) | location_pk
    high, mid, low = payload >> 74, (payload >> 62) & 0xFFF, payload & ((1 << 62) - 1)
    return str(uuid.UUID(int=(high << 80) | (0x8 << 76) | (mid << 64) | (0b10 << 62) | low))


def parse_service_at_location_id(value):
    """(service key, location key), or None if it is not one of our ids."""
    number = value.int
    if (number >> 76) & 0xF != 0x8 or (number >> 62) & 0b11 != 0b10:
        return None
    high, mid, low = number >> 80, (number >> 64) & 0xFFF, number & ((1 << 62) - 1)
    payload = (high << 74) | (mid << 62) | low
    if payload >> (2 * _BITS) != _SAL_TAG:
        return None
    mask = (1 << _BITS) - 1
    return (payload >> _BITS) & mask, payload & mask


def taxonomy_id(name):
    return derived_id("taxonomy", name)


# --- pagination --------------------------------------------------------------------------


def paginate(items, page, per_page, serialise):
    """The ORUK page envelope. `items` is a queryset or a list; a page past the end is an
    empty page (200), with `empty` true and the totals still correct."""
    total = len(items) if isinstance(items, list) else items.count()
    offset = (page - 1) * per_page
    rows = list(items[offset : offset + per_page]) if offset < total else []
    return _envelope(rows, total, page, per_page, serialise)


def paginate_search(services, criteria, page, per_page, shape, serialise):
    """paginate() for a keyword search: every match is ranked before a page can be cut, so
    directory.search.search_page returns the page's ids and the total in one narrow
    statement, and `shape` (service_list_queryset, service_detail_queryset) loads just
    those services."""
    total, found, _ = search_page(services, start=(page - 1) * per_page, size=per_page, **criteria)
    ids = [pk for pk, _ in found]
    loaded = shape(Service.objects.filter(pk__in=ids)).in_bulk() if ids else {}
    return _envelope([loaded[pk] for pk in ids], total, page, per_page, serialise)


def _envelope(rows, total, page, per_page, serialise):
    total_pages = math.ceil(total / per_page)
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(rows),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": not rows,
        "contents": [serialise(row) for row in rows],
    }


# --- querysets ---------------------------------------------------------------------------

ORGANISATION_FIELDS = [
    "uuid",
    "name",
    "description",
    "email",
    "website",
    "charity_number",
    "company_number",
    "modified",
]
SERVICE_LIST_FIELDS = [
    "uuid",
    "name",
    "description",
    "url",
    "email",
    "status",
    "minimum_age",
    "maximum_age",
    "last_reviewed",
    "modified",
    "organisation",
    *(f"organisation__{f}" for f in ORGANISATION_FIELDS),
]
SERVICE_DETAIL_FIELDS = [
    *SERVICE_LIST_FIELDS,
    "contact_name",
    "phone",
    "cost",
    "fees_description",
]
LOCATION_FIELDS = [
    "uuid",
    "name",
    "description",
    "address_1",
    "address_2",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "accessibility",
]


def published_organisations():
    """Active organisations with at least one published service: the directory's publishers."""
    return (
        Organisation.objects.filter(is_active=True)
        .filter(Exists(Service.objects.published().filter(organisation=OuterRef("pk"))))
        .only(*ORGANISATION_FIELDS)
        .order_by("name", "pk")
    )


def public_locations():
    return Location.objects.public().only(*LOCATION_FIELDS).order_by("name", "pk")


def terms_queryset():
    return TaxonomyTerm.objects.select_related("parent").only(
        "uuid", "name", "description", "taxonomy", "slug", "parent__uuid"
    )


@dataclass(frozen=True)
class ServiceFilters:
    search: str = ""
    taxonomy_term_id: uuid.UUID | None = None
    taxonomy_id: uuid.UUID | None = None
    organization_id: uuid.UUID | None = None
    modified_after: datetime.datetime | None = None

    @classmethod
    def from_query(cls, query):
        return cls(
            search=search_param(query),
            taxonomy_term_id=uuid_param(query, "taxonomy_term_id"),
            taxonomy_id=uuid_param(query, "taxonomy_id"),
            organization_id=uuid_param(query, "organization_id"),
            modified_after=datetime_param(query, "modified_after"),
        )


def filtered_services(filters: ServiceFilters):
    """Published services matching every filter, ranked as the public search ranks them."""
    services, criteria = service_search(filters)
    return search_services(services, **criteria)


def service_search(filters: ServiceFilters) -> tuple[QuerySet, dict]:
    """(published services allowed by the filters, search_services' criteria).

    A taxonomy term matches its sub-terms too (as the public category filter does). Costs one
    query for the categories when a taxonomy filter is given."""
    qs = Service.objects.published()
    category_ids = ()
    if filters.taxonomy_term_id or filters.taxonomy_id:
        terms = list(TaxonomyTerm.objects.values_list("pk", "uuid", "parent_id", "taxonomy"))
        if filters.taxonomy_term_id:
            category_ids = _with_descendants(terms, filters.taxonomy_term_id) or {0}
        if filters.taxonomy_id:
            in_taxonomy = [
                pk for pk, _, _, name in terms if taxonomy_id(name) == str(filters.taxonomy_id)
            ]
            through = Service.categories.through.objects
            qs = qs.filter(
                Exists(through.filter(service=OuterRef("pk"), taxonomyterm_id__in=in_taxonomy))
            )
    if filters.organization_id:
        qs = qs.filter(organisation__uuid=filters.organization_id)
    if filters.modified_after:
        # last_modified is the later of the service's and its organisation's changes.
        qs = qs.filter(
            Q(modified__gte=filters.modified_after)
            | Q(organisation__modified__gte=filters.modified_after)
        )
    return qs, {"q": " ".join(filters.search.split()), "category_ids": category_ids}


def _with_descendants(terms, term_uuid):
    children = {}
    start = None
    for pk, term_uuid_, parent_id, _ in terms:
        children.setdefault(parent_id, []).append(pk)
        if term_uuid_ == term_uuid:
            start = pk
    found, todo = set(), [start] if start else []
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def service_list_queryset(services):
    return services.select_related("organisation").only(*SERVICE_LIST_FIELDS)


def service_detail_queryset(services):
    """Everything a full service needs in five queries, however many services."""
    return (
        services.select_related("organisation")
        .only(*SERVICE_DETAIL_FIELDS)
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.only(*LOCATION_FIELDS)),
            Prefetch("categories", queryset=terms_queryset()),
            Prefetch(
                "schedules",
                queryset=Schedule.objects.only(
                    "uuid",
                    "service_id",
                    "location_id",
                    "weekday",
                    "opens_at",
                    "closes_at",
                    "description",
                ).order_by("weekday", "opens_at", "pk"),
            ),
        )
    )


def service_locations(services, *, near: Point | None = None, within_metres=None):
    """Links between the given services and their places, nearest first when `near` is given
    (the directory's equirectangular distance, as in directory.search)."""
    qs = (
        ServiceLocation.objects.filter(service__in=services.values("pk"))
        .select_related("service__organisation", "location")
        .only(
            "service_id",
            "location_id",
            *(f"service__{f}" for f in SERVICE_LIST_FIELDS),
            *(f"location__{f}" for f in LOCATION_FIELDS),
        )
    )
    if near is None:
        return qs.order_by("service_id", "location_id")  # the unique index: deep pages stay fast
    cos_lat = math.cos(math.radians(near.latitude))
    dy = Cast("location__latitude", FloatField()) - Value(near.latitude)
    dx = (Cast("location__longitude", FloatField()) - Value(near.longitude)) * Value(cos_lat)
    qs = qs.annotate(distance_sq=dy * dy + dx * dx)
    if within_metres is not None:
        degrees = within_metres / METRES_PER_MILE / MILES_PER_DEGREE
        qs = qs.filter(
            location__latitude__range=(near.latitude - degrees, near.latitude + degrees),
            location__longitude__range=(
                near.longitude - degrees / max(cos_lat, 0.01),
                near.longitude + degrees / max(cos_lat, 0.01),
            ),
            distance_sq__lte=degrees**2,
        )
    return qs.order_by(F("distance_sq").asc(nulls_last=True), "service__name", "pk")


def postcode_point(query):
    """(point, radius in metres) from `postcode` and `proximity`, or (None, None)."""
    text = query.get("postcode", "").strip()
    proximity = integer(query, "proximity", default=None, minimum=0, maximum=MAX_PROXIMITY_METRES)
    if not text:
        if proximity is not None:
            raise BadRequest("'proximity' needs a 'postcode'.")
        return None, None
    try:
        postcode = normalise_postcode(text)
    except ValidationError:
        raise BadRequest("'postcode' must be a UK postcode, like SS14 1AB.") from None
    found = coordinates(postcode)
    if found is None:
        raise BadRequest(f"We do not know the postcode {postcode}.")
    return Point(*found), proximity


# --- serialisers -------------------------------------------------------------------------


def _put(data, key, value):
    """Optional fields: left out when empty, never null."""
    if value is not None and value != "" and value != []:
        data[key] = value
    return data


def _timestamp(value):
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organization(org, *, identifiers=True):
    data = {"id": str(org.uuid), "name": org.name, "description": org.description}
    _put(data, "email", org.email)
    _put(data, "website", org.website)
    if identifiers:
        _put(data, "organization_identifiers", organization_identifiers(org))
    return data


IDENTIFIER_TYPES = {
    "GB-CHC": "Charity Commission for England and Wales number",
    "GB-SC": "Scottish Charity Regulator number",
    "GB-NIC": "Charity Commission for Northern Ireland number",
    "GB-COH": "Companies House number",
}


def organization_identifiers(org):
    """Charity and company numbers, with their org-id.guide schemes."""
    found = []
    charity = org.charity_number
    if charity.startswith("SC"):
        found.append(("GB-SC", charity))
    elif charity.startswith("NIC"):
        found.append(("GB-NIC", charity.removeprefix("NIC")))
    elif charity:
        found.append(("GB-CHC", charity))
    if org.company_number:
        found.append(("GB-COH", org.company_number))
    return [
        {
            "id": derived_id("organization_identifier", org.uuid, scheme),
            "organization_id": str(org.uuid),
            "identifier_scheme": scheme,
            "identifier_type": IDENTIFIER_TYPES[scheme],
            "identifier": identifier,
        }
        for scheme, identifier in found
    ]


def _last_modified(service):
    return max(service.modified, service.organisation.modified)


def service_summary(service):
    """A /services list item: one-to-one fields only (the list schema forbids the arrays)."""
    data = {
        "id": str(service.uuid),
        "organization_id": str(service.organisation.uuid),
        "name": service.name,
        "description": service.description,
        "status": service.status,
    }
    _put(data, "url", service.url)
    _put(data, "email", service.email)
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    _put(data, "assured_date", service.last_reviewed and service.last_reviewed.isoformat())
    data["last_modified"] = _timestamp(_last_modified(service))
    return data


def service_full(service):
    """GET /services/{id}: the service with its organisation, places, times and categories."""
    data = service_summary(service)
    service_id = data["id"]
    data["organization"] = organization(service.organisation)
    locations = list(service.locations.all())
    located = {loc.pk for loc in locations}
    sals = [
        {
            "id": service_at_location_id(service.pk, loc.pk),
            "service_id": service_id,
            "location_id": str(loc.uuid),
            "location": location(loc),
        }
        for loc in sorted(locations, key=lambda loc: (loc.name, loc.pk))
    ]
    _put(data, "service_at_locations", sals)
    _put(data, "schedules", [schedule(s, service, located) for s in service.schedules.all()])
    contacts = []
    if service.contact_name:
        contacts.append(
            {
                "id": derived_id("contact", service.uuid),
                "service_id": service_id,
                "name": service.contact_name,
            }
        )
    _put(data, "contacts", contacts)
    if service.phone:
        # ORUK 3.0 defines phone but places it nowhere; HSDS 3.0 puts phones on the service.
        phone = {"id": derived_id("phone", service.uuid), "number": service.phone}
        _put(phone, "contact_id", contacts[0]["id"] if contacts else None)
        data["phones"] = [phone]
    data["cost_options"] = [cost_option(service)]
    attributes = [
        {
            "id": derived_id("attribute", service.uuid, term.uuid),
            "link_id": service_id,
            "link_type": "service_type",
            "link_entity": "service",
            "taxonomy_term_id": str(term.uuid),
            "taxonomy_term": taxonomy_term(term),
        }
        for term in sorted(service.categories.all(), key=lambda t: (t.name, t.pk))
    ]
    _put(data, "attributes", attributes)
    return data


def cost_option(service):
    data = {"id": derived_id("cost_option", service.uuid), "service_id": str(service.uuid)}
    if service.cost == Service.Cost.FREE:
        data["amount"] = 0
    description = service.fees_description or service.get_cost_display()
    _put(data, "amount_description", description)
    return data


def schedule(item, service, located):
    data = {"id": str(item.uuid), "service_id": str(service.uuid)}
    if item.location_id in located:
        data["service_at_location_id"] = service_at_location_id(service.pk, item.location_id)
    if item.weekday:
        data.update(freq="WEEKLY", interval=1, byday=Schedule.BYDAY[item.weekday])
    _put(data, "opens_at", item.opens_at and item.opens_at.strftime("%H:%M"))
    _put(data, "closes_at", item.closes_at and item.closes_at.strftime("%H:%M"))
    _put(data, "description", str(item))
    return data


def location(loc):
    data = {"id": str(loc.uuid), "location_type": "physical"}
    _put(data, "name", loc.name)
    _put(data, "description", loc.description)
    if loc.latitude is not None and loc.longitude is not None:
        data["latitude"] = float(loc.latitude)
        data["longitude"] = float(loc.longitude)
    data["addresses"] = [
        {
            "id": derived_id("address", loc.uuid),
            "location_id": str(loc.uuid),
            "address_1": ", ".join(p for p in (loc.address_1, loc.address_2) if p),
            "city": loc.town,
            # Required by the schema; UK addresses need no county, so it is empty.
            "state_province": "",
            "postal_code": loc.postcode,
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]
    if loc.accessibility:
        data["accessibility"] = [
            {
                "id": derived_id("accessibility", loc.uuid),
                "location_id": str(loc.uuid),
                "description": loc.accessibility,
            }
        ]
    return data


def service_at_location(link, *, with_service):
    service, loc = link.service, link.location
    data = {
        "id": service_at_location_id(link.service_id, link.location_id),
        "service_id": str(service.uuid),
        "location_id": str(loc.uuid),
        "location": location(loc),
    }
    if with_service:
        data["service"] = service_summary(service)
    return data


def taxonomy_term(term):
    data = {
        "id": str(term.uuid),
        "name": term.name,
        "description": term.description,
        "taxonomy": term.taxonomy,
        "taxonomy_id": taxonomy_id(term.taxonomy),
    }
    if term.parent_id:
        data["parent_id"] = str(term.parent.uuid)
    return data


def taxonomy(name, *, site_name, terms=None):
    data = {
        "id": taxonomy_id(name),
        "name": name,
        "description": f"Categories of services in the {site_name} community directory.",
    }
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in terms]
    return data
