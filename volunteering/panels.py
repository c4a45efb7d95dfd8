"""What volunteering adds to other apps' pages through their extension points (one query each)."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from core.cache import version
from volunteering.models import Role

SEARCH_PANEL_SIZE = 3
# The search panel, kept under the public version key (role saves bump it): its query is a LIKE
# over every open role, about 11 ms of a 45 ms search at 5,000 roles (bench/search.py).
SEARCH_PANEL_SECONDS = 600


def hub_page_panel(request, hub):
    """Open roles at this hub, on the hub's public page."""
    roles = list(
        Role.objects.public()
        .filter(hub=hub)
        .select_related("organisation", "area")
        .order_by("title")
    )
    if not roles:
        return None
    return "volunteering/panels/hub_roles.html", {"roles": roles, "hub": hub}


def directory_search_panel(request, search):
    """Up to three roles matching the resident's directory keywords (and town, if chosen),
    rendered. When the search corrected a misspelt word ("fod bank"), roles matching the
    corrected words count too: role text is not in the search vocabulary, so the words as
    typed may be what a role says.

    Cached by search and day under the version key, also for visitors the page cache skips
    (anyone with a shortlist or a session)."""
    words = (search.get("q") or "").strip()
    if not words:
        return None
    corrected = (search.get("corrected") or "").strip()
    area = search.get("area") or ""
    today = timezone.localdate()
    asked = hashlib.sha256(repr((words, corrected, area, today.isoformat())).encode()).hexdigest()
    html = cache.get_or_set(
        f"roles-panel:{version()}:{asked}",
        lambda: _search_panel_html(words, corrected, area, today),
        SEARCH_PANEL_SECONDS,
    )
    return mark_safe(html) if html else None  # noqa: S308 - rendered by the template


def _search_panel_html(words, corrected, area, today):
    """directory_search_panel's HTML, "" when no role matches."""
    public = Role.objects.public(today)
    roles = public.matching(words)
    if corrected:
        roles = roles | public.matching(corrected)
        words = corrected  # the volunteering search has no spelling correction of its own
    roles = roles.select_related("organisation", "area")
    params = {"q": words}
    if area:
        roles = roles.filter(area__slug=area)
        params["area"] = area
    found = list(roles.order_by("title")[: SEARCH_PANEL_SIZE + 1])
    if not found:
        return ""
    context = {
        "roles": found[:SEARCH_PANEL_SIZE],
        "more": len(found) > SEARCH_PANEL_SIZE,
        "search_url": f"{reverse('volunteering:search')}?{urlencode(params)}",
        "words": words,
    }
    return render_to_string("volunteering/panels/search_roles.html", context)
