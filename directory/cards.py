"""The summary cards of search results and organisation pages, each rendered once and cached.

Loading 20 services with their organisation, places and times, and rendering their cards,
was a third of a search page's time. A card is the same on every page that shows its service
and for every visitor, except its distance and the order of its places, which depend on the
postcode searched: those rows are rendered for each page into the cached card, where it
holds PLACES. Cards are kept in the search cache's generation (directory.cache), so a saved
change to anything a card shows means its old card is never served again; a bulk update
that skips signals shows within DIRECTORY_CARD_CACHE_SECONDS. 0 turns the card cache off.
"""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from directory import cache as search_cache
from directory.models import Schedule, Service
from directory.search import MILES_PER_DEGREE, Point

# Where a card's distance and places rows go. Card text is escaped, so no "<" of its own.
PLACES = "<!--places-->"

# A cached card: (html with PLACES, places as (label, latitude, longitude) in listing order,
# the places rows for a page that measured nothing). Plain values, so any code can unpickle it.
Card = tuple[str, tuple[tuple[str, float | None, float | None], ...], str]


def seconds() -> int:
    return getattr(settings, "DIRECTORY_CARD_CACHE_SECONDS", 0)


def listing_prefetches(queryset):
    """What a card shows: the service, its organisation and source feed, places and times."""
    return queryset.select_related("organisation", "source_feed").prefetch_related(
        "locations",
        Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at")),
    )


def summary_cards(
    pks: Sequence[int],
    *,
    point: Point | None = None,
    distances: Mapping[int, float | None] | None = None,
) -> list[SafeString]:
    """The card of each service in `pks`, in that order (a service deleted meanwhile is left
    out). Callers choose which services may be shown. With `point`, each card lists its
    places nearest first, and `distances` ({pk: distance_sq}, as search_page measured them)
    gives the distance row."""
    prefix = search_cache.generation_key("card")  # one generation read for the page
    keys = {pk: f"{prefix}:{pk}" for pk in pks}
    stored = cache.get_many(list(keys.values())) if seconds() and keys else {}
    cards = {pk: stored[key] for pk, key in keys.items() if key in stored}
    missing = [pk for pk in keys if pk not in cards]
    if missing:
        fresh = {
            service.pk: _render(service)
            for service in listing_prefetches(Service.objects.filter(pk__in=missing))
        }
        if seconds():
            cache.set_many({keys[pk]: card for pk, card in fresh.items()}, seconds())
        cards.update(fresh)
    distances = distances or {}
    return [_with_places(cards[pk], point, distances.get(pk)) for pk in keys if pk in cards]


def _render(service) -> Card:
    places = tuple(
        (
            str(location),
            None if location.latitude is None else float(location.latitude),
            None if location.longitude is None else float(location.longitude),
        )
        for location in service.locations.all()
    )
    html = get_template("components/service_summary.html").render(
        {"service": service, "heading_level": 3, "places": mark_safe(PLACES)}  # noqa: S308
    )
    return str(html), places, _places_rows(places, None)


def _with_places(card: Card, point: Point | None, distance_sq: float | None) -> SafeString:
    html, places, plain = card
    if point is None:
        rows = plain
    else:
        located = [place for place in places if place[1] is not None]
        located.sort(key=lambda place: point.miles_to(place[1], place[2]))
        nearest = located + [place for place in places if place[1] is None]
        miles = None if distance_sq is None else distance_sq**0.5 * MILES_PER_DEGREE
        rows = _places_rows(nearest, miles)
    return mark_safe(html.replace(PLACES, rows, 1))  # noqa: S308 - both rendered, escaped


def _places_rows(places, distance_miles) -> str:
    """The card's "Distance" and "Where" rows (markup as in components/service_summary.html).
    Built here, not by a template: it runs for every card of every page, where a template
    render per card costs many times as much."""
    rows = []
    if distance_miles is not None:
        rows.append(_ROW.format("Distance", miles_away(distance_miles)))
    if places:
        labels = [escape(label) for label, _, _ in places[:2]]
        if len(places) > 2:
            labels.append(f"and {len(places) - 2} more")
        rows.append(_ROW.format("Where", "<br>".join(labels)))
    return "".join(rows)


def miles_away(miles: float) -> str:
    """ "0.3 miles away"; never "0.0 miles away" (the same building, or next door)."""
    if miles < 0.1:
        return "Under 0.1 miles away"
    text = f"{miles:.1f}".removesuffix(".0") if miles < 10 else f"{miles:.0f}"
    return f"{text} mile{'' if text == '1' else 's'} away"


_ROW = "<div><dt>{}</dt><dd>{}</dd></div>"  # a row of the card's compact facts list
