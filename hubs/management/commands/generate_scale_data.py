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
import sys
import time
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from directory.demo import CATEGORIES
from directory.models import Area, Location, Postcode, Schedule, Service, TaxonomyTerm
from directory.services import refresh_search_text, search_text
from hubs import cache as engagement_cache
from hubs.models import AGE_BANDS, Activity, Engagement, Hub, Referral
from partners.models import Organisation

# --- the words the data is made of -----------------------------------------------------------


def _words(text, sep=None):
    return text.split(sep)


TOWN_STARTS = _words(
    "Ash Bar Brad Brook Burn Carl Chester Clay Dun East Elm Fair Great Green Hather High "
    "Kings Lang Little Long Marl Mill North Oak Red Rother South Stan Stone Sutton Thorn "
    "West White Wood Hazel Bex"
)
TOWN_ENDS = _words("bury by field ford ham ley ton well wick worth stead mouth bridge combe dale")
WARDS = ["North", "South", "East", "West", "Central"]
STREETS = _words(
    "High Street|Church Road|Station Road|Victoria Road|Park Lane|Mill Lane|London Road|"
    "Queens Road|Green Lane|The Broadway|Market Place|School Lane|Manor Road|"
    "Chapel Street|Kings Road|Meadow Way|Orchard Close|Rectory Road|Bridge Street|"
    "Elm Grove",
    "|",
)
VENUES = _words(
    "Community Centre|Library|Methodist Church Hall|Scout Hut|Leisure Centre|Village Hall|"
    "Primary School|Family Hub|Baptist Church|Youth Centre|Health Centre|"
    "Recreation Ground|Children's Centre|Salvation Army Hall|Mosque Community Room|"
    "Parish Rooms",
    "|",
)
ORG_PATTERNS = [
    ("{town} Food Bank", Organisation.Kind.CHARITY),
    ("{town} Community Association", Organisation.Kind.CHARITY),
    ("Friends of {town} Park", Organisation.Kind.COMMUNITY_GROUP),
    ("{town} Good Neighbours", Organisation.Kind.COMMUNITY_GROUP),
    ("{town} Youth Trust", Organisation.Kind.CIO),
    ("{town} Men's Shed", Organisation.Kind.COMMUNITY_GROUP),
    ("Citizens Advice {town}", Organisation.Kind.CHARITY),
    ("{town} Carers Support", Organisation.Kind.CHARITY),
    ("{town} Dementia Cafe CIC", Organisation.Kind.CIC),
    ("{town} Community Larder CIC", Organisation.Kind.CIC),
    ("{town} Mind", Organisation.Kind.CHARITY),
    ("{town} Age Concern", Organisation.Kind.CHARITY),
    ("{town} Digital Champions", Organisation.Kind.COMMUNITY_GROUP),
    ("{town} Town Council", Organisation.Kind.PUBLIC_BODY),
    ("{town} Walking Football Club", Organisation.Kind.COMMUNITY_GROUP),
    ("{town} Family Support", Organisation.Kind.CIO),
]
GIVEN = _words("Sam Alex Priya Tom Aisha Jo Chris Fatima Ben Lucy Omar Grace Dev Hannah Lee")
FAMILY = _words("Smith Patel Jones Khan Brown Taylor Williams Ahmed Evans Clarke Wilson Ali")

