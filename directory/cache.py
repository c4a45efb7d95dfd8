"""A short-lived cache of the public search page, per full URL, for visitors without a session.

Safe because that page is the same for every such visitor: search is a GET form (no CSRF
token), the page uses no CSP nonce, and someone with a session or messages (a cookie other
than the CSRF one) always gets a fresh page. Any saved change to what the page shows
(services, places, schedules, categories, areas, organisations; volunteer roles, connected
by the volunteering app) starts a new cache generation, when it is saved and again when it
commits, so old pages are never served again;
changes that bypass signals (bulk updates) show within DIRECTORY_SEARCH_CACHE_SECONDS. 0 turns
the cache off.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from core.generations import Generation

SEARCH = Generation("directory:search")


def seconds() -> int:
    return getattr(settings, "DIRECTORY_SEARCH_CACHE_SECONDS", 0)


def cacheable(request) -> bool:
    return (
        seconds() > 0
        and request.method in ("GET", "HEAD")
        and set(request.COOKIES) <= {settings.CSRF_COOKIE_NAME}
    )


def generation_key(name: str) -> str:
    """A cache key for `name` that changes whenever the directory does."""
    return SEARCH.key(name)


def key(request) -> str:
    return SEARCH.key(hashlib.sha256(request.get_full_path().encode()).hexdigest())


CHOICES_SECONDS = 3600
_choices_here = {}  # this process's copy: {generation key: (expires, choices)}


def filter_choices() -> tuple[list, list]:
    """(categories, towns) for the search filters: two small lists every search page needs,
    cached until the directory changes (same generation as the pages), even with the page
    cache off. Each process also keeps the current generation's lists itself (read-only),
    so a search page does not unpickle a county's towns every time."""
    from directory.models import Area, TaxonomyTerm

    choices_key = generation_key("filter-choices")
    expires, choices = _choices_here.get(choices_key, (0, None))
    if expires > time.monotonic():
        return choices
    choices = cache.get_or_set(
        choices_key,
        lambda: (
            list(TaxonomyTerm.objects.only("pk", "name", "slug", "parent_id")),
            list(Area.objects.filter(kind=Area.Kind.TOWN).only("pk", "name", "slug")),
        ),
        CHOICES_SECONDS,
    )
    _choices_here.clear()
    _choices_here[choices_key] = (time.monotonic() + CHOICES_SECONDS, choices)
    return choices


def store(key_, response) -> None:
    """Keep a rendered page if it is a plain 200 that sets no cookies and holds no token."""
    if (
        response.status_code == 200
        and not response.cookies
        and b"csrfmiddlewaretoken" not in response.content
    ):
        cache.set(key_, response.content, seconds())


def invalidate(**kwargs) -> None:
    """A new generation, now and when the transaction commits (Generation.changed): every
    cached search page is out of date (signal receiver too)."""
    SEARCH.changed()


def connect_signals() -> None:
    from directory.models import Area, Location, Schedule, SearchSynonym, Service, TaxonomyTerm
    from partners.models import Organisation

    for model in (Service, Location, Schedule, TaxonomyTerm, Area, Organisation, SearchSynonym):
        post_save.connect(invalidate, sender=model, dispatch_uid=f"search-cache-save-{model}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"search-cache-del-{model}")
    for through in (
        Service.categories.through,
        Service.locations.through,
        Area.organisations.through,
    ):
        m2m_changed.connect(invalidate, sender=through, dispatch_uid=f"search-cache-m2m-{through}")
