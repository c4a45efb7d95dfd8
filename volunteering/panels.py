"""What volunteering adds to other apps' pages through their extension points (one query each)."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from directory import cache as search_cache
from directory import cards
from volunteering.models import Role

SEARCH_PANEL_SIZE = 3


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

    Kept in the search cache's generation (a saved role, skill or organisation starts a new
    one) for the day and DIRECTORY_CARD_CACHE_SECONDS, as the result cards are: building
    and running the query was a fifth of a search page's time, and a common search comes
    with many filters, pages and postcodes that share it."""
    words = (search.get("q") or "").strip()
    if not words:
        return None
    corrected = (search.get("corrected") or "").strip()
    area = search.get("area") or ""
    today = timezone.localdate()
    if not cards.seconds():
        return _search_panel_html(words, corrected, area, today) or None
    digest = hashlib.sha256("\n".join([words, corrected, area]).encode()).hexdigest()
    key = search_cache.generation_key(f"roles-panel:{today.isoformat()}:{digest}")
    html = cache.get(key)
    if html is None:
        html = _search_panel_html(words, corrected, area, today)
        cache.set(key, html, cards.seconds())
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
