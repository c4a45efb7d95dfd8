"""The search filters' categories and towns, kept under the version key (core.cache): two
small lists every search page needs, also for visitors the page cache skips. They are kept
as plain tuples: unpickling the towns as model instances took about 1 ms of every search
page with 250 towns (100,000 services), 3 ms with 540 (1,000,000)."""

from typing import NamedTuple

from django.core.cache import cache

from core.cache import version

SECONDS = 3600


class Term(NamedTuple):
    """A category (directory.models.TaxonomyTerm) as the filters need it."""

    pk: int
    slug: str
    name: str
    parent_id: int | None


class Town(NamedTuple):
    """A town (directory.models.Area of kind TOWN) as the filters need it."""

    pk: int
    slug: str
    name: str


def filter_choices() -> tuple[list[Term], list[Town]]:
    """(categories, towns) for the search filters, in the models' default order."""
    from directory.models import Area, TaxonomyTerm

    return cache.get_or_set(
        f"filter-choices:{version()}",
        lambda: (
            [Term._make(row) for row in TaxonomyTerm.objects.values_list(*Term._fields)],
            [
                Town._make(row)
                for row in Area.objects.filter(kind=Area.Kind.TOWN).values_list(*Town._fields)
            ],
        ),
        SECONDS,
    )
