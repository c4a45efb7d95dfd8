"""Find published services: keywords, filters and distance from a point, in one queryset.

Keyword search on PostgreSQL uses the weighted tsvector `Service.search_document` (GIN
indexed; name, keywords, organisation and category names, description) ranked with ts_rank.
When the words find fewer than TYPO_THRESHOLD services, misspelt words are corrected from the
search vocabulary (`spelling`: "fod bank" also looks for "food bank"), or, when every word is
known, names similar to the words join in (trigram word similarity). Elsewhere (SQLite) every
word must appear in the name, keywords, description, organisation or a category, and name
matches rank first.

Distance uses an equirectangular approximation (good to well under 1% at borough scale):
a bounding box on latitude/longitude (indexed) and ORDER BY the squared distance to the
nearest location (MIN over a join), so sorting covers the whole result set on either database.

`search_page` cuts one page of a ranked or measured search in one statement (see there).
"""

import math
import re
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
NEAR_FIRST_MILES = (5, 25)  # near a point at any distance: look this close first (search_page)


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
    corrected: str = "",
) -> QuerySet:
    """Published services matching every given criterion, best first.

    Annotates `rank` when there are keywords and `distance_sq` (degrees squared; see
    `Point.miles_to` for miles) when `near` is given. Inputs must already be validated.
    `typo` and `corrected` (PostgreSQL): what `spelling(q)` says, which it asks when `typo`
    is None (one small query). With `typo`, the `corrected` words join in, or when there are
    none, names similar to the words.
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
        qs = _near(qs, near)
        if within_miles:
            qs = _within(qs, near, within_miles)
        ordering.append(F("distance_sq").asc(nulls_last=True))
    q = " ".join(q.split())
    if q:
        qs = _keywords(qs, q, typo, corrected)
        ordering.insert(0 if near is None else 1, F("rank").desc())
    return qs.order_by(*ordering, "name", "pk")


def spelling(q: str) -> tuple[bool, str]:
    """(typo, corrected) for keywords `q`, in one query (PostgreSQL; elsewhere (False, "")).

    `typo`: the words alone find fewer than TYPO_THRESHOLD published services (counting stops
    there, so common words cost little). `corrected`: when they do, `q` with each word that
    no listed service uses (3+ letters, no digits; the first MAX_QUERY_WORDS such) replaced by
    the most similar word that one does (trigram similarity, then the commoner word), e.g.
    "fod bank" -> "food bank"; "" when no word was replaced.
    """
    q = " ".join(q.split())
    if not q or connection.vendor != "postgresql":
        return False, ""
    query = SearchQuery(q, config="english", search_type="websearch")
    found = Service.objects.published().filter(search_document=query).order_by().values("pk")
    found_sql, params = found[:TYPO_THRESHOLD].query.sql_with_params()
    parts = _WORD.split(q)
    words = (w.lower() for w in parts[1::2] if 3 <= len(w) <= 100 and w.isalpha())
    unknown = list(dict.fromkeys(words))[:MAX_QUERY_WORDS]  # a bounded number of lookups
    with connection.cursor() as cursor:
        # Only for a search that finds too little: each word not in the vocabulary, with
        # the vocabulary's closest word (trigram GIN index on directory_searchword.word).
        cursor.execute(
            f"""WITH found AS (SELECT COUNT(*) AS n FROM ({found_sql}) f)
            SELECT found.n, w.word, (
                SELECT v.word FROM directory_searchword v WHERE v.word %% w.word
                ORDER BY similarity(v.word, w.word) DESC, v.services DESC, v.word LIMIT 1
            ) FROM found LEFT JOIN unnest(%s::text[]) AS w(word) ON found.n < %s
                AND NOT EXISTS (SELECT 1 FROM directory_searchword k WHERE k.word = w.word)""",  # noqa: S608
            [*params, unknown, TYPO_THRESHOLD],
        )
        rows = cursor.fetchall()
    if rows[0][0] >= TYPO_THRESHOLD:
        return False, ""
    corrections = {word: better for _, word, better in rows if word and better}
    if not corrections:
        return True, ""
    parts[1::2] = [corrections.get(w.lower(), w) for w in parts[1::2]]
    return True, "".join(parts)


_WORD = re.compile(r"([^\W_]+)")  # split() keeps the words at odd positions


def _keywords(qs, q, typo, corrected):
    if connection.vendor == "postgresql":
        query = SearchQuery(q, config="english", search_type="websearch")
        matches = Q(search_document=query)
        if typo is None:
            typo, corrected = spelling(q)
        if not typo:
            # One indexed document (name, keywords, organisation and category names,
            # description): no joins, so the page costs one pass over the matching rows.
            return qs.filter(matches).annotate(rank=SearchRank(F("search_document"), query))
        if corrected:
            # A misspelt word: the corrected words join in through the same index.
            also = SearchQuery(corrected, config="english", search_type="websearch")
            wider = Q(search_document=query | also)
            wider_rank = SearchRank(F("search_document"), also)
        else:
            # Every word is known but they find few services: names by trigram word
            # similarity join in (a listing called "Pantri club" for "pantry").
            wider = matches | Q(TrigramWordSimilar(F("name"), Value(q)))
            wider_rank = TrigramWordSimilarity(q, "name")
        # Matches of the words as typed first, then what the wider search added.
        rank = Case(
            When(matches, then=SearchRank(F("search_document"), query) + Value(1.0)),
            default=wider_rank,
            output_field=FloatField(),
        )
        return qs.filter(wider).annotate(rank=rank)
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


def _near(qs, point):
    cos_lat = math.cos(math.radians(point.latitude))
    dy = Cast("locations__latitude", FloatField()) - Value(point.latitude)
    dx = (Cast("locations__longitude", FloatField()) - Value(point.longitude)) * Value(cos_lat)
    # Nearest place per service: one grouped join, not a subquery per service.
    return qs.annotate(distance_sq=Min(dy * dy + dx * dx, output_field=FloatField()))


def _within(qs, point, miles):
    """Services (annotated by _near) with a place within `miles` of the point."""
    dlat = miles / MILES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(point.latitude)), 0.01)
    # Services with a place in the box (latitude/longitude index), before any distances.
    in_box = Location.objects.filter(
        latitude__range=(point.latitude - dlat, point.latitude + dlat),
        longitude__range=(point.longitude - dlon, point.longitude + dlon),
    ).values("services")
    return qs.filter(pk__in=in_box, distance_sq__lte=dlat**2)


def search_page(
    queryset: QuerySet | None = None,
    *,
    start: int,
    size: int,
    last_page: bool = False,
    count_up_to: int | None = None,
    **criteria,
) -> tuple[int, list[tuple[int, dict]], str]:
    """One page of `search_services(queryset, **criteria)` when it has keywords or a point:
    (total, [(pk, {"rank": ..., "distance_sq": ...}), ...], corrected) in result order, where
    `corrected` is the corrected words that joined the search ("" when none did, or when on
    the first page they found nothing the words as typed had not). A page past
    the end is an empty list, with the total still right; with `last_page`, the last page.

    Every match has to be ranked or measured before a page can be cut, so one statement does
    it all: the ranking query as a subquery (kept apart with OFFSET 0 on PostgreSQL, so that
    each row's rank is worked out as the row is read, instead of the whole document being
    carried through the window), COUNT(*) OVER () for the total, then the page.

    Without `typo`, a first page searches the words as typed. A total of TYPO_THRESHOLD or
    more settles it (the words alone, without the filters, find at least as many), so most
    searches need no spelling query; below it, `spelling` decides, and a misspelt search is
    run again with its corrections or similar names. A later page asks `spelling` first.

    Near a point at any distance, most pages lie close by: the statement first measures only
    the services with a place within NEAR_FIRST_MILES[0]. When they fill the page, they are
    the page (everything else is further away or has no place); when they do not, the same
    statement looks further (NEAR_FIRST_MILES[1]), and then measures every match. The total
    counts the matches without measuring them.

    With `count_up_to`, a total above it is given as count_up_to + 1 ("more than"), and near
    a point at any distance counting stops there: a common word near a postcode matches most
    of a county's services, and counting them all was two thirds of the statement. The last
    page is then the one holding the count_up_to-th.
    """
    criteria = dict(criteria)
    if criteria.get("typo") is None and start:
        criteria["typo"], criteria["corrected"] = spelling(criteria.get("q", ""))
    if criteria.get("typo") is None:
        criteria.update(typo=False, corrected="")
        total, rows = _one_page(queryset, start, size, criteria, count_up_to)
        if total < TYPO_THRESHOLD and criteria.get("q"):
            typo, corrected = spelling(criteria["q"])
            if typo:
                as_typed = total
                criteria.update(typo=True, corrected=corrected)
                total, rows = _one_page(queryset, start, size, criteria, count_up_to)
                if corrected and 0 < total == as_typed:
                    criteria["corrected"] = ""  # they found nothing the words had not
    else:
        total, rows = _one_page(queryset, start, size, criteria, count_up_to)
    if last_page and not rows and total:
        shown = total if count_up_to is None else min(total, count_up_to)
        total, rows = _one_page(queryset, (shown - 1) // size * size, size, criteria, count_up_to)
    return total, rows, criteria.get("corrected", "")


def _one_page(queryset, start, size, criteria, count_up_to=None):
    """search_page's statement, with the typo mode decided: (total, rows)."""
    limit = None if count_up_to is None else count_up_to + 1  # totals stop here
    found = search_services(queryset, **criteria)
    extra = list(found.query.annotations)  # rank, distance_sq
    columns = ["pk", "name", *extra]
    inner, params = _select(found, columns)
    order = _order_sql(found.query.order_by)
    picked = ", ".join(_quote(c) for c in ["pk", *extra])
    near_first = criteria.get("near") is not None and not criteria.get("within_miles")
    # What the total counts: at any distance, the matches without measuring them.
    counted = search_services(queryset, **{**criteria, "near": None}) if near_first else found
    if near_first:
        sql, params = _near_first_sql(
            found,
            criteria["near"],
            columns,
            picked,
            (inner, params),
            counted,
            start + size,
            limit,
        )
    else:
        sql = f"SELECT {picked}, COUNT(*) OVER () FROM {_apart(inner)} found"
    sql += f" ORDER BY {order} LIMIT %s OFFSET %s"
    params = (*params, size, start)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:  # nothing found, or past the end (then the total needs counting)
        return (counted.order_by()[:limit].count() if start else 0), []
    total = rows[0][-1] if limit is None else min(rows[0][-1], limit)
    return total, [(row[0], dict(zip(extra, row[1:-1], strict=True))) for row in rows]


