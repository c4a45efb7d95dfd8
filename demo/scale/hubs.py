"""generate_scale_data's hubs half: hubs, their activities, and years of engagements."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from demo.scale.directory import LOCATION_FIELDS
from demo.scale.words import (
    ACTIVITIES,
    STREETS,
)
from directory.models import Location
from hubs.models import AGE_BANDS, Activity, Engagement, Hub, Referral


class HubData:
    """Mixed into the command after DirectoryData (it places hubs at its locations)."""

    def make_hubs(self, count):
        rng = self.rng
        ids = self.out.reserve_ids(Hub, count)
        location_ids = self.out.reserve_ids(Location, count)
        now = self.stamp()
        earliest = self.today - datetime.timedelta(days=365 * self.years)
        self.hubs = []  # (id, opened, activity ids, partner ids)
        hub_rows, location_rows, activity_rows = [], [], []
        for n, (hub_id, location_id) in enumerate(zip(ids, location_ids, strict=True)):
            t = rng.randrange(len(self.towns))
            town = self.towns[t]
            code, lat, lon, ward_id = rng.choice(town["postcodes"])
            kind = rng.choice(("Primary", "Infant", "Junior"))
            school = f"{rng.choice(STREETS).split()[0]} {kind} School"
            status = Hub.Status.OPEN if rng.random() < 0.9 else Hub.Status.IN_DEVELOPMENT
            opened = None
            if status == Hub.Status.OPEN:
                # Most hubs ran the whole period; some opened part-way through.
                span = (self.today - earliest).days
                opened = earliest + datetime.timedelta(
                    days=0 if rng.random() < 0.7 else rng.randrange(0, span - 30)
                )
            partners = self.orgs_by_town.get(t) or self.org_ids[:5]
            location_rows.append(
                (
                    location_id,
                    self.uuid(),
                    f"{town['name']} {school}",
                    "",
                    f"{rng.randrange(1, 200)} {rng.choice(STREETS)}",
                    "",
                    town["name"],
                    code,
                    ward_id,
                    Decimal(f"{lat:.6f}"),
                    Decimal(f"{lon:.6f}"),
                    "",
                    True,  # step-free access: hubs are in primary schools
                    True,  # accessible toilet
                    False,  # hearing loop
                    True,  # parking
                    now,
                    now,
                )
            )
            name = f"{town['name']} {school.split(' School')[0]} Community Hub"
            hub_rows.append(
                (
                    hub_id,
                    self.uuid(),
                    name,
                    f"scale-hub-{n}-{slugify(name)}"[:200],
                    Hub.VenueKind.SCHOOL.value,
                    location_id,
                    town["id"],
                    rng.choice(partners),
                    opened,
                    status.value,
                    "Loneliness and isolation\nCost of living",
                    "Monday to Friday, 8:30am to 3:30pm",
                    f"A community hub at {school}, open to everyone in {town['name']}.",
                    "Drop in, or ask at the school office.",
                    "",
                    "",
                    now,
                    now,
                )
            )
            activities = []
            for name_, category in rng.sample(ACTIVITIES, rng.randint(3, 6)):
                start = rng.choice((9, 10, 13, 15))
                activity_id = len(activity_rows)
                activity_rows.append(
                    (
                        self.uuid(),
                        hub_id,
                        name_,
                        "",
                        category.value,
                        rng.randrange(0, 5),
                        datetime.time(start),
                        datetime.time(start + 1, 30),
                        rng.choice(partners) if rng.random() < 0.5 else None,
                        True,
                        now,
                        now,
                    )
                )
                activities.append(activity_id)
            if opened:
                self.hubs.append((hub_id, opened, activities, partners[:6]))
        self.out.insert(Location, LOCATION_FIELDS, location_rows)
        self.out.insert(
            Hub,
            [
                "id",
                "uuid",
                "name",
                "slug",
                "venue_kind",
                "location_id",
                "area_id",
                "lead_partner_id",
                "opened",
                "status",
                "focus_areas",
                "opening_times",
                "description",
                "how_to_get_involved",
                "email",
                "phone",
                "created",
                "modified",
            ],
            hub_rows,
        )
        activity_ids = self.out.reserve_ids(Activity, len(activity_rows))
        self.out.insert(
            Activity,
            [
                "id",
                "uuid",
                "hub_id",
                "name",
                "description",
                "category",
                "weekday",
                "start_time",
                "end_time",
                "run_by_id",
                "is_active",
                "created",
                "modified",
            ],
            ((activity_ids[i], *row) for i, row in enumerate(activity_rows)),
        )
        self.hubs = [
            (hub_id, opened, [activity_ids[a] for a in activities], partners)
            for hub_id, opened, activities, partners in self.hubs
        ]

    def make_engagements(self, count):
        if not count or not self.hubs:
            return
        rng = self.rng
        ids = self.out.reserve_ids(Engagement, count)
        # Busier hubs are those open longer: weight by days open.
        weights, total = [], 0
        for _, opened, _, _ in self.hubs:
            total += (self.today - opened).days + 1
            weights.append(total)
        stamps = {}
        referrals = []
        bands = len(AGE_BANDS)

        def rows():
            for engagement_id in ids:
                hub_id, opened, activities, partners = rng.choices(self.hubs, cum_weights=weights)[
                    0
                ]
                day = opened + datetime.timedelta(
                    days=rng.randrange((self.today - opened).days + 1)
                )
                people = min(200, 1 + int(rng.expovariate(1 / 12)))
                ages = [0] * bands
                if rng.random() < 0.7:
                    for _ in range(people):
                        ages[min(bands - 1, int(rng.triangular(0, bands, 4)))] += 1
                stamp = stamps.get(day)
                if stamp is None:
                    stamp = stamps[day] = self.stamp(day)
                if rng.random() < 0.1:
                    for organisation_id in rng.sample(
                        partners, min(len(partners), rng.choice((1, 1, 2)))
                    ):
                        referrals.append(
                            (engagement_id, hub_id, day, organisation_id, rng.randint(1, 3))
                        )
                yield (
                    engagement_id,
                    hub_id,
                    rng.choice(activities) if activities and rng.random() < 0.8 else None,
                    day,
                    people,
                    rng.randint(0, people // 3),
                    *ages,
                    rng.choice(partners) if rng.random() < 0.3 else None,
                    "",
                    stamp,
                    stamp,
                )

        self.out.insert(
            Engagement,
            [
                "id",
                "hub_id",
                "activity_id",
                "date",
                "people",
                "new_people",
                *(name for name, _ in AGE_BANDS),
                "partner_present_id",
                "notes",
                "created",
                "modified",
            ],
            rows(),
            total=count,
            label="engagements",
        )
        self.out.insert(
            Referral,
            ["engagement_id", "hub_id", "date", "organisation_id", "count"],
            referrals,
            total=len(referrals),
            label="referrals",
        )
