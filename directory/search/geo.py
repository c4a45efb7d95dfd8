"""Distance from a point: an equirectangular approximation (good to well under 1% at county
scale), a bounding box on latitude/longitude (indexed) and the squared distance to a
service's nearest place (MIN over a join), so sorting covers the whole result set on any
database."""

import math
from dataclasses import dataclass

from django.db.models import FloatField, Min, Value
from django.db.models.functions import Cast

from directory.models import Location

MILES_PER_DEGREE = 69.05  # one degree of latitude


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def miles_to(self, latitude, longitude) -> float:
        dy = float(latitude) - self.latitude
        dx = (float(longitude) - self.longitude) * math.cos(math.radians(self.latitude))
        return math.hypot(dx, dy) * MILES_PER_DEGREE


def near(qs, point):
    """`qs` annotated with `distance_sq` (degrees squared) to each service's nearest place."""
    cos_lat = math.cos(math.radians(point.latitude))
    dy = Cast("locations__latitude", FloatField()) - Value(point.latitude)
    dx = (Cast("locations__longitude", FloatField()) - Value(point.longitude)) * Value(cos_lat)
    # Nearest place per service: one grouped join, not a subquery per service.
    return qs.annotate(distance_sq=Min(dy * dy + dx * dx, output_field=FloatField()))


def within(qs, point, miles):
    """Services (annotated by near()) with a place within `miles` of the point."""
    dlat = miles / MILES_PER_DEGREE
    dlon = dlat / max(math.cos(math.radians(point.latitude)), 0.01)
    # Services with a place in the box (latitude/longitude index), before any distances.
    in_box = Location.objects.filter(
        latitude__range=(point.latitude - dlat, point.latitude + dlat),
        longitude__range=(point.longitude - dlon, point.longitude + dlon),
    ).values("services")
    return qs.filter(pk__in=in_box, distance_sq__lte=dlat**2)
