"""Demo data: two school hubs with activities and two years of engagements, three in development.

Engagements are one row per session (each row is that session's headcount). Every weekly
activity at the two open hubs runs about 4.3 times a month, so ~60 sessions a month carry
~1,500 people a month between the two hubs. The rows are generated with a fixed seed
(random.Random(2026)) for the 24 months up to today, and only for a hub that has none yet, so
running seed_demo again never duplicates them or touches sessions logged since.
"""

import datetime
import random

from django.contrib.auth.models import User
from django.utils import timezone

from core.cache import bump
from demo import partners as partners_demo
from directory.models import Area, Location
from hubs import publishing
from hubs.models import (
    AGE_BANDS,
    ENGAGEMENTS_VERSION_KEY,
    Activity,
    Engagement,
    Hub,
    HubCoordinator,
    Referral,
)
from partners.models import Organisation

ORGANISATIONS = [
    # slug, name, kind, website
    (
        # The same CVS as in partners' demo data (same slug): it leads the hubs.
        "basildon-cvs",
        "Basildon, Billericay & Wickford CVS",
        Organisation.Kind.CHARITY,
        "https://www.example.org/basildon-cvs",
    ),
    (
        "citizens-advice-basildon",
        "Citizens Advice Basildon",
        Organisation.Kind.CHARITY,
        "https://www.example.org/citizens-advice-basildon",
    ),
    ("parkplay-basildon", "ParkPlay Basildon", Organisation.Kind.COMMUNITY_GROUP, ""),
    ("pitsea-growers", "Pitsea Growers", Organisation.Kind.COMMUNITY_GROUP, ""),
    ("basildon-food-bank", "Basildon Food Bank", Organisation.Kind.CHARITY, ""),
]

OPEN_HUBS = [
    {
        "slug": "greenwood-community-hub",
        "name": "Greenwood Community Hub",
        "area": "basildon",
        "opened": datetime.date(2020, 1, 13),
        "location": {
            "name": "Greenwood Primary School",
            "address_1": "Greenwood Road",
            "town": "Basildon",
            "postcode": "SS14 1AA",
            "latitude": "51.576000",
            "longitude": "0.488000",
            "accessibility": "Step-free entrance from the car park. Accessible toilet. "
            "Hearing loop in the community room.",
        },
    },
    {
        "slug": "meadow-lane-community-hub",
        "name": "Meadow Lane Community Hub",
        "area": "pitsea",
        "opened": datetime.date(2022, 3, 7),
        "location": {
            "name": "Meadow Lane Primary School",
            "address_1": "Meadow Lane",
            "town": "Pitsea",
            "postcode": "SS13 1AA",
            "latitude": "51.565000",
            "longitude": "0.512000",
            "accessibility": "Level access through the main school gate. Accessible toilet.",
        },
    },
]

DEVELOPMENT_HUBS = [
    ("billericay-community-hub", "Billericay Community Hub", "billericay", "community_centre"),
    ("wickford-community-hub", "Wickford Community Hub", "wickford", "gp_practice"),
    ("laindon-community-hub", "Laindon Community Hub", "laindon", "business"),
]

C = Activity.Category
ACTIVITIES = [
    # name, category, weekday, start, end, run by (slug or None), typical people, description
    (
        "Coffee morning",
        C.COFFEE_MORNING,
        0,
        "09:00",
        "10:30",
        None,
        35,
        "Drop in after the school run for a free cuppa and a chat.",
    ),
    (
        "Advice session with Citizens Advice",
        C.ADVICE,
        1,
        "09:30",
        "12:00",
        "citizens-advice-basildon",
        12,
        "Free, confidential advice on money, debt, benefits, housing and work.",
    ),
    (
        "Family fitness",
        C.FITNESS,
        1,
        "15:30",
        "16:30",
        None,
        24,
        "Gentle exercise for all ages and abilities. Wear comfortable clothes.",
    ),
    (
        "Cook and eat",
        C.COOKING,
        2,
        "17:30",
        "19:00",
        "basildon-food-bank",
        18,
        "Cook a healthy meal on a budget together, then eat it.",
    ),
    (
        "Gardening club",
        C.GARDENING,
        3,
        "15:30",
        "17:00",
        "pitsea-growers",
        16,
        "Grow fruit and vegetables in the school garden. Tools and gloves provided.",
    ),
    (
        "Digital skills training",
        C.TRAINING,
        4,
        "10:00",
        "12:00",
        "basildon-cvs",
        10,
        "Get help with phones, tablets, email and online forms.",
    ),
    (
        "ParkPlay",
        C.PLAY,
        5,
        "10:00",
        "11:00",
        "parkplay-basildon",
        55,
        "Free, fun games in the park for all the family, every Saturday.",
    ),
]

DEMO_MONTHS = 24


