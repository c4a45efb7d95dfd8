"""Demo data for the directory: five towns, categories, places and services residents look for."""

import datetime
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone
from django.utils.text import slugify

from directory.models import (
    Area,
    Location,
    Schedule,
    SearchSynonym,
    Service,
    ServiceLanguage,
    TaxonomyTerm,
)
from directory.services import save_synonym
from partners.models import Organisation

TOWNS = ["Basildon", "Billericay", "Wickford", "Laindon", "Pitsea"]
SAMPLE_POSTCODES = Path(__file__).resolve().parent / "data" / "sample_postcodes.csv"

# (name, description, children)
CATEGORIES = [
    (
        "Food",
        "Food banks, affordable food and shared meals",
        ["Food banks", "Community supermarkets", "Community meals"],
    ),
    ("Money and debt", "Help with benefits, bills and debt", ["Benefits advice", "Debt advice"]),
    ("Mental health", "Support for wellbeing and mental health", []),
    (
        "Loneliness and social contact",
        "Meet people and feel part of your community",
        ["Coffee mornings", "Warm spaces"],
    ),
    ("Physical activity", "Get active, at any age and ability", []),
    (
        "Children and families",
        "Play, holiday activities and family support",
        ["Holiday activities"],
    ),
    ("Young people", "Youth clubs, sessions and support for 11 to 25 year olds", []),
    ("Older people", "Activities and support for older residents", []),
    ("Digital skills", "Help getting online and using devices", []),
    ("Employment", "Help finding work, training and volunteering", []),
]

ORGANISATIONS = [
    # slug, name, kind, website
    ("basildon-district-foodbank", "Basildon District Foodbank", "charity"),
    ("pitsea-community-supermarket", "Pitsea Community Supermarket CIC", "cic"),
    ("basildon-advice-centre", "Basildon Advice Centre", "charity"),
    ("basildon-parkplay", "Basildon ParkPlay", "community_group"),
    ("wickford-youth-trust", "Wickford Youth Trust", "cio"),
    ("billericay-good-neighbours", "Billericay Good Neighbours", "community_group"),
    ("laindon-community-association", "Laindon Community Association", "charity"),
    ("basildon-borough-council", "Basildon Borough Council", "public_body"),
]

LOCATIONS = {
    # key: (name, address_1, town, postcode, accessibility)
    "eastgate": (
        "Eastgate Centre Community Room",
        "Southernhay",
        "Basildon",
        "SS14 1DL",
        "Step-free access from the car park. Accessible toilet. Hearing loop.",
    ),
    "fryerns": (
        "Fryerns Community Centre",
        "Whitmore Way",
        "Basildon",
        "SS14 2AA",
        "Level access. Accessible toilet.",
    ),
    "vange": ("Vange Methodist Church Hall", "London Road", "Basildon", "SS16 4HE", ""),
    "gloucester-park": (
        "Gloucester Park",
        "Broadmayne",
        "Basildon",
        "SS14 1JU",
        "Flat paths; accessible toilets at the leisure centre.",
    ),
    "laindon-hub": (
        "Laindon Community Hub",
        "High Road",
        "Laindon",
        "SS15 6AD",
        "Step-free throughout. Parking at the rear.",
    ),
    "laindon-library": ("Laindon Library", "New Century Road", "Laindon", "SS15 6EJ", ""),
    "pitsea-centre": (
        "Pitsea Community Supermarket",
        "Rectory Road",
        "Pitsea",
        "SS13 1AQ",
        "Ramp at the entrance. Seating available.",
    ),
    "pitsea-school": ("Pitsea Primary School", "Rectory Park Drive", "Pitsea", "SS13 3DW", ""),
    "wickford-youth": (
        "Wickford Youth Centre",
        "Market Road",
        "Wickford",
        "SS12 9AA",
        "Ground floor with step-free access.",
    ),
    "wickford-memorial": (
        "Wickford Memorial Park",
        "Runwell Road",
        "Wickford",
        "SS12 0AN",
        "",
    ),
    "billericay-hall": (
        "Emmanuel Church Hall",
        "Laindon Road",
        "Billericay",
        "CM12 9AB",
        "Level access from the side door. Hearing loop.",
    ),
    "billericay-library": ("Billericay Library", "Western Road", "Billericay", "CM12 9HG", ""),
}

