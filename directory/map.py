"""The map beside the search results, and "use my location".

The map shows the services of the results page the list shows, no more and no fewer: its
markers come from the same page of ids, so the list stays the complete, accessible view and the
map only another way of looking at it.
"""

import re
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ValidationError

from directory.models import Service
from directory.search.geo import Point

# A browser's position is rounded to this many decimal places (about 100 m) before it is sent,
# so search URLs, logs and the page cache do not hold where someone is standing.
LOCATION_PLACES = 3
# Plain decimal degrees, as a browser sends them: no exponents, "nan" or "inf".
_DEGREES = re.compile(r"[+-]?\d{1,3}(\.\d{1,12})?")


def results_map(pks: Sequence[int]) -> dict:
    """What templates/directory/includes/results_map.html needs for one page of results."""
    return {
        "markers": markers(pks) if pks else [],
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_ATTRIBUTION,
    }


def markers(pks: Sequence[int]) -> list[dict]:
    """One marker per place with coordinates of each service in `pks`, in list order: name,
    link, place and coordinates. One query."""
    order = {pk: index for index, pk in enumerate(pks)}
    rows = (
        Service.locations.through.objects.filter(
            service_id__in=list(pks), location__latitude__isnull=False
        )
        .order_by("location__name", "location__address_1", "location_id")
        .values_list(
            "service_id",
            "service__uuid",
            "service__name",
            "location__name",
            "location__address_1",
            "location__latitude",
            "location__longitude",
        )
    )
    found = sorted(rows, key=lambda row: order[row[0]])
    return [
        {
            "name": name,
            "url": Service(uuid=uuid).get_absolute_url(),
            "place": place or address,
            "lat": float(latitude),
            "lng": float(longitude),
        }
        for _, uuid, name, place, address, latitude, longitude in found
    ]


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
