"""Demo data: the borough's wards (real ONS codes from the sample postcodes, made-up names),
with made-up figures and made-up square boundaries, all marked as made up.

Each demo place is moved from its town to its ward (found from its postcode), so the ward
matrix has services, hubs and roles to count. Running it again updates in place.
"""

from decimal import Decimal

from django.utils.text import slugify

from directory.models import Area, Location, area_for_postcode
from wards import services
from wards.models import Indicator

SOURCE = "Made up for the demo: not real figures"
YEAR = 2025
# ONS code: (made-up name, town, centre latitude, longitude, population, IMD decile, lonely %)
WARDS = {
    "E05015449": ("Billericay East", "Billericay", 51.630, 0.439, 9200, 9, 5.1),
    "E05015450": ("Billericay North", "Billericay", 51.623, 0.418, 8700, 10, 4.8),
    "E05015451": ("Billericay West", "Billericay", 51.615, 0.402, 8100, 8, 5.5),
    "E05015452": ("Basildon North", "Basildon", 51.578, 0.472, 10400, 2, 9.7),
    "E05015455": ("Laindon Park", "Laindon", 51.573, 0.419, 9800, 4, 7.2),
    "E05015456": ("Laindon East", "Laindon", 51.567, 0.440, 8900, 5, 6.9),
    "E05015457": ("Basildon West", "Basildon", 51.555, 0.420, 7600, 3, 8.4),
    "E05015458": ("Basildon South", "Basildon", 51.555, 0.443, 9100, 1, 10.2),
    "E05015460": ("Basildon Central", "Basildon", 51.572, 0.456, 11800, 2, 9.1),
    "E05015461": ("Pitsea North", "Pitsea", 51.567, 0.507, 10100, 3, 8.8),
    "E05015462": ("Pitsea South", "Pitsea", 51.557, 0.511, 9600, 4, 7.9),
    "E05015463": ("Basildon East", "Basildon", 51.550, 0.466, 7300, 6, 6.4),
    "E05015464": ("Wickford South", "Wickford", 51.597, 0.535, 8400, 7, 5.9),
    "E05015465": ("Wickford North", "Wickford", 51.612, 0.531, 6900, 8, 5.2),
    "E05015466": ("Wickford West", "Wickford", 51.607, 0.519, 7800, 6, 6.1),
}
# The demo hubs' venues have postcodes the sample lookup file lacks: their wards, by hand.
VENUE_WARDS = {"SS14 1AA": "E05015460", "SS13 1AA": "E05015461"}
HALF_LAT, HALF_LON = 0.006, 0.0085  # each made-up boundary is a square about 1.3 km across


def square(lat, lon):
    corners = [
        (lon - HALF_LON, lat - HALF_LAT),
        (lon + HALF_LON, lat - HALF_LAT),
        (lon + HALF_LON, lat + HALF_LAT),
        (lon - HALF_LON, lat + HALF_LAT),
    ]
    ring = [[round(x, 6), round(y, 6)] for x, y in corners]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def seed(command):
    towns = {a.name: a for a in Area.objects.filter(kind=Area.Kind.TOWN)}
    wards = {}
    for code, (name, town, *_rest) in WARDS.items():
        wards[code], _ = Area.objects.update_or_create(
            slug=slugify(f"{name} ward"),
            defaults={
                "name": name,
                "kind": Area.Kind.WARD,
                "parent": towns.get(town),
                "ons_code": code,
            },
        )
    for location in Location.objects.filter(area__kind=Area.Kind.TOWN):
        ward = area_for_postcode(location.postcode) or wards.get(
            VENUE_WARDS.get(location.postcode, "")
        )
        if ward is not None and ward.kind == Area.Kind.WARD and ward.parent_id == location.area_id:
            Location.objects.filter(pk=location.pk).update(area=ward)
    figures = [
        ("Population", Indicator.Kind.POPULATION, 4, True),
        ("IMD decile", Indicator.Kind.IMD_DECILE, 5, False),
        ("Adults often or always lonely (%)", Indicator.Kind.OTHER, 6, True),
    ]
    for name, kind, column, higher_is_need in figures:
        services.save_figures(
            user=None,
            name=name,
            kind=kind,
            source=SOURCE,
            year=YEAR,
            values={wards[c].pk: Decimal(str(row[column])) for c, row in WARDS.items()},
            higher_is_need=higher_is_need,
            made_up=True,
        )
    services.save_boundaries(
        user=None,
        geometries={wards[c].pk: square(row[2], row[3]) for c, row in WARDS.items()},
        source=SOURCE,
        year=YEAR,
        made_up=True,
    )