T = datetime.time
# (organisation slug, name, description, keywords, categories, locations, schedules,
#  cost, access, ages, reviewed days ago)
SERVICES = [
    (
        "basildon-district-foodbank",
        "Basildon food bank",
        "Emergency food parcels for people in crisis. Bring a food bank voucher from an "
        "advice agency, GP or school; we can also help you get one when you arrive.",
        "foodbank food parcels hungry",
        ["food-banks"],
        ["eastgate"],
        [(2, T(10), T(13)), (5, T(10), T(13))],
        "free",
        "referral",
        (None, None),
        30,
    ),
    (
        "basildon-district-foodbank",
        "Laindon food bank",
        "Food parcels and toiletries, with a warm drink and a chat while you wait.",
        "foodbank food parcels",
        ["food-banks"],
        ["laindon-hub"],
        [(2, T(13), T(15))],
        "free",
        "drop_in",
        (None, None),
        60,
    ),
    (
        "basildon-district-foodbank",
        "Billericay food bank",
        "Food parcels for local people in need. Drop in on Thursday mornings.",
        "foodbank",
        ["food-banks"],
        ["billericay-hall"],
        [(4, T(9, 30), T(11, 30))],
        "free",
        "drop_in",
        (None, None),
        400,
    ),
    (
        "pitsea-community-supermarket",
        "Pitsea community supermarket",
        "Members pay a small weekly fee and choose around £20 of food and household "
        "essentials. Open to anyone on a low income living in the borough.",
        "pantry affordable food membership",
        ["community-supermarkets"],
        ["pitsea-centre"],
        [(2, T(10), T(14)), (3, T(10), T(14)), (6, T(10), T(12))],
        "paid",
        "drop_in",
        (18, None),
        10,
    ),
    (
        "laindon-community-association",
        "Community lunch club",
        "A hot two-course lunch and good company. Everyone welcome; pay what you can.",
        "meal dinner lunch",
        ["community-meals", "older-people"],
        ["laindon-hub"],
        [(3, T(12), T(14))],
        "donation",
        "drop_in",
        (None, None),
        90,
    ),
    (
        "basildon-advice-centre",
        "Debt and money advice",
        "Free, confidential advice on debt, bills, benefits and budgeting from trained "
        "advisers. Book an appointment or come to a drop-in session.",
        "money bills budgeting universal credit",
        ["debt-advice", "benefits-advice"],
        ["fryerns", "laindon-library"],
        [(1, T(9, 30), T(12, 30)), (2, T(9, 30), T(12, 30)), (4, T(13), T(16))],
        "free",
        "drop_in",
        (18, None),
        45,
    ),
    (
        "basildon-advice-centre",
        "Benefits check surgery",
        "Find out if you are getting everything you are entitled to. Bring recent letters "
        "and bank statements.",
        "universal credit pension credit entitlement",
        ["benefits-advice"],
        ["billericay-library"],
        [(5, T(10), T(12))],
        "free",
        "booking",
        (18, None),
        120,
    ),
    (
        "basildon-parkplay",
        "ParkPlay Gloucester Park",
        "Free, fun outdoor play for all the family every Saturday morning. Games, "
        "activities and a chance to meet neighbours. Just turn up.",
        "parkplay play outdoor games families",
        ["children-and-families", "physical-activity"],
        ["gloucester-park"],
        [(6, T(10), T(11))],
        "free",
        "drop_in",
        (None, None),
        20,
    ),
    (
        "basildon-parkplay",
        "ParkPlay Wickford Memorial Park",
        "Free outdoor play for children and grown-ups together every Saturday morning.",
        "parkplay play outdoor",
        ["children-and-families", "physical-activity"],
        ["wickford-memorial"],
        [(6, T(10), T(11))],
        "free",
        "drop_in",
        (None, None),
        20,
    ),
    (
        "laindon-community-association",
        "Little ones stay and play",
        "Play, songs and stories for babies and children under 5 with their parents and "
        "carers. Tea and coffee for the grown-ups.",
        "stay play under fives parents carers",
        ["children-and-families"],
        ["laindon-hub"],
        [(3, T(9, 30), T(11, 30))],
        "donation",
        "drop_in",
        (0, 5),
        40,
    ),
    (
        "wickford-youth-trust",
        "Youth club",
        "Games, music, sport and someone to talk to, run by qualified youth workers.",
        "youth club teenagers",
        ["young-people"],
        ["wickford-youth"],
        [(2, T(18), T(20, 30)), (4, T(18), T(20, 30))],
        "free",
        "drop_in",
        (11, 18),
        75,
    ),
    (
        "wickford-youth-trust",
        "Youth mentoring",
        "One-to-one support from a trained mentor for young people finding things hard.",
        "mentor support",
        ["young-people", "mental-health"],
        ["wickford-youth"],
        [(3, T(16), T(18))],
        "free",
        "referral",
        (11, 25),
        200,
    ),
    (
        "basildon-borough-council",
        "Holiday activities and food (HAF)",
        "Free holiday clubs with activities and a healthy meal for children who get "
        "benefits-related free school meals, in the Easter, summer and Christmas holidays.",
        "HAF holiday club school holidays free school meals",
        ["holiday-activities", "community-meals"],
        ["pitsea-school", "fryerns"],
        [(None, None, None, "School holidays, weekdays 10am to 2pm")],
        "free",
        "booking",
        (5, 16),
        100,
    ),
    (
        "basildon-borough-council",
        "Warm space at Laindon Library",
        "A warm, welcoming place to spend time, with free hot drinks, Wi-Fi and "
        "phone charging. No need to book or explain why you are here.",
        "warm hub heating cost of living",
        ["warm-spaces"],
        ["laindon-library"],
        [(1, T(10), T(16)), (3, T(10), T(16)), (5, T(10), T(16))],
        "free",
        "drop_in",
        (None, None),
        15,
    ),
    (
        "billericay-good-neighbours",
        "Coffee morning",
        "A friendly coffee morning for anyone who would like some company. Cake, "
        "conversation and a monthly quiz.",
        "coffee tea chat company lonely",
        ["coffee-mornings", "older-people"],
        ["billericay-hall"],
        [(2, T(10), T(12))],
        "donation",
        "drop_in",
        (None, None),
        50,
    ),
    (
        "billericay-good-neighbours",
        "Befriending phone calls",
        "A regular friendly phone call from a volunteer for people who live alone.",
        "lonely isolated befriending telephone",
        ["loneliness-and-social-contact", "older-people"],
        [],
        [(None, None, None, "Weekly, at a time that suits you")],
        "free",
        "referral",
        (60, None),
        500,
    ),
    (
        "laindon-community-association",
        "Coffee and chat",
        "Drop in for a cuppa and a chat at the hub. Knit and natter on the first "
        "Tuesday of the month.",
        "coffee tea chat knitting",
        ["coffee-mornings"],
        ["laindon-hub"],
        [(2, T(10), T(12))],
        "free",
        "drop_in",
        (None, None),
        25,
    ),
    (
        "laindon-community-association",
        "Get online: digital help sessions",
        "Bring your phone, tablet or laptop and get friendly help with email, video calls, "
        "online forms and staying safe online.",
        "computer internet tablet smartphone",
        ["digital-skills", "older-people"],
        ["laindon-library", "vange"],
        [(4, T(10), T(12))],
        "free",
        "drop_in",
        (None, None),
        35,
    ),
    (
        "basildon-advice-centre",
        "Job club",
        "Help with CVs, job applications and interview practice.",
        "jobs work cv interview",
        ["employment"],
        ["fryerns"],
        [(3, T(13), T(15))],
        "free",
        "drop_in",
        (16, None),
        65,
    ),
    (
        "pitsea-community-supermarket",
        "Walk and talk",
        "A gentle one-hour walk from the supermarket for anyone wanting fresh air and "
        "company. Good for wellbeing.",
        "walking walk health wellbeing",
        ["physical-activity", "mental-health"],
        ["pitsea-centre"],
        [(1, T(11), T(12))],
        "free",
        "drop_in",
        (None, None),
        40,
    ),
    (
        "wickford-youth-trust",
        "Wickford food share",
        "Surplus food from local shops, free to anyone. Bring a bag.",
        "food surplus free food",
        ["food"],
        ["wickford-youth"],
        [(5, T(15), T(16, 30))],
        "free",
        "drop_in",
        (None, None),
        12,
    ),
]


