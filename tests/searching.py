"""Searches from tests, with the search's Python values: builds the public page's FilterSet
(directory.search.ServiceSearch) from them, as its query string would."""

import pytest
from django.db import connection
from django.http import QueryDict

from directory.models import Area, TaxonomyTerm
from directory.search import ServiceSearch, Spelling
from directory.search import search_page as _search_page


def service_search(
    queryset=None,
    *,
    q="",
    category_ids=(),
    area_id=None,
    age=None,
    costs=(),
    access=(),
    days=(),
    times=(),
    open_now=False,
    near=None,
    within_miles=None,
    typo=None,
    corrected="",
):
    slugs = TaxonomyTerm.objects.filter(pk__in=category_ids).values_list("slug", flat=True)
    data = {
        "q": q,
        "category": list(slugs) if category_ids else [],
        "area": Area.objects.get(pk=area_id).slug if area_id else "",
        "age": "" if age is None else str(age),
        "cost": list(costs),
        "access": list(access),
        "day": [str(d) for d in days],
        "time": list(times),
        "open": ["now"] if open_now else [],
        "distance": str(int(within_miles)) if within_miles else "",
    }
    query = QueryDict(mutable=True)
    for name, value in data.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    spelling = None if typo is None else Spelling(typo, corrected)
    search = ServiceSearch(query, queryset, point=near, spelling=spelling)
    assert search.is_valid(), search.errors
    return search


def search_services(queryset=None, **criteria):
    """Every match, best first (annotated with rank and distance_sq where searched)."""
    return service_search(queryset, **criteria).qs


def search_page(queryset=None, *, start, size, last_page=False, count_up_to=None, **criteria):
    return _search_page(
        service_search(queryset, **criteria),
        start=start,
        size=size,
        last_page=last_page,
        count_up_to=count_up_to,
    )


def take_table_as(monkeypatch, *, large, rum):
    """Make the ranker take the services table as large (or not) and as having the RUM index
    (or not; skipped where the extension is absent). Returns the ranker's key for it."""
    from directory.search import ranking

    key = ranking._database(connection)
    monkeypatch.setitem(ranking._LARGE, key, large)
    if rum:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname LIKE '%%search_rum'")
            if cursor.fetchone() is None:
                pytest.skip("the RUM extension is not installed here")
    monkeypatch.setitem(ranking._RUM, key, rum)
    return key
