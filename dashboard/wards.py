"""The ward matrix: need (population, deprivation, uploaded indicators) beside provision (hubs,
services, activities, partners, volunteering, engagements, agreements) for every ward.

Each provision column is one query grouped by ward, whatever the number of wards or records
(a test asserts the count). Where a record is in a ward:
- a hub: its area when that is a ward, otherwise its venue's ward;
- a service: each ward where it has a place (a service at places in two wards counts in both);
- sessions and people: the hub's ward; a volunteer role: its area when a ward, else its hub's;
- an organisation serves a ward when its "areas served" include the ward or the ward's town;
  an agreement covers the wards its organisation serves.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Sum, When

from core.cache import version
from core.scope import scope_of
from directory.models import Area, Service
from hubs.models import Engagement, Hub
from partners.models import Agreement, Kpi
from volunteering.models import Interest, Role
from wards.models import Indicator, WardFigure

WARD = Area.Kind.WARD
RECENT_DAYS = 91  # "the last 3 months"
YEAR_DAYS = 365
SERVICES_SECONDS = 3600  # services_per_area, kept under the public version key


def ward_of_hub(prefix: str = ""):
    """The ward a hub is in, as an expression (its area, or its venue's area)."""
    return Case(
        When(**{f"{prefix}area__kind": WARD}, then=F(f"{prefix}area_id")),
        default=F(f"{prefix}location__area_id"),
    )


def ward_of_role(prefix: str = ""):
    return Case(
        When(**{f"{prefix}area__kind": WARD}, then=F(f"{prefix}area_id")),
        default=ward_of_hub(f"{prefix}hub__"),
    )


def live_kpi_agreements():
    """Live agreements with at least one KPI: the council funds them against measures."""
    return Agreement.objects.live().filter(Exists(Kpi.objects.filter(agreement=OuterRef("pk"))))


def wards_for(user):
    """The wards this user's matrix shows: every ward for officers; a coordinator's hubs'
    wards; the wards a partner contact's organisations serve under a live agreement."""
    wards = Area.objects.filter(kind=WARD)
    scope = scope_of(user)
    if scope.everything:
        return wards
    seen = Q(pk__in=[])
    if scope.is_coordinator and scope.hub_ids:
        hub_wards = Hub.objects.filter(pk__in=scope.hub_ids).annotate(w=ward_of_hub())
        seen |= Q(pk__in=hub_wards.values("w"))
    if scope.is_partner_contact and scope.organisation_ids:
        served = Area.organisations.through.objects.filter(
            organisation_id__in=live_kpi_agreements()
            .filter(organisation_id__in=scope.organisation_ids)
            .values("organisation_id")
        ).values("area_id")
        seen |= Q(pk__in=served) | Q(parent_id__in=served)
    return wards.filter(seen)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    group: str  # "need" or "provision"
    section: str = ""  # the anchor on the ward page listing the records behind it
    per_thousand: bool = False


PROVISION = [
    Column("hubs", "Open hubs", "provision", "hubs"),
    Column("services", "Published services", "provision", "services"),
    Column("services_per_1000", "Services per 1,000", "provision", "services", True),
    Column("activities", "Activities in the last 3 months", "provision", "activities"),
    Column("organisations", "Partner organisations serving it", "provision", "organisations"),
    Column("roles", "Open volunteer roles", "provision", "roles"),
    Column("sessions_per_1000", "Engagements per 1,000 (12 months)", "provision", "sessions", True),
    Column(
        "people_per_1000", "People reached per 1,000 (12 months)", "provision", "sessions", True
    ),
    Column("volunteers_per_1000", "Volunteers per 1,000", "provision", "volunteers", True),
    Column("agreements", "KPI-funded agreements", "provision", "agreements"),
]


@dataclass
class Matrix:
    columns: list[Column]
    rows: list[dict]
    indicators: list[Indicator]
    rule: str
    made_up: bool = False
    towns: list = field(default_factory=list)

    def column(self, key):
        return next((c for c in self.columns if c.key == key), None)


def latest_indicators():
    """The most recent year of each indicator (by kind and name), population first."""
    latest = {}
    for indicator in Indicator.objects.order_by("kind", "name", "-year"):
        latest.setdefault((indicator.kind, indicator.name), indicator)
    order = [k for k, _ in Indicator.Kind.choices]
    return sorted(latest.values(), key=lambda i: (order.index(i.kind), i.name))


def need_columns(indicators):
    columns = []
    for indicator in indicators:
        label = indicator.name if indicator.kind == Indicator.Kind.OTHER else indicator.kind
        label = {
            Indicator.Kind.POPULATION: "Population",
            Indicator.Kind.IMD_DECILE: "IMD decile",
            Indicator.Kind.IMD_RANK: "IMD rank",
        }.get(label, label)
        columns.append(Column(f"indicator_{indicator.pk}", label, "need", "figures"))
    return columns


def flag_rule():
    decile = settings.WARDS_FLAG_IMD_DECILE_AT_MOST
    services = settings.WARDS_FLAG_SERVICES_PER_1000_BELOW
    return (
        f"High need and low provision: an IMD decile of {decile} or lower (1 is the most "
        f"deprived 10% of neighbourhoods in England) and fewer than {services:g} published "
        "services per 1,000 residents"
    )


def is_flagged(row) -> bool:
    decile, rate = row.get("imd_decile"), row.get("services_per_1000")
    return (
        decile is not None
        and rate is not None
        and decile <= settings.WARDS_FLAG_IMD_DECILE_AT_MOST
        and rate < settings.WARDS_FLAG_SERVICES_PER_1000_BELOW
    )


def plain(value):
    """A stored figure as people read it: 11800, 2, 9.1 (not 11800.000)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value.normalize())


def per_thousand(count, population):
    if population is None or population <= 0:
        return None
    return round(float(count) * 1000 / float(population), 1)


def grouped(queryset, key, **aggregates) -> dict:
    """{ward id: {aggregate: value}} from one GROUP BY query."""
    rows = queryset.values(key).annotate(**aggregates).order_by()
    return {row[key]: row for row in rows if row[key] is not None}


def engagement_counts(hub_wards: dict, *, today) -> dict:
    """{ward id: sessions, people and activities run in the last 3 months} over the last year.

    One query grouped by hub and activity, an index-only scan of the engagements; their wards
    come from `hub_wards`. (Grouping by the hub's ward in SQL joined each engagement to its hub,
    area and venue: at 1,000,000 engagements 5 times slower.)"""
    recent = today - datetime.timedelta(days=RECENT_DAYS)
    year_ago = today - datetime.timedelta(days=YEAR_DAYS)
    groups = (
        Engagement.objects.filter(date__gt=year_ago, date__lte=today)
        .values("hub_id", "activity_id")
        .annotate(sessions=Count("pk"), people=Sum("people"), last=Max("date"))
        .order_by()
    )
    totals = {}
    for group in groups:
        ward = hub_wards.get(group["hub_id"])
        if ward is None:
            continue
        total = totals.setdefault(ward, {"sessions": 0, "people": 0, "ran": set()})
        total["sessions"] += group["sessions"]
        total["people"] += group["people"] or 0
        if group["activity_id"] is not None and group["last"] > recent:
            total["ran"].add(group["activity_id"])
    for total in totals.values():
        total["activities"] = len(total.pop("ran"))
    return totals


def services_per_area(category=None) -> dict:
    """{area id: published services with a place there (in `category`)} for every area.

    Kept under the public version key (core.cache), which every change to a listing, its
    places or its categories bumps: at 100,000 services the count joins 125,000 service
    places, 110 to 140 ms, more than a third of the matrix page (bench/wards.py)."""

    def count():
        services = Service.objects.published()
        if category is not None:
            services = services.filter(categories=category)
        by_area = grouped(services, "locations__area_id", n=Count("pk", distinct=True))
        return {area: row["n"] for area, row in by_area.items()}

    key = f"ward-services:{version()}:{category.pk if category else ''}"
    return cache.get_or_set(key, count, SERVICES_SECONDS)


def provision_counts(*, today, category=None):
    """Every provision count per ward: one query each (services: none while cached)."""
    hubs = Hub.objects.annotate(ward=ward_of_hub()).values_list("pk", "ward", "status")
    hub_wards, open_hubs = {}, Counter()
    for pk, ward, status in hubs:
        hub_wards[pk] = ward
        open_hubs[ward] += status == Hub.Status.OPEN
    return {
        "hubs": {ward: {"n": n} for ward, n in open_hubs.items()},
        "services": services_per_area(category),
        "engagements": engagement_counts(hub_wards, today=today),
        "roles": grouped(
            Role.objects.public(today).annotate(ward=ward_of_role()), "ward", n=Count("pk")
        ),
        "volunteers": grouped(
            Interest.objects.filter(status=Interest.Status.PLACED, role__isnull=False).annotate(
                ward=ward_of_role("role__")
            ),
            "ward",
            n=Count("pk"),
        ),
    }


def served_by(ward_ids, town_ids):
    """{area id: {organisation ids}} for active organisations serving these wards or towns."""
    pairs = Area.organisations.through.objects.filter(
        Q(area_id__in=ward_ids) | Q(area_id__in=town_ids), organisation__is_active=True
    ).values_list("area_id", "organisation_id")
    served = defaultdict(set)
    for area_id, organisation_id in pairs:
        served[area_id].add(organisation_id)
    return served


def build_matrix(wards, *, today, category=None) -> Matrix:
    """The matrix for these wards (a queryset of Areas): about a dozen queries, however many."""
    # The wards' ids as a subquery, not a list: a list of 1,000 ids was a thousand query
    # parameters for the driver to bind in each of three queries.
    ward_ids, town_ids = wards.values("pk"), wards.values("parent_id")
    wards = list(wards.select_related("parent").order_by("name"))
    indicators = latest_indicators()
    figures = defaultdict(dict)
    for indicator_id, ward_id, value in WardFigure.objects.filter(
        indicator__in=indicators, ward_id__in=ward_ids
    ).values_list("indicator_id", "ward_id", "value"):
        figures[ward_id][indicator_id] = plain(value)
    population = next((i for i in indicators if i.kind == Indicator.Kind.POPULATION), None)
    decile = next((i for i in indicators if i.kind == Indicator.Kind.IMD_DECILE), None)
    counts = provision_counts(today=today, category=category)
    served = served_by(ward_ids, town_ids)
    agreements = Counter(live_kpi_agreements().values_list("organisation_id", flat=True))
    funded = set(agreements)  # few beside the organisations serving a ward: sum over these
    rows = []
    for ward in wards:
        own = figures.get(ward.pk, {})
        people = own.get(population.pk) if population else None
        engagement = counts["engagements"].get(ward.pk, {})
        organisations = served.get(ward.pk, set()) | served.get(ward.parent_id, set())
        services = counts["services"].get(ward.pk, 0)
        row = {
            "ward": ward,
            "town": ward.parent.name if ward.parent else "",
            "population": people,
            "imd_decile": own.get(decile.pk) if decile else None,
            "hubs": counts["hubs"].get(ward.pk, {}).get("n", 0),
            "services": services,
            "services_per_1000": per_thousand(services, people),
            "activities": engagement.get("activities", 0),
            "organisations": len(organisations),
            "roles": counts["roles"].get(ward.pk, {}).get("n", 0),
            "sessions_per_1000": per_thousand(engagement.get("sessions", 0), people),
            "people_per_1000": per_thousand(engagement.get("people") or 0, people),
            "volunteers_per_1000": per_thousand(
                counts["volunteers"].get(ward.pk, {}).get("n", 0), people
            ),
            "agreements": sum(agreements[o] for o in funded.intersection(organisations)),
        }
        for indicator in indicators:
            value = own.get(indicator.pk)
            row[f"indicator_{indicator.pk}"] = value
        row["flagged"] = is_flagged(row)
        rows.append(row)
    return Matrix(
        columns=need_columns(indicators) + PROVISION,
        rows=rows,
        indicators=indicators,
        rule=flag_rule(),
        made_up=any(i.made_up for i in indicators),
    )


def sort_rows(rows, key: str, descending: bool):
    """Sorted by a column, wards without a figure last either way; then by name."""

    def value(row):
        v = row["ward"].name.casefold() if key == "ward" else row.get(key)
        if isinstance(v, Decimal):
            v = float(v)
        return v

    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    known.sort(key=lambda r: r["ward"].name.casefold())
    known.sort(key=value, reverse=descending)
    return known + unknown
