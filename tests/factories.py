"""Deterministic factories (sequences, no randomness) shared by every app's tests."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from directory.models import (
    Area,
    Location,
    Postcode,
    Schedule,
    Service,
    Suggestion,
    TaxonomyTerm,
)
from partners.models import Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    is_staff = True
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Organisation {n}")
    slug = factory.Sequence(lambda n: f"community-organisation-{n}")
    kind = Organisation.Kind.CHARITY


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Town {n}")
    slug = factory.Sequence(lambda n: f"town-{n}")
    kind = Area.Kind.TOWN


# --- directory -------------------------------------------------------------------------


class PostcodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Postcode
        django_get_or_create = ["postcode"]

    postcode = factory.Sequence(lambda n: f"SS14 {n % 10}{'ABDEFGHJLNPQRSTUWXYZ'[n // 10 % 20]}A")
    latitude = Decimal("51.572870")
    longitude = Decimal("0.457020")
    ward_code = ""
    district_code = "E07000066"


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda t: t.name.lower().replace(" ", "-"))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Community Centre {n}")
    address_1 = factory.Sequence(lambda n: f"{n} High Street")
    town = "Basildon"
    postcode = "SS14 1DL"
    latitude = Decimal("51.572870")
    longitude = Decimal("0.457020")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "A friendly service for local people."
    status = Service.Status.ACTIVE
    publication = Service.Publication.PUBLISHED
    cost = Service.Cost.FREE
    access = Service.Access.DROP_IN
    last_reviewed = factory.LazyFunction(lambda: datetime.date.today())

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def locations(self, create, extracted, **kwargs):
        if create and extracted:
            self.locations.set(extracted)


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    weekday = Schedule.Weekday.TUESDAY
    opens_at = datetime.time(10)
    closes_at = datetime.time(12)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    name = factory.Sequence(lambda n: f"Suggested group {n}")
    organisation_name = "Community Organisation"
    description = "Somewhere to meet people."


# --- hubs -----------------------------------------------------------------------------------


class HubVenueFactory(factory.django.DjangoModelFactory):
    """A directory Location for a hub's venue."""

    class Meta:
        model = "directory.Location"

    name = factory.Sequence(lambda n: f"School {n}")
    address_1 = factory.Sequence(lambda n: f"{n} School Lane")
    town = "Basildon"
    postcode = "SS14 1AA"
    area = factory.SubFactory(AreaFactory)


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hubs.Hub"

    name = factory.Sequence(lambda n: f"Community Hub {n}")
    slug = factory.Sequence(lambda n: f"community-hub-{n}")
    venue_kind = "school"
    location = factory.SubFactory(HubVenueFactory)
    area = factory.LazyAttribute(lambda h: h.location.area if h.location else AreaFactory())
    lead_partner = factory.SubFactory(OrganisationFactory)
    opened = datetime.date(2020, 1, 13)
    status = "open"


class HubCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hubs.HubCoordinator"

    user = factory.SubFactory(UserFactory)
    hub = factory.SubFactory(HubFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hubs.Activity"

    hub = factory.SubFactory(HubFactory)
    name = factory.Sequence(lambda n: f"Activity {n}")
    category = "coffee_morning"
    weekday = 0
    start_time = datetime.time(9, 0)
    end_time = datetime.time(10, 30)


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "hubs.Engagement"

    hub = factory.SubFactory(HubFactory)
    activity = factory.SubFactory(ActivityFactory, hub=factory.SelfAttribute("..hub"))
    date = datetime.date(2026, 1, 15)
    people = 10
    new_people = 2


# --- partners: agreements, KPIs, returns, grants (deterministic) --------------------------


class PolicyOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PolicyOutcome"
        django_get_or_create = ["focus_area", "name"]

    focus_area = "Connected Neighbourhoods"
    name = factory.Sequence(lambda n: f"Outcome {n}")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Agreement"

    organisation = factory.SubFactory(OrganisationFactory)
    reference = factory.Sequence(lambda n: f"SLA-TEST-{n:03d}")
    title = factory.Sequence(lambda n: f"Test agreement {n}")
    start_date = datetime.date(2024, 4, 1)
    end_date = datetime.date(2027, 3, 31)
    annual_value = Decimal("10000.00")
    status = "active"


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Kpi"

    agreement = factory.SubFactory(AgreementFactory)
    name = factory.Sequence(lambda n: f"KPI {n}")
    unit = "people"
    target = Decimal("100")
    direction = "higher"


class KpiReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.KpiReturn"

    kpi = factory.SubFactory(KpiFactory)
    financial_year = 2024
    quarter = 1
    value = Decimal("100")


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.Grant"

    reference = factory.Sequence(lambda n: f"MG-{n:03d}")
    title = factory.Sequence(lambda n: f"Micro-grant {n}")
    programme = "Community micro-grants"
    organisation = factory.SubFactory(OrganisationFactory)
    amount = Decimal("500.00")
    award_date = datetime.date(2026, 5, 1)
    purpose = "Equipment for a weekly coffee morning."


class PartnerMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "partners.PartnerMembership"

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)


# --- volunteering ---------------------------------------------------------------------------


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "volunteering.Skill"
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.LazyAttribute(lambda s: s.name.lower().replace(" ", "-"))


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "volunteering.Role"
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Volunteer role {n}")
    description = "Help out at a friendly local group."
    area = factory.SubFactory(AreaFactory)
    commitment = "flexible"
    minimum_age = 18
    status = "open"

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "volunteering.Interest"

    reference = factory.Sequence(lambda n: f"VOL-T{n:05d}")
    role = factory.SubFactory(RoleFactory)
    name = factory.Sequence(lambda n: f"Volunteer {n}")
    email = factory.Sequence(lambda n: f"volunteer{n}@example.com")
    consent_at = factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC))


class VolunteerHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "volunteering.VolunteerHours"

    interest = factory.SubFactory(InterestFactory, status="placed")
    date = datetime.date(2026, 1, 15)
    hours = Decimal("2.50")