# Structured accessibility features of the demo places (the notes above say the same).
FEATURES = {
    "step_free_access": {"eastgate", "fryerns", "gloucester-park", "laindon-hub"},
    "accessible_toilet": {"eastgate", "fryerns", "gloucester-park"},
    "hearing_loop": {"eastgate"},
    "parking": {"eastgate", "laindon-hub"},
}
Lang = ServiceLanguage.Language
# Languages some demo services are delivered in (every other one is in English).
LANGUAGES = {
    "Basildon food bank": [Lang.ENGLISH, Lang.POLISH, Lang.ROMANIAN],
    "Debt and money advice": [Lang.ENGLISH, Lang.BRITISH_SIGN_LANGUAGE, Lang.URDU],
    "Benefits check surgery": [Lang.ENGLISH, Lang.BRITISH_SIGN_LANGUAGE],
    "Community lunch club": [Lang.ENGLISH],
    "Little ones stay and play": [Lang.ENGLISH, Lang.UKRAINIAN],
}


def seed(command):
    towns = {}
    for name in TOWNS:
        towns[name], _ = Area.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "kind": Area.Kind.TOWN}
        )
    call_command("import_postcodes", str(SAMPLE_POSTCODES), verbosity=0)
    call_command("load_bank_holidays", verbosity=0)
    terms = _seed_categories()
    _seed_synonyms()
    organisations = _seed_organisations(towns)
    locations = {}
    for key, (name, address_1, town, postcode, accessibility) in LOCATIONS.items():
        location = Location.objects.filter(name=name, postcode=postcode).first() or Location(
            name=name, postcode=postcode
        )
        location.address_1, location.town, location.accessibility = address_1, town, accessibility
        for field in FEATURES:
            setattr(location, field, key in FEATURES[field])
        location.area = towns[town]
        location.latitude = location.longitude = None  # refilled from the postcode
        location.full_clean()
        location.save()
        locations[key] = location
    today = timezone.localdate()
    for number, row in enumerate(SERVICES, start=100):
        org, name, description, keywords, cats, places, times, cost, access, ages, ago = row
        service, _ = Service.objects.update_or_create(
            organisation=organisations[org],
            name=name,
            defaults={
                "description": description,
                "keywords": keywords,
                "cost": cost,
                "access": access,
                "minimum_age": ages[0],
                "maximum_age": ages[1],
                "status": Service.Status.ACTIVE,
                "publication": Service.Publication.PUBLISHED,
                "last_reviewed": today - datetime.timedelta(days=ago),
                "email": f"hello@{org}.example.org",
                # Ofcom's range for drama (01632 960000 to 960999): never a real line.
                "phone": f"01632 960{number:03d}",
                "url": f"https://{org}.example.org/",
                "fees_description": "£3.50 a week membership" if cost == "paid" else "",
            },
        )
        service.categories.set([terms[c] for c in cats])
        service.locations.set([locations[p] for p in places])
        service.languages.all().delete()
        for language in LANGUAGES.get(name, ()):
            ServiceLanguage.objects.create(service=service, language=language)
        service.schedules.all().delete()
        for entry in times:
            weekday, opens, closes, *description = entry
            Schedule.objects.create(
                service=service,
                location=locations[places[0]] if places and weekday else None,
                weekday=weekday,
                opens_at=opens,
                closes_at=closes,
                description=description[0] if description else "",
                # Every other service closes on bank holidays, so "Open now" shows the rule.
                closed_on_bank_holidays=number % 2 == 0,
            )


