"""The choropleth of one matrix column over the ward boundaries, drawn on the server as SVG
(no script, prints with the page). The figures are also in the table beside it: the map is
never the only way to a figure."""

import math
from dataclasses import dataclass

from wards.models import WardBoundary

WIDTH = 1000
BANDS = 5


@dataclass
class MapWard:
    ward: object
    value: object
    band: int  # 0: no figure; 1 (lowest fifth of wards) to 5 (highest)
    path: str


def _rings(geometry):
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    for polygon in polygons:
        yield from polygon


def bands_for(values):
    """Band edges: the values splitting the wards with a figure into fifths."""
    known = sorted(float(v) for v in values if v is not None)
    if not known:
        return []
    return [known[min(len(known) - 1, (len(known) * i) // BANDS)] for i in range(1, BANDS)]


def band_of(value, edges):
    if value is None:
        return 0
    return 1 + sum(1 for edge in edges if float(value) >= edge) if edges else 1


def choropleth(rows, key):
    """(map wards, view box height, key of bands) for rows of the matrix, or None when no
    ward shown has a boundary."""
    geometries = dict(
        WardBoundary.objects.filter(ward_id__in=[r["ward"].pk for r in rows]).values_list(
            "ward_id", "geometry"
        )
    )
    if not geometries:
        return None
    points = [p for g in geometries.values() for ring in _rings(g) for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    # Equirectangular, squeezed east-west by the latitude: close enough for a borough.
    squeeze = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * squeeze, 1e-9)
    scale = WIDTH / span_x
    height = max(1, round((north - south) * scale))

    def project(p):
        return f"{(p[0] - west) * squeeze * scale:.1f},{(north - p[1]) * scale:.1f}"

    edges = bands_for(r.get(key) for r in rows if r["ward"].pk in geometries)
    wards = []
    for row in rows:
        geometry = geometries.get(row["ward"].pk)
        if geometry is None:
            continue
        path = " ".join(
            "M" + " L".join(project(p) for p in ring) + " Z" for ring in _rings(geometry)
        )
        value = row.get(key)
        wards.append(MapWard(row["ward"], value, band_of(value, edges), path))
    key_bands = []
    bounds = [None, *edges, None]
    for band in range(1, len(edges) + 2):
        key_bands.append({"band": band, "low": bounds[band - 1], "high": bounds[band]})
    return wards, height, key_bands
