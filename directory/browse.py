"""Browsing by category: the home page's tiles with counts, and the categories offered when a
search finds nothing."""

import difflib
import re
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.cache import version
from directory.postcodes import normalise_postcode

SECONDS = 3600
NEAREST = 3  # categories offered when nothing is found
ALIKE = 0.85  # difflib ratio for a search word to be like a category's ("fod"/"food" 0.86)


def category_tiles() -> list[dict]:
    """Top-level categories with how many published services each holds (a service counts
    once however many of its sub-categories it is in), largest first; kept under the
    version key (core.cache). One grouped query: sub-categories count towards their parent."""
    return cache.get_or_set(f"category-tiles:{version()}", _tiles, SECONDS)


def _tiles() -> list[dict]:
    from directory.models import Service, TaxonomyTerm

    through = Service.categories.through.objects.filter(
        service__in=Service.objects.published().values("pk")
    )
    counts = dict(
        through.values(top=Coalesce("taxonomyterm__parent_id", "taxonomyterm_id"))
        .annotate(n=Count("service_id", distinct=True))
        .values_list("top", "n")
    )
    search = reverse("directory:search")
    tiles = [
        {
            "name": term.name,
            "slug": term.slug,
            "description": term.description,
            "count": counts.get(term.pk, 0),
            "url": f"{search}?{urlencode({'category': term.slug})}",
        }
        for term in TaxonomyTerm.objects.filter(parent=None).order_by("name")
    ]
    return sorted((t for t in tiles if t["count"]), key=lambda t: (-t["count"], t["name"]))


def nearest_categories(q: str, also: str = "") -> list[dict]:
    """The categories whose name or description has a word like the search's (or the
    synonyms' words, `also`): up to NEAREST, closest first. None alike: the largest ones, so
    a resident always has somewhere to go next."""
    words = _words(f"{q} {also}")
    scored = []
    for tile in category_tiles():
        vocabulary = _words(f"{tile['name']} {tile['description']}")
        best = max(
            (difflib.SequenceMatcher(None, w, v).ratio() for w in words for v in vocabulary),
            default=0,
        )
        if best >= ALIKE:
            scored.append((best, tile))
    scored.sort(key=lambda pair: -pair[0])
    return [tile for _, tile in scored[:NEAREST]] or category_tiles()[:NEAREST]


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}


def postcode_in_keywords(q: str) -> str:
    """ "SS14 1DL" when the keywords are only a UK postcode, else ""."""
    q = (q or "").strip()
    if not q or len(q) > 10:
        return ""
    try:
        return normalise_postcode(q)
    except ValidationError:
        return ""


def home_panel(request):
    """The home page's "Browse by category" tiles (core.home)."""
    tiles = category_tiles()
    return ("directory/includes/category_tiles.html", {"tiles": tiles}) if tiles else None
