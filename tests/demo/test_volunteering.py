from io import StringIO

import pytest
from django.core.management import call_command

from volunteering import pipeline
from volunteering.models import Interest, InterestEvent, Role, VolunteerHours

pytestmark = pytest.mark.django_db


def seed(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_demo_has_roles_interests_in_every_state_overdue_ones_and_hours(settings):
    seed(settings)

    assert Role.objects.public().count() >= 8
    assert Role.objects.exclude(pk__in=Role.objects.public()).exists()  # a closed one
    assert Role.objects.filter(hub__isnull=False).values("hub").distinct().count() == 2
    assert set(Interest.objects.values_list("status", flat=True)) == set(Interest.Status.values)
    assert Interest.objects.waiting(pipeline.AMBER).exists()
    assert Interest.objects.waiting(pipeline.RED).exists()
    assert Interest.objects.filter(role__isnull=True).count() == 1
    assert VolunteerHours.objects.filter(confirmed_hours__isnull=True).exists()
    assert VolunteerHours.objects.filter(confirmed_hours__isnull=False).exists()
    # The demo partner login has interests to look after.
    assert Interest.objects.filter(role__organisation__slug="basildon-cvs").exists()


def test_demo_is_idempotent(settings):
    seed(settings)
    counts = [m.objects.count() for m in (Role, Interest, InterestEvent, VolunteerHours)]

    seed(settings)

    assert [m.objects.count() for m in (Role, Interest, InterestEvent, VolunteerHours)] == counts