def _near_first_sql(found, point, columns, picked, everything, counted, needed, limit):
    """search_page's statement for "near a point at any distance", up to its ORDER BY: the
    services of `found` within NEAR_FIRST_MILES[0] of `point` when they are enough for the
    page, else those within the next distance, else every match (`everything`: SQL and
    params); and the total, the rows of `counted` (at most `limit`, unless None). PostgreSQL
    works out a CTE only when a branch that reads it runs, so the wider looks cost nothing
    when a closer one suffices."""
    names = ", ".join(_quote(c) for c in columns)
    ctes, params, branches, fewer = [], [], [], []
    for n, miles in enumerate(NEAR_FIRST_MILES):
        # What search_services(within_miles=miles) gives, without building it all again.
        near, near_params = _select(_within(found, point, miles), columns)
        ctes.append(f"near_{n} AS MATERIALIZED ({near})")
        params.extend(near_params)
        branches.append(
            (
                f"SELECT {names} FROM near_{n}",
                [],
                [*fewer, f"(SELECT COUNT(*) FROM near_{n}) >= %s"],
            )
        )
        fewer.append(f"(SELECT COUNT(*) FROM near_{n}) < %s")
    branches.append(
        (f"SELECT {names} FROM {_apart(everything[0])} everything", everything[1], fewer)
    )
    matches, matches_params = _select(counted, ["pk"])
    if limit is not None:
        matches += " LIMIT %s"
        matches_params = (*matches_params, limit)
    params.extend(matches_params)
    union = []
    for select, select_params, conditions in branches:
        union.append(f"{select} WHERE {' AND '.join(conditions)}")
        params.extend([*select_params, *[needed] * len(conditions)])
    sql = (
        f"WITH {', '.join(ctes)} SELECT {picked}, (SELECT COUNT(*) FROM ({matches}) matches) "
        f"FROM ({' UNION ALL '.join(union)}) found"
    )
    return sql, params


def _quote(name):
    return connection.ops.quote_name(name)


def _apart(sql):
    """`sql` as a subquery that PostgreSQL plans on its own (OFFSET 0 stops it being merged
    into the outer query), so its expressions are worked out as its rows are read."""
    return f"({sql} OFFSET 0)" if connection.vendor == "postgresql" else f"({sql})"


def _select(queryset, columns):
    """The SQL of `queryset` giving these columns (aliased by name), without its ordering."""
    return queryset.order_by().values_list(*columns).query.sql_with_params()


def _order_sql(order_by):
    """search_services' ordering ("name", "pk", F(...).asc()/.desc()) over the columns of
    search_page's subquery."""
    parts = []
    for item in order_by:
        if isinstance(item, str):
            name, descending, nulls_last = item.lstrip("-"), item.startswith("-"), False
        else:
            name, descending, nulls_last = item.expression.name, item.descending, item.nulls_last
        parts.append(
            _quote(name)
            + (" DESC" if descending else " ASC")
            + (" NULLS LAST" if nulls_last else "")
        )
    return ", ".join(parts)
