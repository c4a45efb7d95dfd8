"""generate_scale_data's directory half: categories, areas and postcodes, organisations,
places and services."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from demo.directory import CATEGORIES
from demo.scale.words import (
    FAMILY,
    GENERIC_SENTENCES,
    GIVEN,
    ORG_PATTERNS,
    POSTCODE_UNITS,
    STREETS,
    THEMES,
    TOWN_ENDS,
    TOWN_STARTS,
    VENUES,
    WARDS,
)
from directory.models import Area, Location, Postcode, Schedule, Service, TaxonomyTerm
from directory.services import search_text
from partners.models import Organisation

# Columns of a generated place, as COPY sends them (the hubs' venues are places too).
LOCATION_FIELDS = [
    "id",
    "uuid",
    "name",
    "description",
    "address_1",
    "address_2",
    "town",
    "postcode",
    "area_id",
    "latitude",
    "longitude",
    "accessibility",
    "step_free_access",
    "accessible_toilet",
    "hearing_loop",
    "parking",
    "created",
    "modified",
]


class DirectoryData:
    """Mixed into the command: uses its rng, out (Inserter), today, stamp() and uuid()."""

    def make_categories(self):
        self.terms = {}
        self.term_names = {}
        for name, description, children in CATEGORIES:
            parent, _ = TaxonomyTerm.objects.get_or_create(
                slug=slugify(name), defaults={"name": name, "description": description}
            )
            self.terms[parent.slug] = parent.pk
            self.term_names[parent.pk] = parent.name
            for child in children:
                term, _ = TaxonomyTerm.objects.get_or_create(
                    slug=slugify(child), defaults={"name": child, "parent": parent}
                )
                self.terms[term.slug] = term.pk
                self.term_names[term.pk] = term.name

    def make_places(self, services):
        """Towns, their wards, and postcodes spread around each town centre."""
        rng = self.rng
        names = [a + b for a in TOWN_STARTS for b in TOWN_ENDS]
        rng.shuffle(names)
        outward = [
            f"{a}{b}{d}" for a in "QVX" for b in "ABCDEFGHJKLMNOPRSTUWY" for d in range(1, 10)
        ]
        count = max(3, min(len(names), len(outward), services // 400))
        town_ids = self.out.reserve_ids(Area, count)
        ward_ids = self.out.reserve_ids(Area, count * len(WARDS))
        self.towns = []  # dicts: id, name, lat, lon, wards [(id, code)], postcodes [...]
        area_rows, postcode_rows = [], []
        per_town = max(8, services // count // 4)
        for i, (town_id, name) in enumerate(zip(town_ids, names, strict=False)):
            lat, lon = rng.uniform(50.6, 54.4), rng.uniform(-3.0, 1.4)
            town = {"id": town_id, "name": name, "lat": lat, "lon": lon, "wards": []}
            area_rows.append(
                (town_id, name, f"scale-{slugify(name)}", Area.Kind.TOWN.value, None, f"X07{i:06d}")
            )
            for w, ward in enumerate(WARDS):
                ward_id = ward_ids[i * len(WARDS) + w]
                code = f"X05{i * len(WARDS) + w:06d}"
                area_rows.append(
                    (
                        ward_id,
                        f"{name} {ward}",
                        f"scale-{slugify(name)}-{ward.lower()}",
                        Area.Kind.WARD.value,
                        town_id,
                        code,
                    )
                )
                town["wards"].append((ward_id, code))
            town["postcodes"] = []
            units = rng.sample(
                [
                    f"{s}{u1}{u2}"
                    for s in range(10)
                    for u1 in POSTCODE_UNITS
                    for u2 in POSTCODE_UNITS
                ],
                min(per_town, 4000),
            )
            for unit in units:
                ward_id, ward_code = rng.choice(town["wards"])
                code = f"{outward[i]} {unit}"
                plat = round(lat + rng.gauss(0, 0.02), 6)
                plon = round(lon + rng.gauss(0, 0.03), 6)
                town["postcodes"].append((code, plat, plon, ward_id))
                postcode_rows.append(
                    (code, Decimal(f"{plat:.6f}"), Decimal(f"{plon:.6f}"), ward_code, f"X07{i:06d}")
                )
            self.towns.append(town)
        self.out.insert(Area, ["id", "name", "slug", "kind", "parent_id", "ons_code"], area_rows)
        self.out.insert(
            Postcode,
            ["postcode", "latitude", "longitude", "ward_code", "district_code"],
            postcode_rows,
            total=len(postcode_rows),
            label="postcodes",
        )

    def make_organisations(self, count):
        rng = self.rng
        ids = self.out.reserve_ids(Organisation, count)
        self.org_town = []  # town index per organisation, in id order
        self.org_names = []  # in id order too
        self.orgs_by_town = {}
        now = self.stamp()

        def rows():
            for n, org_id in enumerate(ids):
                t = rng.randrange(len(self.towns))
                town = self.towns[t]
                pattern, kind = rng.choice(ORG_PATTERNS)
                name = pattern.format(town=town["name"])
                slug = f"scale-{n}-{slugify(name)}"[:200]
                self.org_town.append(t)
                self.org_names.append(name)
                self.orgs_by_town.setdefault(t, []).append(org_id)
                charity = f"{1_100_000 + n}" if kind == Organisation.Kind.CHARITY else ""
                postcode = rng.choice(town["postcodes"])[0]
                yield (
                    org_id,
                    self.uuid(),
                    name,
                    slug,
                    kind.value,
                    f"{name} works with residents in and around {town['name']}.",
                    f"https://{slug[:50]}.example.org/",
                    f"hello@{slug[:50]}.example.org",
                    f"01{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
                    True,
                    now,
                    now,
                    charity,
                    "",
                    f"{rng.randrange(1, 200)} {rng.choice(STREETS)}\n{town['name']}",
                    postcode,
                )

        self.out.insert(
            Organisation,
            [
                "id",
                "uuid",
                "name",
                "slug",
                "kind",
                "description",
                "website",
                "email",
                "phone",
                "is_active",
                "created",
                "modified",
                "charity_number",
                "company_number",
                "address",
                "postcode",
            ],
            rows(),
            total=count,
            label="organisations",
        )
        self.org_ids = ids
        # Areas served: each organisation serves its own town.
        through = Area.organisations.through
        self.out.insert(
            through,
            ["area_id", "organisation_id"],
            ((self.towns[t]["id"], org_id) for org_id, t in zip(ids, self.org_town, strict=True)),
        )

    def make_locations(self, count):
        rng = self.rng
        ids = self.out.reserve_ids(Location, count)
        self.locations_by_town = {}
        self.location_points = {}
        now = self.stamp()

        def rows():
            for location_id in ids:
                t = rng.randrange(len(self.towns))
                town = self.towns[t]
                code, lat, lon, ward_id = rng.choice(town["postcodes"])
                self.locations_by_town.setdefault(t, []).append(location_id)
                access = rng.random()
                yield (
                    location_id,
                    self.uuid(),
                    f"{town['name']} {rng.choice(VENUES)}",
                    "",
                    f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                    "",
                    town["name"],
                    code,
                    ward_id,
                    Decimal(f"{lat + rng.uniform(-0.002, 0.002):.6f}"),
                    Decimal(f"{lon + rng.uniform(-0.002, 0.002):.6f}"),
                    "Entrance at the side." if access < 0.1 else "",
                    access < 0.6,  # step-free access
                    access < 0.4,  # accessible toilet
                    access < 0.15,  # hearing loop
                    access > 0.5,  # parking
                    now,
                    now,
                )

        self.out.insert(
            Location,
            LOCATION_FIELDS,
            rows(),
            total=count,
            label="locations",
        )

    def make_services(self, count):
        rng = self.rng
        ids = self.out.reserve_ids(Service, count)
        categories, places, schedules = [], [], []
        now = self.stamp()
        statuses = [Service.Status.ACTIVE] * 95 + [Service.Status.TEMPORARILY_CLOSED] * 3
        statuses += [Service.Status.INACTIVE] * 2
        costs = [Service.Cost.FREE] * 7 + [Service.Cost.DONATION] * 2 + [Service.Cost.PAID]
        access = [Service.Access.DROP_IN] * 6 + [Service.Access.BOOKING] * 2
        access += [Service.Access.REFERRAL] * 2

        def rows():
            for service_id in ids:
                org_index = rng.randrange(len(self.org_ids))
                org_id, t = self.org_ids[org_index], self.org_town[org_index]
                town = self.towns[t]
                slugs, names, sentences, keywords, ages = rng.choice(THEMES)
                low, high = rng.choice(ages)
                text = rng.sample(sentences, rng.randint(1, len(sentences)))
                text += rng.sample(GENERIC_SENTENCES, rng.randint(0, 3))
                rng.shuffle(text)
                text.insert(0, f"For people in and around {town['name']}.")
                name = rng.choice(names)
                if rng.random() < 0.6:
                    name = f"{town['name']} {name[0].lower()}{name[1:]}"
                cost = rng.choice(costs)
                linked = [self.terms[slug] for slug in sorted({slugs[-1], *rng.sample(slugs, 1)})]
                if rng.random() < 0.15:
                    extra = rng.choice(THEMES)[0][-1]
                    if extra not in slugs:
                        linked.append(self.terms[extra])
                categories.extend((service_id, term_id) for term_id in linked)
                nearby = self.locations_by_town.get(t, [])
                if nearby:
                    for location_id in rng.sample(
                        nearby, min(len(nearby), rng.choice((1, 1, 1, 2)))
                    ):
                        places.append((service_id, location_id))
                for day in rng.sample(range(1, 8), rng.choice((0, 1, 1, 2, 3))):
                    opens = rng.choice((9, 10, 13, 18))
                    schedules.append(
                        (
                            self.uuid(),
                            service_id,
                            day,
                            datetime.time(opens),
                            datetime.time(opens + rng.choice((1, 2, 3))),
                            "",
                            day <= 5,  # weekday sessions close on bank holidays
                        )
                    )
                reviewed = self.today - datetime.timedelta(days=rng.randrange(0, 900))
                yield (
                    service_id,
                    self.uuid(),
                    org_id,
                    name,
                    " ".join(text),
                    " ".join(rng.sample(keywords.split(), rng.randint(0, 3))),
                    rng.choice(statuses).value,
                    (
                        Service.Publication.PUBLISHED
                        if rng.random() < 0.92
                        else Service.Publication.DRAFT
                    ).value,
                    "",
                    "",
                    f"01{rng.randrange(100, 999)} {rng.randrange(100000, 999999)}",
                    f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                    "",
                    low,
                    high,
                    cost.value,
                    "£2 a session" if cost == Service.Cost.PAID else "",
                    rng.choice(access).value,
                    "",
                    reviewed,
                    now,
                    now,
                    now,
                    # As refresh_search_text would write it, so that it rewrites no row.
                    search_text(self.org_names[org_index], [self.term_names[pk] for pk in linked]),
                )

        self.out.insert(
            Service,
            [
                "id",
                "uuid",
                "organisation_id",
                "name",
                "description",
                "keywords",
                "status",
                "publication",
                "url",
                "email",
                "phone",
                "contact_name",
                "eligibility",
                "minimum_age",
                "maximum_age",
                "cost",
                "fees_description",
                "access",
                "access_description",
                "last_reviewed",
                "created",
                "modified",
                "last_modified",
                "search_extra",
            ],
            rows(),
            total=count,
            label="services",
        )
        self.out.insert(
            Service.categories.through,
            ["service_id", "taxonomyterm_id"],
            categories,
            total=len(categories),
            label="categories",
        )
        self.out.insert(
            Service.locations.through,
            ["service_id", "location_id"],
            places,
            total=len(places),
            label="service places",
        )
        self.out.insert(
            Schedule,
            [
                "uuid",
                "service_id",
                "weekday",
                "opens_at",
                "closes_at",
                "description",
                "closed_on_bank_holidays",
            ],
            schedules,
            total=len(schedules),
            label="schedules",
        )
