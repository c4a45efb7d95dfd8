"""Demo data: roles across the hubs and partners, interests in every pipeline state (some
overdue, amber and red), hours both logged and confirmed, and one general offer of help.

Idempotent: roles and interests are matched by title/organisation and fixed references; an
interest's pipeline history and hours are created once, with dates relative to today. The
people are fictional (example.com addresses, Ofcom's 07700 900xxx drama numbers).
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from directory.models import Area
from hubs.models import Hub
from partners.models import Organisation
from volunteering.models import Interest, InterestEvent, Role, Skill, VolunteerHours

SKILLS = [
    "Befriending and listening",
    "Cooking and food hygiene",
    "Customer service",
    "Driving",
    "Event stewarding",
    "Gardening",
    "Lifting and carrying",
    "Working with children and young people",
    "Admin and IT",
]

ORGANISATIONS = {
    # slug: (name, kind) if the partners and hubs demos have not made it already
    "basildon-cvs": ("Basildon, Billericay & Wickford CVS", Organisation.Kind.CHARITY),
    "basildon-food-bank": ("Basildon Food Bank", Organisation.Kind.CHARITY),
    "basildon-youth-service": ("Basildon Youth Service", Organisation.Kind.PUBLIC_BODY),
    "pitsea-growers": ("Pitsea Growers", Organisation.Kind.COMMUNITY_GROUP),
    "basildon-community-transport": ("Basildon Community Transport", Organisation.Kind.CIO),
    "basildon-twinning-association": (
        "Basildon Twinning Association",
        Organisation.Kind.COMMUNITY_GROUP,
    ),
}

C = Role.Commitment
# key: title, organisation, hub, area, remote, commitment, hours/week, when, skills, min age,
# DBS, closing in days (None: open-ended; negative: closed already), status, summary
ROLES = {
    "phone-befriender": (
        "Telephone befriender",
        "basildon-cvs",
        None,
        None,
        True,
        C.REGULAR,
        "1",
        "An hour a week, at a time that suits you both",
        ["Befriending and listening"],
        18,
        True,
        None,
        Role.Status.OPEN,
        "Call an older person who lives alone for a friendly chat each week, from home.",
    ),
    "home-befriender": (
        "Befriender: home visits",
        "basildon-cvs",
        None,
        "wickford",
        False,
        C.REGULAR,
        "2",
        "A weekday visit, times to suit you",
        ["Befriending and listening"],
        18,
        True,
        None,
        Role.Status.OPEN,
        "Visit an older neighbour in Wickford for a cup of tea and a chat.",
    ),
    "food-bank-shift": (
        "Food bank shift volunteer",
        "basildon-food-bank",
        "greenwood-community-hub",
        "basildon",
        False,
        C.FLEXIBLE,
        None,
        "Weekday mornings, 9am to midday: sign up for the shifts you can do",
        ["Lifting and carrying", "Customer service"],
        16,
        False,
        None,
        Role.Status.OPEN,
        "Sort donations and welcome visitors at the food bank. Do as many shifts as you like.",
    ),
    "coffee-host-greenwood": (
        "Coffee morning host",
        "basildon-cvs",
        "greenwood-community-hub",
        "basildon",
        False,
        C.REGULAR,
        "1.5",
        "Mondays, 9am to 10:30am in term time",
        ["Befriending and listening", "Customer service"],
        16,
        False,
        None,
        Role.Status.OPEN,
        "Put the kettle on and make everyone welcome at the hub's coffee morning.",
    ),
    "coffee-host-meadow-lane": (
        "Coffee morning host",
        "basildon-cvs",
        "meadow-lane-community-hub",
        "pitsea",
        False,
        C.FLEXIBLE,
        None,
        "Monday mornings, whenever you can make it",
        ["Befriending and listening"],
        16,
        False,
        None,
        Role.Status.OPEN,
        "Help host a friendly coffee morning at Meadow Lane, as often as suits you.",
    ),
    "youth-helper": (
        "Youth session helper",
        "basildon-youth-service",
        None,
        "laindon",
        False,
        C.REGULAR,
        "2",
        "Wednesday evenings, 6pm to 8pm",
        ["Working with children and young people"],
        18,
        True,
        60,
        Role.Status.OPEN,
        "Help run games, sports and chats at Laindon youth club.",
    ),
    "community-supermarket": (
        "Community supermarket assistant",
        "basildon-food-bank",
        "meadow-lane-community-hub",
        "pitsea",
        False,
        C.FLEXIBLE,
        None,
        "Thursdays and Fridays, 10am to 2pm",
        ["Customer service", "Lifting and carrying"],
        16,
        False,
        None,
        Role.Status.OPEN,
        "Stock shelves and help members at the low-cost community supermarket.",
    ),
    "festival-steward": (
        "Event steward: Basildon community festival",
        "basildon-cvs",
        None,
        "basildon",
        False,
        C.ONE_OFF,
        None,
        "One Saturday in the summer, 10am to 4pm",
        ["Event stewarding"],
        16,
        False,
        45,
        Role.Status.OPEN,
        "Welcome visitors, give directions and keep everyone safe for one fun day.",
    ),
    "gardening-helper": (
        "Gardening club helper",
        "pitsea-growers",
        "meadow-lane-community-hub",
        "pitsea",
        False,
        C.FLEXIBLE,
        None,
        "Thursday afternoons after school",
        ["Gardening"],
        14,
        False,
        None,
        Role.Status.OPEN,
        "Grow vegetables with families in the school garden. Young people welcome.",
    ),
    "volunteer-driver": (
        "Volunteer driver",
        "basildon-community-transport",
        None,
        "pitsea",
        False,
        C.REGULAR,
        "4",
        "One or two mornings a week",
        ["Driving"],
        21,
        True,
        None,
        Role.Status.OPEN,
        "Drive older and disabled residents to appointments in our accessible cars.",
    ),
    "market-steward": (
        "Christmas market steward",
        "basildon-twinning-association",
        None,
        "billericay",
        False,
        C.ONE_OFF,
        None,
        "Last December",
        ["Event stewarding"],
        16,
        False,
        -30,
        Role.Status.CLOSED,
        "Steward the twinning association's Christmas market.",
    ),
}

S = Interest.Status
# reference suffix, role key (None: general), name, status, days in stage, days since created,
# weeks of hours (placed only)
INTERESTS = [
    ("AAA", "food-bank-shift", "Alex Morgan", S.NEW, 1, 1, 0),
    ("AAB", "coffee-host-greenwood", "Priya Shah", S.NEW, 9, 9, 0),
    ("AAC", "phone-befriender", "Jordan Ellis", S.NEW, 20, 20, 0),
    ("AAD", "community-supermarket", "Sam Okoye", S.CONTACTED, 3, 8, 0),
    ("AAE", "youth-helper", "Chris Walker", S.CONTACTED, 18, 25, 0),
    ("AAF", "food-bank-shift", "Ruth Adeyemi", S.PLACED, 84, 95, 12),
    ("AAG", "coffee-host-greenwood", "Dev Patel", S.PLACED, 150, 160, 20),
    ("AAH", "gardening-helper", "Maya Green", S.PLACED, 40, 50, 5),
    ("AAJ", "volunteer-driver", "Pat Lewis", S.NOT_PROGRESSED, 30, 45, 0),
    ("AAK", "home-befriender", "Lee Turner", S.NOT_PROGRESSED, 420, 440, 0),
    (
        "AAL",
        None,
        "Morgan Hughes",
        S.NEW,
        2,
        2,
        0,
    ),
]


def seed(command):
    today = timezone.localdate()
    skills = {}
    for name in SKILLS:
        skills[name], _ = Skill.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    organisations = {}
    for slug, (name, kind) in ORGANISATIONS.items():
        organisations[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
    hubs = {h.slug: h for h in Hub.objects.all()}
    areas = {a.slug: a for a in Area.objects.all()}

    roles = {}
    for key, spec in ROLES.items():
        (
            title,
            org,
            hub,
            area,
            remote,
            commitment,
            hours,
            when,
            role_skills,
            min_age,
            dbs,
            closing,
            status,
            summary,
        ) = spec
        role, _ = Role.objects.update_or_create(
            title=title,
            organisation=organisations[org],
            hub=hubs.get(hub),
            defaults={
                "area": areas.get(area),
                "is_remote": remote,
                "commitment": commitment,
                "hours_per_week": Decimal(hours) if hours else None,
                "when": when,
                "minimum_age": min_age,
                "dbs_check_needed": dbs,
                "closing_date": today + datetime.timedelta(days=closing) if closing else None,
                "status": status,
                "summary": summary,
                "description": f"{summary}\n\nYou will get a friendly welcome, training and "
                "support, and your expenses paid. Tell us if you need any adjustments: we "
                "will do our best to make the role work for you.",
                "accessibility": "Tell us what you need and we will talk through adjustments."
                if not remote
                else "Done from home by phone: no travel needed.",
            },
        )
        role.skills.set([skills[name] for name in role_skills])
        roles[key] = role

    now = timezone.now()
    for suffix, role_key, name, status, in_stage, age, weeks in INTERESTS:
        _seed_interest(
            now,
            today,
            roles.get(role_key),
            skills,
            areas,
            suffix,
            name,
            status,
            in_stage,
            age,
            weeks,
        )


def _seed_interest(now, today, role, skills, areas, suffix, name, status, in_stage, age, weeks):
    reference = f"VOL-DEM{suffix}"
    created = now - datetime.timedelta(days=age)
    changed = now - datetime.timedelta(days=in_stage)
    first = name.split()[0].lower()
    interest, made = Interest.objects.get_or_create(
        reference=reference,
        defaults={
            "role": role,
            "name": name,
            "email": f"{first}.{name.split()[1].lower()}@example.com",
            "phone": f"07700900{len(first) * 7 + ord(suffix[-1]) % 100:03d}",
            "message": "I would love to help. I am free most weekday mornings."
            if role
            else "I have just retired and would like to meet people and be useful.",
            "availability": [] if role else ["weekday_daytime", "one_off_events"],
            "status": status,
            "status_changed_at": changed,
            "consent_at": created,
            "created": created,
            "last_activity_at": changed,
        },
    )
    if not made:
        return
    if role is None:
        interest.skills.set([skills["Gardening"], skills["Event stewarding"]])
        interest.areas.set([a for slug, a in areas.items() if slug in ("basildon", "laindon")])
    path = {
        Interest.Status.NEW: [],
        Interest.Status.CONTACTED: [Interest.Status.CONTACTED],
        Interest.Status.PLACED: [Interest.Status.CONTACTED, Interest.Status.PLACED],
        Interest.Status.NOT_PROGRESSED: [
            Interest.Status.CONTACTED,
            Interest.Status.NOT_PROGRESSED,
        ],
    }[status]
    InterestEvent.objects.create(interest=interest, to_status=Interest.Status.NEW, at=created)
    previous = Interest.Status.NEW
    for step, to_status in enumerate(path, start=1):
        at = changed if step == len(path) else created + (changed - created) / 2
        InterestEvent.objects.create(
            interest=interest, from_status=previous, to_status=to_status, at=at
        )
        previous = to_status
    last = None
    for week in range(weeks):
        day = today - datetime.timedelta(days=7 * week + 2)
        logged = Decimal("2.5") if week % 3 else Decimal("3")
        # The last fortnight's hours are logged but not yet confirmed by the organisation.
        confirmed = None if week < 2 else logged
        VolunteerHours.objects.create(
            interest=interest,
            date=day,
            hours=logged,
            confirmed_hours=confirmed,
            confirmed_at=now if confirmed else None,
        )
        last = last or day
    if last:
        Interest.objects.filter(pk=interest.pk).update(
            last_activity_at=timezone.make_aware(datetime.datetime.combine(last, datetime.time(12)))
        )
