"""Generate county-scale fake data for benchmarks: organisations, areas, postcodes, places,
services, hubs and years of engagements, reproducibly from a seed.

Rows are inserted in large batches: COPY on PostgreSQL (ids reserved from the table's
sequence first, so children can point at their parents), bulk_create elsewhere. Everything it
makes is recognisable: slugs start with "scale-", postcodes use the unused areas QA-XZ and ONS
codes start with X. Run it on an empty database made for benchmarking, e.g.

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python manage.py generate_scale_data --services 100000 --engagements 1000000
"""

import datetime
import random
import time
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from core.cache import bump
from demo.scale.directory import DirectoryData
from demo.scale.hubs import HubData
from demo.scale.inserter import Inserter
from directory.models import Area, Location, Postcode, Schedule, Service
from directory.services import refresh_search_text
from hubs.models import ENGAGEMENTS_VERSION_KEY, Activity, Engagement, Hub, Referral
from partners.models import Organisation


class Command(DirectoryData, HubData, BaseCommand):
    help = (
        "Generate fake county-scale data (organisations, areas, postcodes, places, services, "
        "hubs, engagements) for benchmarks. Reproducible with --seed. For an empty database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, default=10_000)
        parser.add_argument("--engagements", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument("--years", type=int, default=5, help="years of engagements")
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with DEBUG off. The services are published: never on a live database.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "generate_scale_data publishes thousands of fake services. Run it with "
                "DEBUG=true on a database made for benchmarks, or pass --allow-production."
            )
        services, engagements = options["services"], options["engagements"]
        if services < 1 or engagements < 0 or options["years"] < 1 or options["batch_size"] < 1:
            raise CommandError(
                "--services, --years and --batch-size must be at least 1, --engagements 0 or more"
            )
        if Organisation.objects.filter(slug__startswith="scale-").exists():
            raise CommandError(
                "This database already has generated data (organisations named scale-...). "
                "Generate into an empty database."
            )
        self.verbosity = options["verbosity"]
        self.rng = random.Random(options["seed"])  # noqa: S311 - fake data, reproducible
        self.out = Inserter(self, options["batch_size"])
        self.today = timezone.localdate()
        self.years = options["years"]
        self.tz = ZoneInfo(settings.TIME_ZONE)
        started = time.monotonic()
        with transaction.atomic():
            self.make_categories()
            self.make_places(services)
            self.make_organisations(max(5, services // 5))
            self.make_locations(max(5, services // 3))
            self.make_services(services)
            self.make_hubs(max(2, min(1000, engagements // 5000)))
            self.make_engagements(engagements)
            # COPY sends no signals: the search text is checked (and rewritten where wrong).
            refresh_search_text(everything=True)
            bump()  # COPY sends no signals either
            bump(ENGAGEMENTS_VERSION_KEY)
        self.analyze()
        if self.verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {services:,} services and {engagements:,} engagements in "
                    f"{time.monotonic() - started:.1f} s."
                )
            )

    # --- helpers ------------------------------------------------------------------------

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def stamp(self, day=None):
        """A fixed time of day, so the same seed gives the same rows (bar `created`)."""
        day = day or self.today
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=self.tz)

    def analyze(self):
        """Fresh planner statistics after a bulk load (PostgreSQL plans badly without), and,
        outside a transaction, VACUUM too, so index-only scans (the reports') need no table."""
        if connection.vendor != "postgresql":
            return
        models = [
            Area,
            Postcode,
            Organisation,
            Location,
            Service,
            Service.categories.through,
            Service.locations.through,
            Schedule,
            Hub,
            Activity,
            Engagement,
            Referral,
        ]
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
