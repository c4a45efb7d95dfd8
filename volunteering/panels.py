"""What volunteering adds to other apps' pages through their extension points (one query each)."""

from django.urls import reverse
from django.utils.http import urlencode

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
    """Up to three roles matching the resident's directory keywords (and town, if chosen)."""
    words = (search.get("q") or "").strip()
    if not words:
        return None
    roles = Role.objects.public().matching(words).select_related("organisation", "area")
    params = {"q": words}
    if search.get("area"):
        roles = roles.filter(area__slug=search["area"])
        params["area"] = search["area"]
    found = list(roles.order_by("title")[: SEARCH_PANEL_SIZE + 1])
    if not found:
        return None
    return "volunteering/panels/search_roles.html", {
        "roles": found[:SEARCH_PANEL_SIZE],
        "more": len(found) > SEARCH_PANEL_SIZE,
        "search_url": f"{reverse('volunteering:search')}?{urlencode(params)}",
        "words": words,
    }
