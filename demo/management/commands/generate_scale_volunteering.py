"""Generate county-scale fake volunteering for benchmarks, over what generate_scale_data made:
skills, roles at its organisations (some at its hubs), volunteers' interests moving through
the pipeline, and years of hours, reproducibly from a seed.

The search page looks for roles on every keyword search, and the KPI figures count placements
and confirmed hours: without these rows the benchmarks would measure those queries on empty
tables. Everything it makes is recognisable: skill slugs start with "scale-", interests'
emails end in @example.org and their references start with "SC-". For example:

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/cc_bench \\
        .venv/bin/python manage.py generate_scale_volunteering --roles 5000 --volunteers 20000
"""

import datetime
import random
import time
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from core.cache import bump
from demo.scale.inserter import Inserter
from directory.models import Area
from hubs.models import Hub
from partners.models import Organisation
from volunteering.models import Interest, InterestEvent, Role, Skill, VolunteerHours
from volunteering.services import refresh_search_text

SKILLS = [
    "Driving",
    "Cooking",
    "Befriending",
    "Gardening",
    "Admin and data entry",
    "Digital skills",
    "Fundraising",
    "Listening",
    "Languages",
    "Lifting and carrying",
    "Sport and fitness",
    "Working with children",
    "Working with older people",
    "Social media",
    "DIY and repairs",
]
# Each: a title, what the volunteer does, and the skills it asks for (indexes into SKILLS).
ROLES = [
    ("Food bank volunteer", "Sort donations and pack emergency food parcels.", [2, 9]),
    ("Community cafe helper", "Serve hot drinks and a warm welcome at our cafe.", [1, 7]),
    ("Befriender", "Visit or phone an older neighbour for a weekly chat.", [2, 7, 12]),
    ("Volunteer driver", "Drive residents to appointments in the community minibus.", [0]),
    ("Garden volunteer", "Help keep the community garden growing.", [3, 9]),
    ("Digital champion", "Help people get online and use their phones with confidence.", [5]),
    ("Youth club helper", "Run games and activities for young people.", [10, 11]),
    ("Advice session receptionist", "Greet visitors and book advice appointments.", [4, 7]),
    ("Fundraising volunteer", "Help plan and run our fundraising events.", [6, 13]),
    ("Walk leader", "Lead a friendly weekly health walk.", [10]),
    ("Handyperson", "Small repairs for older and disabled residents.", [14]),
    ("Interpreter", "Help residents who speak little English at appointments.", [8]),
]
ROLE_STATUSES = [Role.Status.OPEN, Role.Status.CLOSED, Role.Status.DRAFT]
STATUSES = [  # an interest's stage, and how often
    (Interest.Status.PLACED, 40),
    (Interest.Status.CONTACTED, 20),
    (Interest.Status.NEW, 25),
    (Interest.Status.NOT_PROGRESSED, 15),
]