# Each theme: category slugs (from directory.demo.CATEGORIES), service names, sentences for the
# description, search keywords, and the likely ages (min, max).
THEMES = [
    (
        ["food", "food-banks"],
        ["Food bank", "Emergency food parcels", "Food bank drop-in"],
        [
            "Emergency food parcels for people in crisis.",
            "Bring a food bank voucher from an advice agency, GP or school.",
            "We can help you get a voucher when you arrive.",
            "Toiletries and baby items are available too.",
        ],
        "foodbank food parcels hungry",
        [(None, None)],
    ),
    (
        ["food", "community-supermarkets"],
        ["Community supermarket", "Community larder", "Food pantry"],
        [
            "Low-cost groceries for members, with fresh fruit and vegetables.",
            "Pay a small weekly membership and choose your own shopping.",
            "Surplus food from local shops, saved from waste.",
        ],
        "pantry larder cheap food groceries",
        [(18, None)],
    ),
    (
        ["food", "community-meals"],
        ["Community lunch", "Community cafe", "Shared supper"],
        [
            "A hot two-course meal and good company.",
            "Everyone welcome; pay what you can.",
            "Vegetarian and halal options every week.",
        ],
        "lunch meal cafe dinner",
        [(None, None), (60, None)],
    ),
    (
        ["money-and-debt", "debt-advice"],
        ["Debt advice", "Money advice surgery", "Budgeting help"],
        [
            "Free, confidential advice on debts, bills and budgeting.",
            "An adviser can talk to your creditors for you.",
            "Help with energy bills, council tax arrears and rent arrears.",
        ],
        "debt money bills arrears budgeting",
        [(18, None)],
    ),
    (
        ["money-and-debt", "benefits-advice"],
        ["Benefits advice", "Universal Credit help", "Benefits check"],
        [
            "Check you are getting every benefit you are entitled to.",
            "Help with Universal Credit claims, PIP forms and appeals.",
            "Appointments by phone or face to face.",
        ],
        "benefits universal credit pip welfare",
        [(16, None)],
    ),
    (
        ["mental-health"],
        ["Wellbeing cafe", "Mental health peer support", "Talking group", "Anxiety support group"],
        [
            "A friendly space to talk about how you are feeling.",
            "Peer support from people who have been there.",
            "No referral needed; just come along.",
            "Support with anxiety, low mood and stress.",
        ],
        "wellbeing anxiety depression mental health talk",
        [(18, None), (16, 25)],
    ),
    (
        ["loneliness-and-social-contact", "coffee-mornings"],
        ["Coffee morning", "Friendship group", "Dementia cafe", "Chatty cafe"],
        [
            "Tea, coffee, cake and a chat.",
            "A warm welcome for anyone who would like some company.",
            "Support for people living with dementia and their carers.",
            "Board games, crafts and conversation.",
        ],
        "coffee friendship lonely isolation dementia",
        [(None, None), (65, None)],
    ),
    (
        ["loneliness-and-social-contact", "warm-spaces"],
        ["Warm space", "Warm welcome", "Winter warm hub"],
        [
            "Somewhere warm to spend the day, with free hot drinks and wifi.",
            "Phone charging, newspapers and a friendly face.",
            "Open through the winter months.",
        ],
        "warm space heating wifi",
        [(None, None)],
    ),
    (
        ["physical-activity"],
        ["Walking football", "Health walk", "Chair yoga", "Parkrun volunteers", "Tai chi"],
        [
            "Gentle exercise at your own pace.",
            "All abilities welcome; no equipment needed.",
            "Meet new people while getting active.",
            "Led by qualified instructors.",
        ],
        "exercise fitness walking yoga sport",
        [(None, None), (50, None), (18, None)],
    ),
    (
        ["children-and-families", "holiday-activities"],
        ["Holiday activities and food", "Stay and play", "Toddler group", "Parent support group"],
        [
            "Free holiday clubs with a healthy meal for children on free school meals.",
            "Messy play, songs and stories for under-fives and their grown-ups.",
            "Support and friendship for parents and carers.",
        ],
        "kids children toddlers play holiday club parents",
        [(0, 5), (5, 16), (None, None)],
    ),
    (
        ["young-people"],
        ["Youth club", "Young carers group", "Youth mentoring", "Detached youth work"],
        [
            "Sessions for 11 to 25 year olds: sport, music, games and trips.",
            "A safe place to hang out with friends.",
            "One-to-one support from a trained youth worker.",
        ],
        "youth teenagers teens young carers",
        [(11, 18), (11, 25), (13, 19)],
    ),
    (
        ["older-people"],
        ["Lunch club for older people", "Befriending service", "Good neighbour scheme"],
        [
            "Weekly phone calls or visits from a friendly volunteer.",
            "Help with shopping, lifts to appointments and small jobs.",
            "Activities and support for older residents.",
        ],
        "befriending older people elderly pensioners",
        [(60, None), (65, None)],
    ),
    (
        ["digital-skills"],
        ["Digital drop-in", "Computer help", "Get online sessions"],
        [
            "Help using smartphones, tablets and laptops.",
            "Get online safely: email, video calls, online forms.",
            "Borrow a device or get free mobile data.",
        ],
        "computer internet online tablet smartphone",
        [(None, None), (18, None)],
    ),
    (
        ["employment"],
        ["Job club", "CV and interview help", "Employment support", "Volunteering taster"],
        [
            "Help finding work, writing a CV and preparing for interviews.",
            "Training courses and work experience placements.",
            "Support from a work coach in a relaxed setting.",
        ],
        "jobs work cv interview training careers",
        [(16, None), (18, 64)],
    ),
]
GENERIC_SENTENCES = [
    "Run by local volunteers.",
    "Step-free access and an accessible toilet.",
    "Interpreters can be arranged on request.",
    "Free parking nearby and on a bus route.",
    "Carers and family members are welcome too.",
    "Please get in touch before your first visit.",
    "Refreshments provided.",
    "Term time only.",
]
ACTIVITIES = [
    ("Coffee morning", Activity.Category.COFFEE_MORNING),
    ("Chair exercise", Activity.Category.FITNESS),
    ("Stay and play", Activity.Category.PLAY),
    ("Cook and eat", Activity.Category.COOKING),
    ("Garden club", Activity.Category.GARDENING),
    ("Digital skills", Activity.Category.TRAINING),
    ("Advice surgery", Activity.Category.ADVICE),
    ("Knit and natter", Activity.Category.OTHER),
]
POSTCODE_UNITS = "ABDEFGHJLNPQRSTUWXYZ"


