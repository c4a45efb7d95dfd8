"""Demo data for partners: staff logins, policy outcomes, VCS partners, their agreements with
two years of quarterly KPI returns (some red or amber, one overdue) and grants.

Dates are relative to today so the demo always has recent returns; values are fixed.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group, User
from django.utils import timezone

from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from partners import measures
from partners.models import (
    Agreement,
    Contact,
    Grant,
    Kpi,
    KpiReturn,
    Objective,
    Organisation,
    PartnerMembership,
    PolicyOutcome,
)
from partners.performance import Direction, Measure, Quarter, due_quarters

DEMO_USERS = [
    # role label, username, password, group, names
    ("Council officer", "officer", "demo-officer-2026", OFFICER, ("Olivia", "Officer")),
    (
        "Hub coordinator",
        "coordinator",
        "demo-coordinator-2026",
        COORDINATOR,
        ("Callum", "Coordinator"),
    ),
    (
        "Partner contact (Basildon CVS)",
        "partner",
        "demo-partner-2026",
        PARTNER_CONTACT,
        ("Priya", "Partner"),
    ),
]

OUTCOMES = [
    # focus area, outcome, description
    (
        "Connected Neighbourhoods",
        "Residents are connected to each other and to where they live",
        "Fewer people are lonely or isolated; neighbours know and help each other.",
    ),
    (
        "Connected Neighbourhoods",
        "Residents know what help exists and can reach it",
        "People find services, groups and activities near them, online or at a hub.",
    ),
    (
        "Connected Council",
        "Council services are joined up around residents",
        "Residents are referred between council teams and partners without repeating their story.",
    ),
    (
        "Connected Partnerships",
        "A strong, sustainable voluntary and community sector",
        "VCS partners are resilient, work together and share what they learn.",
    ),
]

# slug, name, kind, charity number, company number, town, description
ORGANISATIONS = [
    (
        "basildon-cvs",
        "Basildon, Billericay & Wickford CVS",
        Organisation.Kind.CHARITY,
        "1091235",
        "04296563",
        "Basildon",
        "The local council for voluntary service (Basildon CVS): support, training and "
        "volunteer brokerage for community groups.",
    ),
    (
        "citizens-advice-basildon",
        "Citizens Advice Basildon",
        Organisation.Kind.CHARITY,
        "1070589",
        "03599612",
        "Basildon",
        "Free, independent advice on money, debt, benefits, housing and work.",
    ),
    (
        "basildon-community-transport",
        "Basildon Community Transport",
        Organisation.Kind.CIO,
        "1162345",
        "",
        "Pitsea",
        "Door-to-door minibus and car scheme for people who cannot use public transport.",
    ),
    (
        "basildon-twinning-association",
        "Basildon Twinning Association",
        Organisation.Kind.COMMUNITY_GROUP,
        "",
        "",
        "Billericay",
        "Friendship links and exchange visits with the borough's twin town.",
    ),
    (
        "basildon-youth-service",
        "Basildon Youth Service",
        Organisation.Kind.PUBLIC_BODY,
        "",
        "",
        "Laindon",
        "Youth clubs, detached youth work and the young people's forum.",
    ),
]

CONTACTS = {
    "basildon-cvs": ("Sam Patel", "Chief Executive"),
    "citizens-advice-basildon": ("Grace Okafor", "Advice Services Manager"),
    "basildon-community-transport": ("Tom Hughes", "Transport Coordinator"),
    "basildon-twinning-association": ("Marie Dubois", "Secretary"),
    "basildon-youth-service": ("Jade Wilson", "Youth Work Lead"),
}

# Multipliers of target over eight quarters (oldest first): some amber and red quarters.
PATTERNS = [
    ["1.05", "0.95", "1.10", "0.80", "1.00", "0.92", "1.20", "0.70"],
    ["1.00", "1.02", "0.88", "0.95", "1.15", "1.00", "0.60", "0.93"],
    ["0.90", "1.10", "1.05", "1.00", "0.78", "1.08", "1.00", "1.12"],
]

# About what the two demo hubs' weekly sessions bring in a quarter.
TARGET_HUB_PEOPLE = "4400"

# slug -> agreement (reference suffix, title, kind, annual value, outcome indexes, KPIs)
# KPI: (name, unit, target, direction[, measure the system records it from])
AGREEMENTS = {
    "basildon-cvs": (
        "001",
        "Infrastructure support for the voluntary and community sector",
        Agreement.Kind.SLA,
        "85000.00",
        [3, 1],
        [
            ("Groups given one-to-one support", "groups", "40", Direction.HIGHER),
            ("New volunteers placed", "people", "60", Direction.HIGHER),
            # Measured from the hubs' engagement logs: the CVS leads both open hubs.
            (
                "People at sessions at the hubs it leads",
                "people",
                TARGET_HUB_PEOPLE,
                Direction.HIGHER,
                Measure.HUB_PEOPLE,
            ),
        ],
    ),
    "citizens-advice-basildon": (
        "002",
        "Advice services for Basildon residents",
        Agreement.Kind.SLA,
        "120000.00",
        [1, 2],
        [
            ("Residents given advice", "people", "900", Direction.HIGHER),
            ("Average wait for an appointment", "days", "10", Direction.LOWER),
        ],
    ),
    "basildon-community-transport": (
        "003",
        "Community transport for isolated residents",
        Agreement.Kind.SLA,
        "45000.00",
        [0],
        [
            ("Passenger journeys", "journeys", "2500", Direction.HIGHER),
            ("Journeys cancelled by the service", "%", "3", Direction.LOWER),
        ],
    ),
    "basildon-twinning-association": (
        "004",
        "Twinning partnership",
        Agreement.Kind.PARTNERSHIP,
        "5000.00",
        [0, 3],
        [("Residents taking part in twinning events", "people", "80", Direction.HIGHER)],
    ),
    "basildon-youth-service": (
        "005",
        "Youth work in Laindon and Pitsea",
        Agreement.Kind.SLA,
        "60000.00",
        [0, 2],
        [
            ("Young people attending youth clubs", "people", "350", Direction.HIGHER),
            ("Young people referred to other services", "people", "25", Direction.HIGHER),
        ],
    ),
}

DEMO_REFERENCES = [
    f"{'PA' if spec[2] == Agreement.Kind.PARTNERSHIP else 'SLA'}-{spec[0]}"
    for spec in AGREEMENTS.values()
]

GRANTS = [
    # reference, title, programme, organisation slug, amount, days ago, purpose
    (
        "MG-001",
        "Coffee morning equipment",
        "Community micro-grants",
        "basildon-twinning-association",
        "450.00",
        200,
        "Urns, cups and a gazebo for monthly coffee mornings open to all residents.",
    ),
    (
        "MG-002",
        "Digital skills drop-in laptops",
        "Community micro-grants",
        "basildon-cvs",
        "1500.00",
        150,
        "Six refurbished laptops for a weekly digital skills drop-in at a community hub.",
    ),
    (
        "CG-001",
        "Winter warm spaces volunteer drivers",
        "Community grants",
        "basildon-community-transport",
        "7500.00",
        90,
        "Volunteer driver expenses to bring isolated residents to warm spaces in winter.",
    ),
    (
        "CG-002",
        "Debt advice outreach at hubs",
        "Community grants",
        "citizens-advice-basildon",
        "12000.00",
        30,
        "A debt adviser at two community hubs one day a week for a year.",
    ),
]


def seed(command):
    users = seed_users(command)
    outcomes = seed_outcomes()
    today = timezone.localdate()
    organisations = seed_organisations()
    PartnerMembership.objects.get_or_create(
        user=users["partner"], organisation=organisations["basildon-cvs"]
    )
    seed_agreements(organisations, outcomes, users, today)
    seed_grants(organisations, today)


def seed_users(command):
    users = {}
    for label, username, password, group_name, (first, last) in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.gov.uk",
                "is_staff": True,
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=group_name))
        command.add_login(label, username, password)
        users[username] = user
    return users


def seed_outcomes():
    outcomes = []
    for position, (focus_area, name, description) in enumerate(OUTCOMES, start=1):
        outcome, _ = PolicyOutcome.objects.update_or_create(
            focus_area=focus_area,
            name=name,
            defaults={"description": description, "position": position},
        )
        outcomes.append(outcome)
    return outcomes


def seed_organisations():
    organisations = {}
    for slug, name, kind, charity, company, town, description in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "charity_number": charity,
                "company_number": company,
                "description": description,
                "address": f"Community House, High Street, {town}",
                "email": f"hello@{slug}.example.org",
                "website": f"https://{slug}.example.org",
            },
        )
        contact_name, role = CONTACTS[slug]
        Contact.objects.update_or_create(
            organisation=org,
            name=contact_name,
            defaults={
                "role": role,
                "email": f"{contact_name.split()[0].lower()}@{slug}.example.org",
                "is_primary": True,
            },
        )
        organisations[slug] = org
    return organisations


def seed_agreements(organisations, outcomes, users, today):
    # Eight quarters whose returns are due by today: two years of returns.
    recent = Quarter.containing(today)
    while not due_quarters(recent.start, recent.end, today):
        recent = recent.previous()
    quarters = [recent]
    for _ in range(7):
        quarters.insert(0, quarters[0].previous())
    start = quarters[0].start
    for index, (slug, spec) in enumerate(AGREEMENTS.items()):
        suffix, title, kind, value, outcome_indexes, kpis = spec
        end = dt.date(start.year + 3, start.month, start.day) - dt.timedelta(days=1)
        review = end - dt.timedelta(days=180)
        if slug == "basildon-twinning-association":
            end = today + dt.timedelta(days=60)  # ending soon
            review = None
        elif slug == "citizens-advice-basildon":
            review = today + dt.timedelta(days=45)  # review due soon
        agreement, _ = Agreement.objects.update_or_create(
            # Stable references, so a later run updates rather than duplicates.
            reference=f"{'PA' if kind == Agreement.Kind.PARTNERSHIP else 'SLA'}-{suffix}",
            defaults={
                "organisation": organisations[slug],
                "title": title,
                "kind": kind,
                "start_date": start,
                "end_date": end,
                "review_date": review,
                "annual_value": Decimal(value),
                "status": Agreement.Status.ACTIVE,
                "lead_officer": users["officer"],
                "description": f"{title}, funded by the council's communities team.",
            },
        )
        for i in outcome_indexes:
            Objective.objects.get_or_create(
                agreement=agreement,
                outcome=outcomes[i],
                defaults={"description": f"{title}: contributes to “{outcomes[i].name}”."},
            )
        for k, (name, unit, target, direction, *linked) in enumerate(kpis):
            kpi, _ = Kpi.objects.update_or_create(
                agreement=agreement,
                name=name,
                defaults={
                    "unit": unit,
                    "target": Decimal(target),
                    "direction": direction,
                    "measure": linked[0] if linked else "",
                },
            )
            if linked:
                continue  # returns from the records: seed_linked_returns(), once they exist
            pattern = PATTERNS[(index + k) % len(PATTERNS)]
            for q, factor in zip(quarters, pattern, strict=True):
                if slug == "basildon-youth-service" and k == 1 and q == quarters[-1]:
                    continue  # the overdue return
                multiplier = Decimal(factor)
                if direction == Direction.LOWER:  # lower is better: invert the pattern
                    multiplier = Decimal(2) - multiplier
                KpiReturn.objects.update_or_create(
                    kpi=kpi,
                    financial_year=q.year,
                    quarter=q.number,
                    defaults={
                        "value": (Decimal(target) * multiplier).quantize(Decimal("0.01")),
                        "commentary": "" if factor >= "1" else "Below target: see narrative.",
                        "submitted_by": users["partner"] if slug == "basildon-cvs" else None,
                        "submitted_at": submitted_at(q),
                    },
                )


def submitted_at(quarter: Quarter) -> dt.datetime:
    """Demo returns come in two weeks after their quarter ends, mid-morning."""
    return timezone.make_aware(
        dt.datetime.combine(quarter.end + dt.timedelta(days=14), dt.time(10))
    )


def seed_linked_returns(today=None):
    """Returns for KPIs measured from the records, confirmed as computed, for each quarter that
    has ended but the last: that one is left for the partner to check and submit. Run by the hubs'
    demo once its engagements exist."""
    today = today or timezone.localdate()
    partner = User.objects.filter(username="partner").first()
    kpis = list(
        Kpi.objects.filter(agreement__reference__in=DEMO_REFERENCES)
        .exclude(measure="")
        .select_related("agreement")
    )
    by_agreement = {}
    for kpi in kpis:
        by_agreement.setdefault(kpi.agreement, []).append(kpi)
    for agreement, linked in by_agreement.items():
        last_ended = Quarter.containing(today).previous()
        for quarter in [q for q in agreement.quarters if q.end < today and q != last_ended]:
            for kpi_pk, computed in measures.compute(linked, quarter, today).items():
                KpiReturn.objects.get_or_create(
                    kpi_id=kpi_pk,
                    financial_year=quarter.year,
                    quarter=quarter.number,
                    defaults={
                        "value": computed.value,
                        "computed_value": computed.value,
                        "computed_note": computed.note,
                        "commentary": "Confirmed from the hub records.",
                        "submitted_by": partner,
                        "submitted_at": submitted_at(quarter),
                    },
                )


def seed_grants(organisations, today):
    for reference, title, programme, slug, amount, days_ago, purpose in GRANTS:
        Grant.objects.update_or_create(
            reference=reference,
            defaults={
                "title": title,
                "programme": programme,
                "organisation": organisations[slug],
                "amount": Decimal(amount),
                "award_date": today - dt.timedelta(days=days_ago),
                "purpose": purpose,
            },
        )
