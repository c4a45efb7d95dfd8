"""Deterministic factories (sequences, no randomness) shared by every app's tests."""

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