class Inserter:
    """Batched inserts that know their ids up front: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, command, batch_size):
        self.command = command
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"

    def reserve_ids(self, model, count):
        """`count` new primary keys for `model`, in order."""
        if count <= 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                    "FROM generate_series(1, %s) ORDER BY 1",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            start = (cursor.fetchone()[0] or 0) + 1
            if not hasattr(self, "_next"):
                self._next = {}
            start = max(start, self._next.get(table, 0))
            self._next[table] = start + count
            return list(range(start, start + count))

    def insert(self, model, fields, rows, *, total=None, label=None):
        """Insert tuples of values for `fields` (attnames, e.g. "organisation_id")."""
        batch, done = [], 0
        progress = Progress(self.command, label, total) if label else None
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                self._flush(model, fields, batch)
                done += len(batch)
                batch = []
                if progress:
                    progress.update(done)
        if batch:
            self._flush(model, fields, batch)
            done += len(batch)
        if progress:
            progress.finish(done)
        return done

    def _flush(self, model, fields, batch):
        if self.postgres:
            columns = ", ".join(
                connection.ops.quote_name(model._meta.get_field(f).column) for f in fields
            )
            table = connection.ops.quote_name(model._meta.db_table)
            with (
                connection.cursor() as cursor,
                cursor.copy(
                    f"COPY {table} ({columns}) FROM STDIN"  # noqa: S608 - names from the model
                ) as copy,
            ):
                for row in batch:
                    copy.write_row(row)
        else:
            model.objects.bulk_create(
                [model(**dict(zip(fields, row, strict=True))) for row in batch],
                batch_size=min(self.batch_size, 500),
            )


class Progress:
    """A text progress bar (redrawn in place on a terminal, a line per 10% otherwise)."""

    WIDTH = 30

    def __init__(self, command, label, total):
        self.command, self.label, self.total = command, label, total or 0
        self.started = time.monotonic()
        self.tty = command.verbosity > 0 and sys.stdout.isatty()
        self.shown = -1

    def update(self, done):
        if self.command.verbosity < 1 or not self.total:
            return
        percent = min(100, done * 100 // self.total)
        if self.tty:
            filled = self.WIDTH * percent // 100
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.command.stdout.write(
                f"\r  {self.label:<14} [{bar}] {percent:3d}% {done:,}/{self.total:,}", ending=""
            )
            self.command.stdout.flush()
        elif percent // 10 > self.shown:
            self.shown = percent // 10
            self.command.stdout.write(f"  {self.label:<14} {percent:3d}% {done:,}/{self.total:,}")

    def finish(self, done):
        if self.command.verbosity < 1:
            return
        if self.tty:
            self.update(done)
        seconds = time.monotonic() - self.started
        if self.tty:
            self.command.stdout.write("")
        self.command.stdout.write(f"  {self.label:<14} {done:,} rows in {seconds:.1f} s")


class Command(BaseCommand):
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
            engagement_cache.invalidate()  # COPY sends no signals either
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

    # --- the data ----------------------------------------------------------------------

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
                    "Step-free access. Accessible toilet." if access < 0.6 else "",
                    now,
                    now,
                )

        self.out.insert(
            Location,
            [
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
                "created",
                "modified",
            ],
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
            ["uuid", "service_id", "weekday", "opens_at", "closes_at", "description"],
            schedules,
            total=len(schedules),
            label="schedules",
        )

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
                    "Step-free entrance. Accessible toilet.",
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
        fields = [
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
            "created",
            "modified",
        ]
        self.out.insert(Location, fields, location_rows)
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
