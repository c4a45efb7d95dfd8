"""Give the benchmark database a county's worth of wards with figures and boundaries, for the
ward matrix: run after generate_scale_data, e.g.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python manage.py generate_scale_wards --wards 1000

Adds wards under the generated towns until there are --wards of them (slugs "scale-...", ONS
codes starting X05), spreads each town's places across its wards, and saves a made-up
population, IMD decile and loneliness figure and a square boundary for every ward.
"""

import random
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from directory.models import Area, Location
from wards import services
from wards.models import Indicator

SOURCE = "Generated for benchmarks (made up)"
YEAR = 2024
SIDE = 0.01  # degrees: each ward's square boundary


class Command(BaseCommand):
    help = (
        "Add wards (up to --wards), spread places across them, and give each made-up figures "
        "and a boundary: the ward matrix at county scale. After generate_scale_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with DEBUG off. The figures are made up: never on a live database.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "generate_scale_wards writes made-up ward figures. Run it with DEBUG=true on a "
                "database made for benchmarks, or pass --allow-production."
            )
        towns = list(Area.objects.filter(kind=Area.Kind.TOWN, slug__startswith="scale-"))
        if not towns:
            raise CommandError("No generated towns: run generate_scale_data first.")
        if options["wards"] < len(towns):
            raise CommandError(f"--wards must be at least the number of towns ({len(towns)}).")
        rng = random.Random(options["seed"])  # noqa: S311 - fake data, reproducible
        with transaction.atomic():
            wards = self.make_wards(towns, options["wards"])
            moved = self.spread_places(towns, wards, rng)
            self.save_figures(wards, rng)
        self.stdout.write(
            f"{sum(len(w) for w in wards.values()):,} wards in {len(towns)} towns; "
            f"{moved:,} places spread across them; figures and boundaries saved."
        )

    def make_wards(self, towns, total):
        """{town id: [ward, ...]}, adding wards round the towns until there are `total`."""
        wards = {town.pk: [] for town in towns}
        for ward in Area.objects.filter(kind=Area.Kind.WARD, parent__in=towns).order_by("pk"):
            wards[ward.parent_id].append(ward)
        have = sum(len(w) for w in wards.values())
        codes = {c for c in Area.objects.values_list("ons_code", flat=True) if c}
        new, number = [], 0
        for index in range(max(0, total - have)):
            town = towns[index % len(towns)]
            k = len(wards[town.pk]) + 1
            while (code := f"X05{900000 + number:06d}") in codes:
                number += 1
            number += 1
            ward = Area(
                name=f"{town.name} Ward {k}",
                slug=f"{town.slug}-ward-{k}",
                kind=Area.Kind.WARD,
                parent=town,
                ons_code=code,
            )
            wards[town.pk].append(ward)
            new.append(ward)
        Area.objects.bulk_create(new, batch_size=1000)
        return wards

    def spread_places(self, towns, wards, rng):
        """Put each of a town's places in one of its wards, so every ward has some."""
        by_ward = {}
        places = Location.objects.filter(area__parent__in=towns)
        for pk, parent_id in places.values_list("pk", "area__parent_id"):
            by_ward.setdefault(rng.choice(wards[parent_id]).pk, []).append(pk)
        for ward_id, pks in by_ward.items():
            Location.objects.filter(pk__in=pks).update(area_id=ward_id)
        return sum(len(pks) for pks in by_ward.values())

    def save_figures(self, wards, rng):
        every = [w for town_wards in wards.values() for w in town_wards]
        for name, kind, value in (
            ("Population", Indicator.Kind.POPULATION, lambda: rng.randrange(4000, 16000)),
            ("IMD decile", Indicator.Kind.IMD_DECILE, lambda: rng.randint(1, 10)),
            (
                "Adults often or always lonely (%)",
                Indicator.Kind.OTHER,
                lambda: round(rng.uniform(3, 14), 1),
            ),
        ):
            services.save_figures(
                user=None,
                name=name,
                kind=kind,
                source=SOURCE,
                year=YEAR,
                values={w.pk: Decimal(str(value())) for w in every},
                made_up=True,
            )
        # Squares on a grid: the map needs a shape per ward, not a true one.
        columns = max(1, int(len(every) ** 0.5))
        services.save_boundaries(
            user=None,
            geometries={
                w.pk: _square(51.0 + (i // columns) * SIDE, 0.0 + (i % columns) * SIDE)
                for i, w in enumerate(every)
            },
            source=SOURCE,
            year=YEAR,
            made_up=True,
        )


def _square(lat, lon):
    ring = [[lon, lat], [lon + SIDE, lat], [lon + SIDE, lat + SIDE], [lon, lat + SIDE]]
    ring = [[round(x, 6), round(y, 6)] for x, y in ring]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
