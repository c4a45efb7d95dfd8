"""The search filters' categories and towns, kept under the version key (core.cache): two
small lists every search page needs, also for visitors the page cache skips."""

from django.core.cache import cache

from core.cache import version

SECONDS = 3600


def filter_choices() -> tuple[list, list]:
    """(categories, towns) for the search filters."""
    from directory.models import Area, TaxonomyTerm

    return cache.get_or_set(
        f"filter-choices:{version()}",
        lambda: (
            list(TaxonomyTerm.objects.only("pk", "name", "slug", "parent_id")),
            list(Area.objects.filter(kind=Area.Kind.TOWN).only("pk", "name", "slug")),
        ),
        SECONDS,
    )
