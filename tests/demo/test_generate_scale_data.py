import io

import pytest
from django.core.management import CommandError, call_command

from directory.models import Area, Location, Postcode, Schedule, Service
from directory.postcodes import normalise_postcode
from hubs.models import Activity, Engagement, Hub, Referral
from partners.models import Organisation
from tests.hubs import referrals_out_of_step

pytestmark = pytest.mark.django_db


def generate(**options):
    out = io.StringIO()
    call_command(
        "generate_scale_data",
        services=options.pop("services", 60),
        engagements=options.pop("engagements", 300),
        seed=options.pop("seed", 7),
        allow_production=True,
        stdout=out,
        **options,
    )
    return out.getvalue()


def snapshot():
    """Everything generated, by natural keys (ids and timestamps differ between runs)."""
    return {
        name: sorted(rows, key=repr)
        for name, rows in {
            "areas": list(Area.objects.values_list("slug", "name", "kind", "ons_code")),
            "postcodes": list(Postcode.objects.values_list("postcode", "latitude", "ward_code")),
            "organisations": list(Organisation.objects.values_list("uuid", "slug", "name", "kind")),
            "locations": list(
                Location.objects.values_list("uuid", "name", "postcode", "area__slug")
            ),
            "services": list(
                Service.objects.values_list(
                    "uuid", "organisation__slug", "name", "description", "status", "minimum_age"
                )
            ),
            "categories": list(Service.objects.values_list("uuid", "categories__slug")),
            "places": list(Service.objects.values_list("uuid", "locations__uuid")),
            "schedules": list(Schedule.objects.values_list("uuid", "service__uuid", "weekday")),
            "hubs": list(Hub.objects.values_list("uuid", "slug", "opened", "lead_partner__slug")),
            "activities": list(Activity.objects.values_list("uuid", "hub__slug", "name")),
            "engagements": list(
                Engagement.objects.values_list("hub__slug", "activity__uuid", "date", "people")
            ),
            "referrals": list(Referral.objects.values_list("organisation__slug", "count")),
        }.items()
    }


def delete_everything():
    Referral.objects.all().delete()
    Engagement.objects.all().delete()
    Activity.objects.all().delete()
    Hub.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    Organisation.objects.all().delete()
    Postcode.objects.all().delete()
    Area.objects.filter(parent__isnull=False).delete()
    Area.objects.all().delete()


def test_makes_the_numbers_asked_for_with_valid_data():
    generate(services=120, engagements=500)

    assert Service.objects.count() == 120
    assert Engagement.objects.count() == 500
    assert Organisation.objects.filter(slug__startswith="scale-").count() == 24
    assert Hub.objects.count() == 2
    assert Service.objects.published().count() > 80
    for postcode in Postcode.objects.values_list("postcode", flat=True):
        assert normalise_postcode(postcode) == postcode
    for engagement in Engagement.objects.select_related("hub"):
        assert engagement.age_band_total <= engagement.people
        assert engagement.new_people <= engagement.people
        assert engagement.date >= engagement.hub.opened
    assert Referral.objects.exists()
    assert not referrals_out_of_step().exists()


def test_the_same_seed_gives_the_same_data():
    generate(seed=11)
    first = snapshot()
    delete_everything()

    generate(seed=11)

    assert snapshot() == first


def test_another_seed_gives_other_data():
    generate(seed=11)
    first = snapshot()
    delete_everything()

    generate(seed=12)

    assert snapshot()["services"] != first["services"]


def test_batches_are_smaller_than_the_data(django_assert_max_num_queries):
    # 300 engagements in batches of 50: six inserts for them, not one per row (on
    # PostgreSQL, a few more statements rebuild the search vocabulary once at the end).
    with django_assert_max_num_queries(130):
        generate(services=60, engagements=300, batch_size=50)

    assert Engagement.objects.count() == 300


def test_refuses_a_database_that_already_has_generated_data():
    generate()

    with pytest.raises(CommandError, match="already has generated data"):
        generate()


def test_refuses_to_run_with_debug_off_unless_allowed(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("generate_scale_data", services=10, engagements=0, stdout=io.StringIO())


def test_generated_services_can_be_searched(client):
    generate(services=200, engagements=0)

    response = client.get("/directory/", {"q": "food bank"})

    assert response.status_code == 200
    assert "results" in response.content.decode()
