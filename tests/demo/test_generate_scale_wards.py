import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dashboard.wards import build_matrix
from directory.models import Area, Location
from wards.models import Indicator, WardBoundary, WardFigure

pytestmark = pytest.mark.django_db


def generate(**options):
    call_command("generate_scale_wards", allow_production=True, stdout=io.StringIO(), **options)


@pytest.fixture
def scale_data():
    call_command(
        "generate_scale_data",
        services=60,
        engagements=50,
        seed=7,
        allow_production=True,
        stdout=io.StringIO(),
    )


def test_wards_are_added_with_figures_and_boundaries_and_places_spread_across_them(scale_data):
    generate(wards=30)
    wards = Area.objects.filter(kind=Area.Kind.WARD)
    assert wards.count() == 30
    assert len(set(wards.values_list("ons_code", flat=True))) == 30
    assert Indicator.objects.filter(made_up=True).count() == 3
    assert WardFigure.objects.count() == 90 and WardBoundary.objects.count() == 30
    # Every place is in a ward of its town; each town's wards share its places.
    assert not Location.objects.filter(area__kind=Area.Kind.TOWN).exists()
    assert Location.objects.filter(area__slug__contains="-ward-").exists()  # the new wards too
    matrix = build_matrix(wards, today=timezone.localdate())
    assert len(matrix.rows) == 30 and all(r["population"] for r in matrix.rows)


def test_it_needs_generated_towns_and_debug(settings):
    with pytest.raises(CommandError, match="generate_scale_data first"):
        generate(wards=10)
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("generate_scale_wards", stdout=io.StringIO())
