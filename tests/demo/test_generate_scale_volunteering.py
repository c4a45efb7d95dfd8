import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from partners.measures import compute_all
from partners.performance import Measure, Quarter
from tests.factories import AgreementFactory, KpiFactory
from volunteering.models import Interest, InterestEvent, Role, Skill, VolunteerHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale_data():
    call_command(
        "generate_scale_data",
        services=60,
        engagements=0,
        seed=7,
        allow_production=True,
        stdout=io.StringIO(),
    )


def generate(**options):
    call_command(
        "generate_scale_volunteering",
        roles=options.pop("roles", 40),
        volunteers=options.pop("volunteers", 200),
        hours=options.pop("hours", 500),
        seed=options.pop("seed", 7),
        allow_production=True,
        stdout=io.StringIO(),
        **options,
    )


def snapshot():
    return {
        "roles": sorted(Role.objects.values_list("uuid", "title", "status", "organisation__slug")),
        "skills": sorted(Role.objects.values_list("uuid", "skills__slug"), key=repr),
        "interests": sorted(Interest.objects.values_list("reference", "role__uuid", "status")),
        "hours": sorted(
            VolunteerHours.objects.values_list("interest__reference", "date", "hours"), key=repr
        ),
    }


def delete_everything():
    VolunteerHours.objects.all().delete()
    InterestEvent.objects.all().delete()
    Interest.objects.all().delete()
    Role.objects.all().delete()
    Skill.objects.all().delete()


def test_makes_the_numbers_asked_for_with_valid_records(scale_data):
    generate(roles=40, volunteers=200, hours=500)

    assert Role.objects.count() == 40
    assert Interest.objects.count() == 200
    assert VolunteerHours.objects.count() == 500
    assert Role.objects.public().exists()
    today = timezone.localdate()
    for role in Role.objects.prefetch_related("skills").select_related("organisation")[:10]:
        assert role.search_text == role.searchable_text()  # what the panel searches
        role.full_clean()
    for entry in VolunteerHours.objects.select_related("interest")[:50]:
        assert entry.interest.status == Interest.Status.PLACED
        assert entry.date <= today
        assert entry.confirmed_hours in (None, entry.hours)
    placed = Interest.objects.filter(status=Interest.Status.PLACED)
    assert InterestEvent.objects.filter(to_status=Interest.Status.PLACED).count() == placed.count()


def test_the_same_seed_gives_the_same_records(scale_data):
    generate(seed=3)
    first = snapshot()
    delete_everything()

    generate(seed=3)

    assert snapshot() == first


def test_generated_roles_show_on_the_directory_search(scale_data, client):
    generate(roles=60)

    page = client.get("/directory/", {"q": "food bank"}).content.decode()

    assert "Volunteer roles matching your search" in page


def test_the_kpi_figures_count_the_generated_hours(scale_data):
    generate(roles=5, volunteers=100, hours=400)
    organisation = (
        Role.objects.filter(interests__hours__confirmed_hours__isnull=False)
        .values_list("organisation", flat=True)
        .first()
    )
    kpi = KpiFactory(
        agreement=AgreementFactory(organisation_id=organisation), measure=Measure.VOLUNTEER_HOURS
    )
    confirmed = VolunteerHours.objects.confirmed().filter(
        interest__role__organisation_id=organisation
    )
    quarter = Quarter.containing(confirmed.values_list("date", flat=True).first())
    in_quarter = confirmed.filter(date__range=(quarter.start, quarter.end))

    figures = compute_all(quarter)

    assert figures[kpi.pk].value == sum(entry.confirmed_hours for entry in in_quarter)


def test_needs_the_generated_directory_first():
    with pytest.raises(CommandError, match="generate_scale_data first"):
        generate()


def test_refuses_to_run_twice(scale_data):
    generate()

    with pytest.raises(CommandError, match="already has generated volunteering"):
        generate()


def test_refuses_to_run_with_debug_off_unless_allowed(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("generate_scale_volunteering", stdout=io.StringIO())
