"""The map beside the search results, and "use my location".

The map shows the services of the results page the list shows, no more and no fewer: its
markers come from the same page of ids, so the list stays the complete, accessible view and the
map only another way of looking at it.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

from directory.search.geo import Point

# A browser's position is rounded to this many decimal places (about 100 m) before it is sent,
# so search URLs, logs and the page cache do not hold where someone is standing.
LOCATION_PLACES = 3
# Plain decimal degrees, as a browser sends them: no exponents, "nan" or "inf".
_DEGREES = re.compile(r"[+-]?\d{1,3}(\.\d{1,12})?")


def results_map(markers: list[dict]) -> dict:
    """What templates/directory/includes/results_map.html needs for one page of results:
    `markers`, from the cards of the same page (directory.cards.cards_and_markers)."""
    return {
        "markers": markers,
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
    }


def location_point(latitude: str, longitude: str) -> Point:
    """The point a browser sent for "use my location", rounded; a ValidationError saying what
    is wrong when either part is missing, not a number or off the globe."""
    message = (
        "We could not use your location: {}. Enter a postcode instead, or try "
        "“Use my location” again."
    )
    if not latitude or not longitude:
        raise ValidationError(message.format("it needs both a latitude and a longitude"))
    parts = []
    for name, value, limit in (("latitude", latitude, 90), ("longitude", longitude, 180)):
        number = float(value) if _DEGREES.fullmatch(value.strip()) else None
        if number is None or abs(number) > limit:
            raise ValidationError(
                message.format(f"the {name} must be a number from -{limit} to {limit}")
            )
        parts.append(round(float(number), LOCATION_PLACES))
    return Point(*parts)