def seed(command):
    orgs = {}
    for slug, name, kind, website in ORGANISATIONS:
        orgs[slug], _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "website": website}
        )
    areas = {a.slug: a for a in Area.objects.all()}
    today = timezone.localdate()

    open_hubs = []
    for spec in OPEN_HUBS:
        location, _ = Location.objects.update_or_create(
            name=spec["location"]["name"],
            postcode=spec["location"]["postcode"],
            defaults={**spec["location"], "area": areas[spec["area"]]},
        )
        hub, _ = Hub.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "venue_kind": Hub.VenueKind.SCHOOL,
                "location": location,
                "area": areas[spec["area"]],
                "lead_partner": orgs["basildon-cvs"],
                "opened": spec["opened"],
                "status": Hub.Status.OPEN,
                "focus_areas": "Loneliness and isolation\nHealthy lifestyles\n"
                "Money and debt advice\nChildren and families",
                "opening_times": "Monday to Friday, 8:30am to 5pm in term time\n"
                "Saturday, 10am to 11am (ParkPlay)",
                "description": f"{spec['name']} is a friendly space at "
                f"{location.name}, open to everyone in the neighbourhood, not just school "
                "families. Drop in for a coffee, get free advice, or join an activity.",
                "how_to_get_involved": "Come along to any session: you do not need to book. "
                "If you would like to run an activity or help out, speak to the hub "
                "coordinator or email us.",
                "email": f"{spec['slug']}@example.org",
            },
        )
        open_hubs.append(hub)
        for name, category, weekday, start, end, run_by, _, description in ACTIVITIES:
            Activity.objects.update_or_create(
                hub=hub,
                name=name,
                defaults={
                    "category": category,
                    "weekday": weekday,
                    "start_time": start,
                    "end_time": end,
                    "run_by": orgs[run_by] if run_by else None,
                    "description": description,
                    "is_active": True,
                },
            )

    for slug, name, area, venue in DEVELOPMENT_HUBS:
        Hub.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "venue_kind": venue,
                "area": areas[area],
                "status": Hub.Status.IN_DEVELOPMENT,
                "description": f"A new community hub for {areas[area].name}, being planned "
                "with local residents and partners.",
            },
        )

    coordinator = User.objects.filter(username="coordinator").first()
    if coordinator:
        HubCoordinator.objects.get_or_create(user=coordinator, hub=open_hubs[0])

    rng = random.Random(2026)  # noqa: S311 - demo figures, not security
    for hub in open_hubs:
        if not Engagement.objects.filter(hub=hub).exists():
            _create_engagements(hub, today, rng, orgs)
        publishing.publish_hub(hub=hub)  # their activities, listed in the directory
    # The lead partner's KPI measured from these sessions: its past returns, as confirmed.
    partners_demo.seed_linked_returns(today)


def _create_engagements(hub, today, rng, orgs):
    """Weekly sessions of every activity over the last DEMO_MONTHS months, up to today."""
    activities = {a.name: a for a in hub.activities.all()}
    start = max(hub.opened, _months_back(today, DEMO_MONTHS))
    engagements, referral_plan = [], []
    for name, category, weekday, *_, typical, _desc in ACTIVITIES:
        activity = activities[name]
        day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
        while day <= today:
            people = max(1, round(rng.gauss(typical, typical * 0.25)))
            new = rng.randint(0, max(1, people // 5))
            bands = _age_bands(category, people, rng)
            present = activity.run_by or (orgs["basildon-cvs"] if rng.random() < 0.3 else None)
            engagements.append(
                Engagement(
                    hub=hub,
                    activity=activity,
                    date=day,
                    people=people,
                    new_people=new,
                    partner_present=present,
                    **bands,
                )
            )
            referral_plan.append(_referrals(category, people, rng, orgs))
            day += datetime.timedelta(days=7)
    created = Engagement.objects.bulk_create(engagements)  # no signals: tell the cache
    bump(ENGAGEMENTS_VERSION_KEY)
    Referral.objects.bulk_create(
        Referral(
            engagement=engagement,
            hub=engagement.hub,
            date=engagement.date,
            organisation=org,
            count=count,
        )
        for engagement, plan in zip(created, referral_plan, strict=True)
        for org, count in plan
    )


def _months_back(today, months):
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return datetime.date(year, month + 1, 1)


# Rough age mix per kind of session: weights for the six bands, in AGE_BANDS order.
AGE_MIX = {
    Activity.Category.PLAY: (3, 6, 1, 1, 4, 1),
    Activity.Category.FITNESS: (1, 4, 2, 1, 4, 1),
    Activity.Category.COFFEE_MORNING: (2, 0, 0, 1, 5, 3),
}
DEFAULT_MIX = (0, 0, 1, 2, 6, 3)


def _age_bands(category, people, rng):
    # Age bands are recorded for most sessions, and cover most (not all) of the people.
    if rng.random() < 0.2:
        return {}
    weights = AGE_MIX.get(category, DEFAULT_MIX)
    recorded = people - rng.randint(0, max(0, people // 10))
    counts = [0] * len(weights)
    for index in rng.choices(range(len(weights)), weights=weights, k=recorded):
        counts[index] += 1
    return {name: count for (name, _), count in zip(AGE_BANDS, counts, strict=True)}


def _referrals(category, people, rng, orgs):
    if category == Activity.Category.ADVICE:
        return [(orgs["basildon-food-bank"], rng.randint(1, max(1, people // 4)))]
    if rng.random() < 0.15:
        return [(orgs["citizens-advice-basildon"], rng.randint(1, min(3, people)))]
    return []
