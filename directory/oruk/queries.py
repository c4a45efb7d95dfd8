"""What the ORUK API reads: the published records, filtered and searched, and paginated into
the standard's envelope."""

import math
from functools import cached_property

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, F, FloatField, OuterRef, Prefetch, Value
from django.db.models.functions import Cast

from directory.models import Location, Postcode, Schedule, Service, TaxonomyTerm
from directory.oruk import profile
from directory.oruk.ids import taxonomy_id
from directory.oruk.params import (
    MAX_PROXIMITY_METRES,
    METRES_PER_MILE,
    NAMESPACE,
    BadRequest,
    ServiceLocation,
    integer,
    parse_datetime,
)
from directory.postcodes import normalise_postcode
from directory.search import (
    MAX_QUERY_LENGTH,
    MILES_PER_DEGREE,
    Point,
    SearchFilterSet,
    search_page,
)
from directory.search.filters import CategoryFilter, KeywordFilter
from partners.models import Organisation

# --- pagination --------------------------------------------------------------------------


def paginate(items, page, per_page, serialise):
    """The ORUK page envelope. `items` is a queryset or a list; a page past the end is an
    empty page (200), with `empty` true and the totals still correct."""
    total = len(items) if isinstance(items, list) else items.count()
    offset = (page - 1) * per_page
    rows = list(items[offset : offset + per_page]) if offset < total else []
    return _envelope(rows, total, page, per_page, serialise)


# A keyword search's total_items is exact up to this many matches, and an estimate beyond
# (directory.search.ranking: a sample of the table), so a common word in a national
# directory does not count every match for every page.
COUNT_EXACTLY_UP_TO = 10_000


def paginate_search(search, page, per_page, shape, serialise):
    """paginate() for a keyword search: the matches are ranked before a page can be cut (in a
    large table, very common words a sample's matches first, then the others: each match
    once, page after page; directory.search.ranking._bounded_sql), so
    directory.search.search_page returns the page's ids and the total in one narrow
    statement, and `shape` (service_list_queryset, service_detail_queryset) loads just
    those services."""
    total, found, _ = search_page(
        search, start=(page - 1) * per_page, size=per_page, count_up_to=COUNT_EXACTLY_UP_TO
    )
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
    "last_modified",
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
    "step_free_access",
    "accessible_toilet",
    "hearing_loop",
    "parking",
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


# --- the services' search ----------------------------------------------------------------


def _uuid_error(name):
    return {"invalid": f"'{name}' must be a UUID, like {NAMESPACE}."}


class IsoDateTimeField(forms.CharField):
    def to_python(self, value):
        try:
            return parse_datetime(super().to_python(value), self.label)
        except BadRequest as exc:
            raise ValidationError(exc.message) from None


class ModifiedAfterFilter(django_filters.Filter):
    """Services whose ORUK last_modified (kept by directory.services.touch_services) is on or
    after the time: one indexed range."""

    field_class = IsoDateTimeField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(last_modified__gte=value)


class TermFilter(CategoryFilter):
    """A taxonomy term by its id, with its sub-terms (as the public category filter)."""

    field_class = forms.UUIDField

    def filter(self, qs, value):
        return super().filter(qs, [value]) if value else qs


class TaxonomyFilter(django_filters.UUIDFilter):
    """Services with a term in the taxonomy with this id."""

    def filter(self, qs, value):
        if not value:
            return qs
        ids = [pk for pk, _, _, name in self.parent.terms if taxonomy_id(name) == str(value)]
        through = Service.categories.through.objects
        return qs.filter(Exists(through.filter(service=OuterRef("pk"), taxonomyterm_id__in=ids)))


def _search_error(name):
    return {"max_length": f"'{name}' must be {MAX_QUERY_LENGTH} characters or fewer."}


class OrukServiceSearch(SearchFilterSet):
    """/services (and /service_at_locations) filters: `search` (or `text`), a taxonomy term
    (with its sub-terms), a taxonomy, an organisation and `modified_after`, combined (AND).
    The taxonomy filters cost one query for the terms."""

    keyword_params = ("search", "text")
    ranked_last = ("search", "text")

    search = KeywordFilter(max_length=MAX_QUERY_LENGTH, error_messages=_search_error("search"))
    text = KeywordFilter(max_length=MAX_QUERY_LENGTH, error_messages=_search_error("search"))
    taxonomy_term_id = TermFilter(error_messages=_uuid_error("taxonomy_term_id"))
    taxonomy_id = TaxonomyFilter(error_messages=_uuid_error("taxonomy_id"))
    organization_id = django_filters.UUIDFilter(
        field_name="organisation__uuid", error_messages=_uuid_error("organization_id")
    )
    modified_after = ModifiedAfterFilter(label="modified_after")
    # The 2024 UK profile's filters (directory.oruk.profile).
    minimum_age = profile.MinimumAgeFilter(error_messages=profile.age_errors("minimum_age"))
    maximum_age = profile.MaximumAgeFilter(error_messages=profile.age_errors("maximum_age"))
    day = profile.DayFilter(field_name="day")
    start_time = profile.TimeFilter(field_name="start_time", label="start_time")
    end_time = profile.TimeFilter(field_name="end_time", label="end_time")

    class Meta:
        model = Service
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if data is not None and (data.get("search") or "").strip():
            data = data.copy()
            data.pop("text", None)  # `search` wins, as the standard's alias `text` is unused
        super().__init__(data, queryset, **kwargs)

    def check(self):
        """Raise BadRequest with the first parameter's problem, in the order declared."""
        if not self.is_valid():
            field, errors = next(iter(self.form.errors.items()))
            raise BadRequest(errors[0])
        if problem := profile.check_ranges(self.form.cleaned_data):
            raise BadRequest(problem)

    @cached_property
    def terms(self):
        return list(TaxonomyTerm.objects.values_list("pk", "uuid", "parent_id", "taxonomy"))

    def category_ids(self, values):
        children, found = {}, []
        for pk, term_uuid, parent_id, _ in self.terms:
            children.setdefault(parent_id, []).append(pk)
            if term_uuid in values:
                found.append(pk)
        ids = set()
        while found:
            pk = found.pop()
            if pk not in ids:
                ids.add(pk)
                found.extend(children.get(pk, []))
        return ids


def service_list_queryset(services):
    return services.select_related("organisation").only(*SERVICE_LIST_FIELDS)


def service_detail_queryset(services):
    """Everything a full service needs in six queries, however many services."""
    return (
        services.select_related("organisation")
        .only(*SERVICE_DETAIL_FIELDS)
        .prefetch_related(
            Prefetch("locations", queryset=Location.objects.only(*LOCATION_FIELDS)),
            Prefetch("categories", queryset=terms_queryset()),
            "languages",
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
    found = Postcode.objects.coordinates(postcode)
    if found is None:
        raise BadRequest(f"We do not know the postcode {postcode}.")
    return Point(*found), proximity
