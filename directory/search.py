"""Find published services: keywords, filters and distance from a point, in one queryset.

Keyword search on PostgreSQL uses the weighted tsvector `Service.search_document` (GIN
indexed; name, keywords, organisation and category names, description) ranked with ts_rank;
when the words find fewer than TYPO_THRESHOLD services, trigram word similarity on the name
(GIN trigram index) joins in, so "fod bank" still finds food banks. Elsewhere (SQLite) every
word must appear in the name, keywords, description, organisation or a category, and name
matches rank first.

Distance uses an equirectangular approximation (good to well under 1% at borough scale):
a bounding box on latitude/longitude (indexed) and ORDER BY the squared distance to the
nearest location (MIN over a join), so sorting covers the whole result set on either database.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from directory.models import Location, Schedule, Service

MILES_PER_DEGREE = 69.05  # one degree of latitude
MAX_QUERY_WORDS = 10
TYPO_THRESHOLD = 20  # fewer full-text matches than this: also match names by similarity


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def miles_to(self, latitude, longitude) -> float:
        dy = float(latitude) - self.latitude
        dx = (float(longitude) - self.longitude) * math.cos(math.radians(self.latitude))
        return math.hypot(dx, dy) * MILES_PER_DEGREE


def search_services(
    queryset: QuerySet | None = None,
    *,
    q: str = "",
    category_ids: Iterable[int] = (),
    area_id: int | None = None,
    age: int | None = None,
    costs: Iterable[str] = (),
    access: Iterable[str] = (),
    days: Iterable[int] = (),
    near: Point | None = None,
    within_miles: float | None = None,
    typo: bool | None = None,
) -> QuerySet:
    """Published services matching every given criterion, best first.

    Annotates `rank` when there are keywords and `distance_sq` (degrees squared; see
    `Point.miles_to` for miles) when `near` is given. Inputs must already be validated.
    `typo`: also match names by similarity (PostgreSQL); None decides by whether the words
    alone find fewer than TYPO_THRESHOLD services (one small query).
    """
    qs = Service.objects.published() if queryset is None else queryset
    if category_ids:
        through = Service.categories.through.objects
        qs = qs.filter(
            Exists(through.filter(service=OuterRef("pk"), taxonomyterm_id__in=list(category_ids)))
        )
    if area_id:
        qs = qs.filter(
            Exists(
                Location.objects.filter(services=OuterRef("pk")).filter(
                    Q(area_id=area_id) | Q(area__parent_id=area_id)
                )
            )
        )
    if age is not None:
        qs = qs.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)).filter(
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
        )
    if costs:
        qs = qs.filter(cost__in=list(costs))
    if access:
        qs = qs.filter(access__in=list(access))
    if days:
        qs = qs.filter(Exists(Schedule.objects.filter(service=OuterRef("pk"), weekday__in=days)))

    ordering = []
    if near is not None:
        qs = _near(qs, near, within_miles)
        ordering.append(F("distance_sq").asc(nulls_last=True))
    q = " ".join(q.split())
    if q:
        qs = _keywords(qs, q, typo)
        ordering.insert(0 if near is None else 1, F("rank").desc())
    return qs.order_by(*ordering, "name", "pk")


def _keywords(qs, q, typo):
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config="english", search_type="websearch")
        matches = Q(search_document=query)
        if typo is None:
            # Typo tolerance only when the words themselves find few services: LIMIT 1
            # OFFSET 19 on the full-text index, which stops early for common words.
            found = Service.objects.filter(matches).order_by()
            typo = not found[TYPO_THRESHOLD - 1 : TYPO_THRESHOLD].exists()
        if not typo:
            # One indexed document (name, keywords, organisation and category names,
            # description): no joins, so the page costs one pass over the matching rows.
            return qs.filter(matches).annotate(rank=SearchRank(F("search_document"), query))
        # Typo mode (few rows): names by trigram word similarity join in, below word matches.
        rank = Case(
            When(matches, then=SearchRank(F("search_document"), query) + Value(1.0)),
            default=TrigramWordSimilarity(q, "name"),
            output_field=FloatField(),
        )
        return qs.filter(matches | Q(TrigramWordSimilar(F("name"), Value(q)))).annotate(rank=rank)
    words = q.split()[:MAX_QUERY_WORDS]
    for word in words:
        qs = qs.filter(
            Q(name__icontains=word)
            | Q(keywords__icontains=word)
            | Q(description__icontains=word)
            | Q(search_extra__icontains=word)
        )
    return qs.annotate(
        rank=Case(
            When(name__icontains=q, then=Value(3)),
            When(name__icontains=words[0], then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


def _near(qs, point, within_miles):
    cos_lat = math.cos(math.radians(point.latitude))
    dy = Cast("locations__latitude", FloatField()) - Value(point.latitude)
    dx = (Cast("locations__longitude", FloatField()) - Value(point.longitude)) * Value(cos_lat)
    if within_miles:
        dlat = within_miles / MILES_PER_DEGREE
        dlon = dlat / max(cos_lat, 0.01)
        # Services with a place in the box (latitude/longitude index), before any distances.
        in_box = Location.objects.filter(
            latitude__range=(point.latitude - dlat, point.latitude + dlat),
            longitude__range=(point.longitude - dlon, point.longitude + dlon),
        ).values("services")
        qs = qs.filter(pk__in=in_box)
    # Nearest place per service: one grouped join, not a subquery per service.
    qs = qs.annotate(distance_sq=Min(dy * dy + dx * dx, output_field=FloatField()))
    if within_miles:
        qs = qs.filter(distance_sq__lte=(within_miles / MILES_PER_DEGREE) ** 2)
    return qs
