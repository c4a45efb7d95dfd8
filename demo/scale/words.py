"""The words the generated data is made of: towns, streets, organisations, themes."""

from hubs.models import Activity
from partners.models import Organisation


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