# Words residents search for that listings don't use (officers keep these in the admin).
SYNONYMS = [
    ("toddler", "stay and play"),
    ("baby", "stay and play"),
    ("bills", "money advice"),
    ("lonely", "lunch club"),
]


def _seed_synonyms():
    for term, search_for in SYNONYMS:
        synonym = SearchSynonym.objects.filter(term=term).first() or SearchSynonym(term=term)
        synonym.search_for = search_for
        save_synonym(synonym=synonym)


def _seed_categories():
    terms = {}
    for name, description, children in CATEGORIES:
        parent, _ = TaxonomyTerm.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
        terms[parent.slug] = parent
        for child in children:
            term, _ = TaxonomyTerm.objects.update_or_create(
                slug=slugify(child), defaults={"name": child, "parent": parent}
            )
            terms[term.slug] = term
    return terms


def _seed_organisations(towns):
    organisations = {}
    for slug, name, kind in ORGANISATIONS:
        # get_or_create: the partners demo may already have made this organisation.
        org, _ = Organisation.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "website": f"https://{slug}.example.org/",
                "description": f"{name} works with residents across the borough.",
            },
        )
        organisations[slug] = org
    for slug in organisations:
        if slug.startswith(("pitsea", "wickford", "billericay", "laindon")):
            town = slug.split("-")[0].capitalize()
            organisations[slug].areas_served.set([towns[town]])
        else:
            organisations[slug].areas_served.set(towns.values())
    return organisations
