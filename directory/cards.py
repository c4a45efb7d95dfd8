"""The summary cards of search results and organisation pages, and the map's markers.

A card's "Distance" and "Where" rows depend on the postcode searched (its places nearest
first), so they are built here for each page; the rest of the card is kept in the cache under
the version key. The results map marks the places the cards list, so its markers are made
from the same places, with no query of their own (directory.map).
"""

from collections.abc import Mapping, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.template.loader import get_template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.cache import version
from directory.models import Schedule, Service
from directory.search import MILES_PER_DEGREE, Point


def listing_prefetches(queryset):
    """What a card shows: the service, its organisation and source feed, places and times."""
    return queryset.select_related("organisation", "source_feed").prefetch_related(
        "locations",
        Prefetch("schedules", queryset=Schedule.objects.order_by("weekday", "opens_at")),
    )


def summary_cards(pks: Sequence[int]) -> list[SafeString]:
    """The card of each service in `pks`, in that order (see cards_and_markers)."""
    return cards_and_markers(pks)[0]


def cards_and_markers(
    pks: Sequence[int],
    *,
    point: Point | None = None,
    distances: Mapping[int, float | None] | None = None,
) -> tuple[list[SafeString], list[dict]]:
    """The card of each service in `pks`, in that order (a service deleted meanwhile is left
    out), and a map marker for each of their places with coordinates, in the same order.
    Callers choose which services may be shown. With `point`, each card lists its places
    nearest first, and `distances` ({pk: distance_sq}, as search_page measured them) gives
    the distance row. One query and two prefetches for the cards not in the cache.

    Each card is kept under the version key (core.cache) with its places and markers, its
    distance and places rows left out (PLACES marks where they go): they are worked out for
    each page. Measured at 100,000 services, loading and rendering 20 cards was half of the
    page for visitors the page cache skips (a shortlist, a session), and a third of a search
    near a postcode (bench/search.py)."""
    seconds = settings.DIRECTORY_CARD_CACHE_SECONDS
    current = version() if seconds else ""
    keys = {pk: f"listing:{current}:{pk}" for pk in pks} if seconds else {}
    cached = cache.get_many(list(keys.values())) if keys else {}
    missing = [pk for pk in pks if keys.get(pk) not in cached]
    fresh = _render(missing) if missing else {}
    if keys and fresh:
        cache.set_many({keys[pk]: listing for pk, listing in fresh.items()}, seconds)
    found = {pk: cached[keys[pk]] for pk in keys if keys[pk] in cached} | fresh
    distances = distances or {}
    cards, markers = [], []
    for pk in pks:
        if pk not in found:
            continue
        card, places, service_markers = found[pk]
        miles = None
        if point is not None:
            located = [place for place in places if place[1] is not None]
            located.sort(key=lambda place: point.miles_to(place[1], place[2]))
            places = located + [place for place in places if place[1] is None]
            distance_sq = distances.get(pk)
            miles = None if distance_sq is None else distance_sq**0.5 * MILES_PER_DEGREE
        # Listings' own text is escaped, so PLACES can only be the template's.
        cards.append(mark_safe(card.replace(PLACES, _places_rows(places, miles), 1)))  # noqa: S308
        markers.extend(service_markers)
    return cards, markers


def _render(pks) -> dict[int, tuple[str, list[tuple], list[dict]]]:
    """{pk: (card HTML with PLACES for its rows, places, map markers)} for these services."""
    services = listing_prefetches(Service.objects.filter(pk__in=pks))
    template = get_template("components/service_summary.html")
    listings = {}
    for service in services:
        url = service.get_absolute_url()
        located = sorted(
            (place for place in service.locations.all() if place.latitude is not None),
            key=lambda place: (place.name, place.address_1, place.pk),
        )
        markers = [
            {
                "name": service.name,
                "url": url,
                "place": place.name or place.address_1,
                "lat": float(place.latitude),
                "lng": float(place.longitude),
            }
            for place in located
        ]
        places = [
            (
                str(location),
                None if location.latitude is None else float(location.latitude),
                None if location.longitude is None else float(location.longitude),
            )
            for location in service.locations.all()
        ]
        context = {"service": service, "heading_level": 3, "places": PLACES}
        listings[service.pk] = (str(template.render(context)), places, markers)
    return listings


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
PLACES = SafeString("<!--places-->")  # where a card's distance and places rows go
