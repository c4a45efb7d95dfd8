"""One version key for what public pages show, and Django's page cache keyed with it.

Public pages (search, organisation pages, the home page's category counts) are cached with
Django's `cache_page`, their keys prefixed with the current version. Publishing, unpublishing
or editing anything those pages show calls `bump()` (from the services layer, and a few
signal receivers for saves that do not pass through it), so an old page is never read again:
it expires unseen. Set the version before reading records and bump it again when the
transaction commits, so a page rendered while a change lands is stored under the old one.

Within a request (VersionPerRequestMiddleware) the version is read once: every part of a
page (its cache key, the cards, the filters' lists, the roles panel) uses the version read
before its records, and a search page asks the cache for it once, not three or four times.
"""

import uuid
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import cache_page
from django.views.decorators.csrf import csrf_protect

VERSION_KEY = "directory:version"
# The version this request read: None outside a request, "" in one until it is read.
_this_request: ContextVar[str | None] = ContextVar("public_version", default=None)


def version(key: str = VERSION_KEY) -> str:
    """The current value of a version key: the public pages' one, or `key` for figures kept
    apart from them (a staff page's, renewed by changes public pages do not show)."""
    read = _this_request.get() if key == VERSION_KEY else None
    if read:
        return read
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, None)
        current = cache.get(key)
    if read is not None:
        _this_request.set(current)
    return current


def _new_version(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)
    if key == VERSION_KEY and _this_request.get() is not None:
        _this_request.set("")  # a request that changed it reads the new one


class VersionPerRequestMiddleware:
    """Reads the version at most once a request (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _this_request.set("")
        try:
            return self.get_response(request)
        finally:
            _this_request.reset(token)


def bump(key: str = VERSION_KEY, **kwargs) -> None:
    """What public pages show (or what `key` keeps) has changed: a new version now and again
    on commit (usable as a signal receiver)."""
    _new_version(key)
    transaction.on_commit(lambda: _new_version(key))


def public_page(view):
    """`cache_page` for a public view, keyed with the version, for visitors with no cookie
    but the CSRF one: anyone with a session, messages or a shortlist gets a fresh page.
    csrf_protect inside it, as Django's CSRF docs ask of per-view caching: a page that shows a
    CSRF token then sets its cookie and `Vary: Cookie` before the cache sees it, so Django
    does not store it for a visitor without cookies (nor share it between visitors)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or set(request.COOKIES) - {settings.CSRF_COOKIE_NAME}:
            return view(request, *args, **kwargs)
        cached = cache_page(seconds, key_prefix=f"public:{version()}")(csrf_protect(view))
        response = cached(request, *args, **kwargs)
        # Browsers and proxies keep it apart from the page someone with a cookie sees.
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