class Command(BaseCommand):
    help = (
        "Generate fake volunteering (skills, roles, interests, hours) for benchmarks, over the "
        "data generate_scale_data made. Reproducible with --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--roles", type=int, default=5_000)
        parser.add_argument("--volunteers", type=int, default=20_000, help="interests in roles")
        parser.add_argument("--hours", type=int, default=200_000, help="hours entries")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument("--years", type=int, default=2, help="years of interests and hours")
        parser.add_argument("--batch-size", type=int, default=20_000)
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with DEBUG off. The roles are open: never on a live database.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "generate_scale_volunteering opens thousands of fake roles. Run it with "
                "DEBUG=true on a database made for benchmarks, or pass --allow-production."
            )
        roles, volunteers, hours = options["roles"], options["volunteers"], options["hours"]
        if (
            roles < 1
            or volunteers < 0
            or hours < 0
            or min(options["years"], options["batch_size"]) < 1
        ):
            raise CommandError(
                "--roles, --years and --batch-size must be at least 1, "
                "--volunteers and --hours 0 or more"
            )
        if Skill.objects.filter(slug__startswith="scale-").exists():
            raise CommandError(
                "This database already has generated volunteering (skills scale-...)."
            )
        self.organisations = list(
            Organisation.objects.filter(slug__startswith="scale-", is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not self.organisations:
            raise CommandError(
                "Run generate_scale_data first: there are no generated organisations."
            )
        self.hubs = list(Hub.objects.order_by("pk").values_list("pk", "area_id"))
        self.areas = list(Area.objects.order_by("pk").values_list("pk", flat=True))
        self.verbosity = options["verbosity"]
        self.rng = random.Random(options["seed"])  # noqa: S311 - fake data, reproducible
        self.out = Inserter(self, options["batch_size"])
        self.today = timezone.localdate()
        self.days = 365 * options["years"]
        self.tz = ZoneInfo(settings.TIME_ZONE)
        started = time.monotonic()
        with transaction.atomic():
            skills = self.make_skills()
            role_ids = self.make_roles(roles, skills)
            placed = self.make_interests(volunteers, role_ids)
            self.make_hours(hours, placed)
            # Bulk writes send no signals: each role's search text, and cached search pages.
            refresh_search_text(roles=Role.objects.filter(pk__in=role_ids))
            bump()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Role, Role.skills.through, Interest, InterestEvent, VolunteerHours):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        if self.verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {roles:,} roles, {volunteers:,} interests and {hours:,} hours "
                    f"entries in {time.monotonic() - started:.1f} s."
                )
            )

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def stamp(self, day):
        """Noon on `day`: the same seed gives the same rows."""
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=self.tz)

    def day_ago(self, most):
        return self.today - datetime.timedelta(days=self.rng.randrange(most))

    def make_skills(self):
        ids = self.out.reserve_ids(Skill, len(SKILLS))
        rows = [
            (pk, name, f"scale-{n}") for n, (pk, name) in enumerate(zip(ids, SKILLS, strict=True))
        ]
        self.out.insert(Skill, ["id", "name", "slug"], rows)
        return ids

    def make_roles(self, count, skills):
        rng, ids = self.rng, self.out.reserve_ids(Role, count)
        links = []

        def rows():
            for pk in ids:
                title, description, wanted = rng.choice(ROLES)
                hub, area = (None, rng.choice(self.areas) if self.areas else None)
                if self.hubs and rng.random() < 0.3:
                    hub, area = rng.choice(self.hubs)
                commitment = rng.choice(Role.Commitment.values)
                regular = commitment == Role.Commitment.REGULAR
                weekly = Decimal(rng.choice([1, 2, 3, 4])) if regular else None
                status = rng.choices(ROLE_STATUSES, weights=[85, 10, 5])[0]
                closing = None
                if rng.random() < 0.3:  # some have closed already
                    closing = self.today + datetime.timedelta(days=rng.randrange(-60, 180))
                links.extend((pk, skills[n]) for n in wanted)
                yield (
                    pk,
                    self.uuid(),
                    rng.choice(self.organisations),
                    hub,
                    title,
                    "",
                    f"{description} Training and expenses provided.",
                    area,
                    rng.random() < 0.15,
                    commitment,
                    weekly,
                    "",
                    rng.random() < 0.3,
                    "",
                    closing,
                    status,
                    rng.choice([16, 18, 18, 18]),
                    "",
                    self.stamp(self.day_ago(self.days)),
                    self.stamp(self.today),
                )

        fields = [
            "id",
            "uuid",
            "organisation_id",
            "hub_id",
            "title",
            "summary",
            "description",
            "area_id",
            "is_remote",
            "commitment",
            "hours_per_week",
            "when",
            "dbs_check_needed",
            "accessibility",
            "closing_date",
            "status",
            "minimum_age",
            "search_text",
            "created",
            "modified",
        ]
        self.out.insert(Role, fields, rows(), total=count, label="roles")
        through = Role.skills.through
        link_ids = self.out.reserve_ids(through, len(links))
        self.out.insert(
            through,
            ["id", "role_id", "skill_id"],
            ((pk, *link) for pk, link in zip(link_ids, links, strict=True)),
            total=len(links),
            label="role skills",
        )
        return ids

    def make_interests(self, count, role_ids):
        """Interests in roles over the years, each at a pipeline stage, with the event that
        moved it there; returns (interest id, placed on) for the placed ones."""
        rng, ids = self.rng, self.out.reserve_ids(Interest, count)
        statuses, weights = zip(*STATUSES, strict=True)
        events, placed = [], []
        nothing = "[]" if self.out.postgres else []  # availability (JSON): COPY takes its text

        def rows():
            for n, pk in enumerate(ids):
                status = rng.choices(statuses, weights=weights)[0]
                sent = self.day_ago(self.days)
                moved = min(self.today, sent + datetime.timedelta(days=rng.randrange(1, 15)))
                if status != Interest.Status.NEW:
                    events.append((pk, Interest.Status.NEW, status, self.stamp(moved)))
                if status == Interest.Status.PLACED:
                    placed.append((pk, moved))
                changed = sent if status == Interest.Status.NEW else moved
                yield (
                    pk,
                    f"SC-{n:07d}",
                    rng.choice(role_ids),
                    status,
                    self.stamp(changed),
                    f"Volunteer {n}",
                    f"volunteer{n}@example.org",
                    "",
                    "",
                    nothing,
                    self.stamp(sent),
                    self.stamp(sent),
                    self.stamp(changed),
                )

        fields = [
            "id",
            "reference",
            "role_id",
            "status",
            "status_changed_at",
            "name",
            "email",
            "phone",
            "message",
            "availability",
            "consent_at",
            "created",
            "last_activity_at",
        ]
        self.out.insert(Interest, fields, rows(), total=count, label="interests")
        event_ids = self.out.reserve_ids(InterestEvent, len(events))
        self.out.insert(
            InterestEvent,
            ["id", "interest_id", "from_status", "to_status", "at"],
            ((pk, *event) for pk, event in zip(event_ids, events, strict=True)),
            total=len(events),
            label="pipeline",
        )
        return placed

    def make_hours(self, count, placed):
        """Hours entries by placed volunteers after their placement; most confirmed."""
        if not placed or not count:
            return
        rng, ids = self.rng, self.out.reserve_ids(VolunteerHours, count)

        def rows():
            for pk in ids:
                interest, since = rng.choice(placed)
                day = since + datetime.timedelta(days=rng.randrange((self.today - since).days + 1))
                logged = Decimal(rng.choice([1, 1.5, 2, 2.5, 3, 4, 6])).quantize(Decimal("0.01"))
                confirmed = logged if rng.random() < 0.8 else None
                at = self.stamp(min(self.today, day + datetime.timedelta(days=3)))
                yield (pk, interest, day, logged, confirmed, at if confirmed else None, at)

        fields = [
            "id",
            "interest_id",
            "date",
            "hours",
            "confirmed_hours",
            "confirmed_at",
            "created",
        ]
        self.out.insert(VolunteerHours, fields, rows(), total=count, label="hours")
