"""The community asset map: hubs and the places of published services, by category.

It lives in hubs because it shows hubs beside the directory's services (directory sits below
hubs). The list grouped by area is the complete view and works without JavaScript; the map
(static/js/map.mjs, as on the search results) draws the same entries as markers, no more and
no fewer. At most LIMIT entries are sent: past that the visitor is asked to choose a category.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from directory.models import Area, Service
from hubs.models import Hub

# Markers embedded in one page as JSON: past this the page would weigh too much for a phone.
LIMIT = 2000
OTHER_AREA = "Other places"


@dataclass
class AssetMap:
    groups: list[tuple[str, list[dict]]] = field(default_factory=list)  # (area, entries)
    markers: list[dict] = field(default_factory=list)
    total: int = 0
    too_many: bool = False


def _area_name(name, kind, parent_name) -> str:
    """Group by town: a ward's places go under its town."""
    if name is None:
        return OTHER_AREA
    return parent_name if kind == Area.Kind.WARD and parent_name else name


def _entry(*, name, url, kind, place, area, lat, lng) -> dict:
    return {
        "name": name,
        "url": url,
        "kind": kind,
        "place": place,
        "area": area,
        "lat": None if lat is None else float(lat),
        "lng": None if lng is None else float(lng),
    }


def asset_map(
    *, categories: list[int] | None = None, town: int | None = None, hubs: bool = True
) -> AssetMap:
    """Every public hub (when `hubs`) and each published service at each of its places (in
    any of `categories` when given: a category and its sub-categories), in `town` (an Area id:
    the town or its wards) when given, grouped by town. Two queries, or one without hubs."""
    rows = Service.locations.through.objects.filter(
        service__in=Service.objects.published()
    ).order_by("location__name", "location__address_1", "service__name", "pk")
    if categories is not None:
        rows = rows.filter(service__categories__in=categories).distinct()
    if town is not None:
        rows = rows.filter(Q(location__area_id=town) | Q(location__area__parent_id=town))
    rows = rows.values_list(
        "service__uuid",
        "service__name",
        "location__name",
        "location__address_1",
        "location__area__name",
        "location__area__kind",
        "location__area__parent__name",
        "location__latitude",
        "location__longitude",
    )[: LIMIT + 1]
    entries = [
        _entry(
            name=name,
            url=Service(uuid=uuid).get_absolute_url(),
            kind="Service",
            place=place or address,
            area=_area_name(area, kind, parent),
            lat=lat,
            lng=lng,
        )
        for uuid, name, place, address, area, kind, parent, lat, lng in rows
    ]
    if hubs:
        hubs_here = Hub.objects.public()
        if town is not None:
            hubs_here = hubs_here.filter(Q(area_id=town) | Q(area__parent_id=town))
        hub_rows = hubs_here.order_by("name").values_list(
            "name",
            "slug",
            "location__name",
            "location__address_1",
            "area__name",
            "area__kind",
            "area__parent__name",
            "location__latitude",
            "location__longitude",
        )[: LIMIT + 1]
        entries += [
            _entry(
                name=name,
                url=reverse("hubs:detail", kwargs={"slug": slug}),
                kind="Community hub",
                place=place or address or "",
                area=_area_name(area, kind, parent),
                lat=lat,
                lng=lng,
            )
            for name, slug, place, address, area, kind, parent, lat, lng in hub_rows
        ]
    if len(entries) > LIMIT:
        return AssetMap(total=len(entries), too_many=True)
    by_area: dict[str, list[dict]] = {}
    for entry in sorted(entries, key=lambda e: (e["kind"] != "Community hub", e["name"])):
        by_area.setdefault(entry["area"], []).append(entry)
    groups = sorted(by_area.items(), key=lambda item: (item[0] == OTHER_AREA, item[0]))
    markers = [
        {
            "name": e["name"],
            "url": e["url"],
            "place": f"{e['kind']}: {e['place']}" if e["place"] else e["kind"],
            "lat": e["lat"],
            "lng": e["lng"],
        }
        for _, group in groups
        for e in group
        if e["lat"] is not None
    ]
    return AssetMap(groups=groups, markers=markers, total=len(entries))
