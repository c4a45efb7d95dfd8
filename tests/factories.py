"""Deterministic factories (sequences, no randomness) shared by every app's tests."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth.models import Group, User

from directory.models import Area
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
