"""Search of published services: one layer used by the public search page and the ORUK API.

- `filters`: the parameters as a django-filter FilterSet (`SearchFilterSet`; the public page's
  `ServiceSearch`, the ORUK API's `directory.oruk.params.OrukServiceSearch`). Each filter
  validates its parameter and narrows the services itself.
- `ranking`: how keywords match and rank, spelling correction, and how a page is cut with its
  total: `PostgresRanker` (full-text, ts_rank, one hand-assembled statement a page) or
  `OrmRanker` (SQLite), chosen by the database read.
- `pages`: `search_page` (one ranked page, spelling decided on the way) and `results_page`
  (the public page's paginator).
- `geo`: `Point`, distance to a service's nearest place.

Use it like a FilterSet:

    search = ServiceSearch(request.GET)
    if search.is_valid():
        results = results_page(search, number)   # or search.qs for every match, best first

Adding a filter (say "open now" or "languages"):

1. Declare it on `ServiceSearch` (and on the ORUK FilterSet if the API takes it). A filter on
   a plain field needs nothing more: `wheelchair = django_filters.BooleanFilter(
   field_name="wheelchair_access")`. Otherwise subclass a django-filter filter and override
   `filter(self, qs, value)` to return `qs` narrowed (return `qs` unchanged for an empty
   value); use `Exists(...)` for anything across a relation, so rows are not multiplied and
   the page stays one statement. `self.parent` is the FilterSet (its `point`, `keywords`...).
2. Give it `error_messages` for bad input: they are shown on the page (or the API's 400).
3. Add the field to templates/directory/search.html. Nothing else changes: ranking, counting,
   pagination, spelling and caching read the filtered queryset.

Keep a filter to at most one query of its own (better none: compare in SQL), since a search
page runs a constant number of queries (tests/directory/test_scale.py asserts it).
"""

from directory.search.filters import (
    MAX_QUERY_LENGTH,
    RADIUS_CHOICES,
    SearchFilterSet,
    ServiceSearch,
)
from directory.search.geo import MILES_PER_DEGREE, Point
from directory.search.pages import MOST_PAGES, PAGE_SIZE, ResultsPage, results_page, search_page
from directory.search.ranking import (
    AS_TYPED,
    NEAR_FIRST_MILES,
    TYPO_THRESHOLD,
    Spelling,
    ranker_for,
)

__all__ = [
    "AS_TYPED",
    "MAX_QUERY_LENGTH",
    "MILES_PER_DEGREE",
    "MOST_PAGES",
    "NEAR_FIRST_MILES",
    "PAGE_SIZE",
    "RADIUS_CHOICES",
    "TYPO_THRESHOLD",
    "Point",
    "ResultsPage",
    "SearchFilterSet",
    "ServiceSearch",
    "Spelling",
    "ranker_for",
    "results_page",
    "search_page",
]
