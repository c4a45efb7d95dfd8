"""The ward matrix (/staff/wards/): need beside provision per ward, for the wards each role
looks after, with the records behind each figure, CSV, sorting, filters and the flag."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Area
from tests.factories import (
    AgreementFactory,
    AreaFactory,
    EngagementFactory,
    InterestFactory,
    KpiFactory,
    LocationFactory,
    RoleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from wards import services

MATRIX = reverse("ward_matrix:matrix")
CSV = reverse("ward_matrix:csv")


def ward(name, town, code):
    return AreaFactory(
        name=name,
        slug=name.lower().replace(" ", "-"),
        kind=Area.Kind.WARD,
        parent=town,
        ons_code=code,
    )


def figures(kind, values, name=""):
    names = {"population": "Population", "imd_decile": "IMD decile"}
    services.save_figures(
        user=None,
        name=name or names[kind],
        kind=kind,
        source="test",
        year=2024,
        values={w.pk: Decimal(v) for w, v in values.items()},
    )


@pytest.fixture
def borough(hub_a, hub_b, partner_organisation):
    """Two towns; hub A in Central (Basildon), hub B in Vange (Pitsea); a third ward with
    nothing. Central has 2,000 people, IMD decile 2 and one published food service."""
    basildon = AreaFactory(name="Basildon", slug="basildon")
    pitsea = AreaFactory(name="Pitsea", slug="pitsea")
    central = ward("Central", basildon, "E05000001")
    north = ward("North", basildon, "E05000002")
    vange = ward("Vange", pitsea, "E05000003")
    for hub, place in ((hub_a, central), (hub_b, vange)):
        hub.location.area = place
        hub.location.save()
    food = TaxonomyTermFactory(name="Food", slug="food")
    place = LocationFactory(area=central)
    ServiceFactory(name="Central food bank", locations=[place], categories=[food])
    ServiceFactory(name="Central draft", locations=[place], publication="draft")
    today = datetime.date.today()
    EngagementFactory(hub=hub_a, date=today - datetime.timedelta(days=10), people=30)
    EngagementFactory(hub=hub_a, date=today - datetime.timedelta(days=200), people=10)
    role = RoleFactory(area=central, status="open", organisation=partner_organisation)
    placed = InterestFactory(role=role)
    placed.status = "placed"
    placed.save()
    partner_organisation.areas_served.add(basildon)
    KpiFactory(agreement=AgreementFactory(organisation=partner_organisation))
    figures("population", {central: 2000, north: 4000, vange: 1000})
    figures("imd_decile", {central: 2, north: 8, vange: 1})
    return {"central": central, "north": north, "vange": vange, "food": food}


def rows(response):
    return {r["Ward"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}


def test_officer_sees_need_and_provision_for_every_ward(officer_client, borough):
    response = officer_client.get(CSV)

    assert response.status_code == 200
    table = rows(response)
    assert set(table) == {"Central", "North", "Vange"}
    central = table["Central"]
    assert central["Population"] == "2000" and central["IMD decile"] == "2"
    assert central["Open hubs"] == "1"
    assert central["Published services"] == "1"  # the draft is not counted
    assert central["Services per 1,000"] == "0.5"
    assert central["Activities in the last 3 months"] == "1"
    assert central["Engagements per 1,000 (12 months)"] == "1.0"  # 2 sessions / 2,000 people
    assert central["People reached per 1,000 (12 months)"] == "20.0"  # 40 / 2,000 x 1,000
    assert central["Open volunteer roles"] == "1"
    assert central["Volunteers per 1,000"] == "0.5"
    assert central["Partner organisations serving it"] == "1"  # serves the whole town
    assert central["KPI-funded agreements"] == "1"
    assert table["North"]["KPI-funded agreements"] == "1"
    assert table["Vange"]["KPI-funded agreements"] == "0"


def test_services_are_counted_again_as_soon_as_a_listing_changes(officer_client, borough):
    """The services per ward are kept under the public version key: each change below must
    show on the next look."""

    def counted(**params):
        return rows(officer_client.get(CSV, params))["Central"]["Published services"]

    assert counted() == "1" and counted(category=borough["food"].pk) == "1"
    place = LocationFactory(area=borough["north"])
    lunch = ServiceFactory(name="Central lunch club", locations=[place])
    assert rows(officer_client.get(CSV))["North"]["Published services"] == "1"

    place.area = borough["central"]
    place.save()
    assert counted() == "2" and counted(category=borough["food"].pk) == "1"

    lunch.categories.add(borough["food"])
    assert counted(category=borough["food"].pk) == "2"

    lunch.publication = "draft"  # as an officer does in the admin
    lunch.save()
    assert counted() == "1"


def test_high_need_low_provision_wards_are_flagged_with_the_rule_on_the_page(
    officer_client, borough, settings
):
    settings.WARDS_FLAG_SERVICES_PER_1000_BELOW = 1.0
    page = officer_client.get(MATRIX).content.decode()

    assert "an IMD decile of 3 or lower" in page and "fewer than 1 published" in page
    assert "2 wards flagged" in page
    table = rows(officer_client.get(CSV))
    assert {name for name, r in table.items() if r["Flagged"] == "yes"} == {"Central", "Vange"}

    settings.WARDS_FLAG_SERVICES_PER_1000_BELOW = 0.5  # Central has exactly 0.5
    table = rows(officer_client.get(CSV))
    assert {name for name, r in table.items() if r["Flagged"] == "yes"} == {"Vange"}


def test_sorting_by_a_column_either_way(officer_client, borough):
    decile = next(
        k for k in officer_client.get(MATRIX).context["matrix"].columns if k.label == "IMD decile"
    )

    up = officer_client.get(MATRIX, {"sort": decile.key, "order": "asc"}).context["matrix"].rows
    down = officer_client.get(MATRIX, {"sort": decile.key, "order": "desc"}).context["matrix"].rows

    assert [r["ward"].name for r in up] == ["Vange", "Central", "North"]
    assert [r["ward"].name for r in down] == ["North", "Central", "Vange"]


def test_filter_by_town_and_category(officer_client, borough):
    other = TaxonomyTermFactory(name="Money", slug="money")
    town = borough["central"].parent

    by_town = rows(officer_client.get(CSV, {"town": town.pk}))
    assert set(by_town) == {"Central", "North"}
    food = rows(officer_client.get(CSV, {"category": borough["food"].pk}))
    money = rows(officer_client.get(CSV, {"category": other.pk}))
    assert food["Central"]["Published services"] == "1"
    assert money["Central"]["Published services"] == "0"


def test_the_filters_keep_the_choice_made_and_say_what_is_wrong(officer_client, borough):
    town = borough["central"].parent
    chosen = officer_client.get(MATRIX, {"town": town.pk}).content.decode()
    assert f'<option value="{town.pk}" selected>{town.name}</option>' in chosen
    assert '<option value="" selected>All categories</option>' in chosen

    wrong = officer_client.get(MATRIX, {"category": "999999"}).content.decode()
    assert "Error: Wards" in wrong and "Choose a category from the list" in wrong
    assert (
        '<select name="category" class="govuk-select govuk-select--error" id="id_category" '
        'aria-invalid="true" aria-describedby="id_category_helptext id_category_error">'
    ) in wrong


@pytest.mark.parametrize(
    "params",
    [
        {"town": "abc"},
        {"town": "99999999999999999999"},
        {"category": "\x00"},
        {"sort": "nonsense", "order": "sideways"},
        {"map": "x" * 500},
        {"sort": "ward", "order": "desc"},
    ],
)
def test_bad_parameters_never_break_the_page(officer_client, borough, params):
    response = officer_client.get(MATRIX, params)
    assert response.status_code in (200, 400)
    assert officer_client.get(CSV, params).status_code in (200, 400)


def test_each_figure_links_to_the_records_behind_it(officer_client, borough):
    central = borough["central"]
    page = officer_client.get(MATRIX).content.decode()
    detail = reverse("ward_matrix:ward", args=[central.pk])
    for section in (
        "figures",
        "hubs",
        "services",
        "activities",
        "organisations",
        "roles",
        "sessions",
        "volunteers",
        "agreements",
    ):
        assert f'href="{detail}#{section}"' in page

    records = officer_client.get(detail).content.decode()
    assert "Central food bank" in records and "Central draft" not in records
    assert "Hub A" in records
    assert "SLA-TEST-" in records
    assert ": 2,000 (" in records  # the population as the matrix writes it, not 2E+3


def test_coordinator_sees_their_hubs_ward_only(client, coordinator_a, borough):
    client.force_login(coordinator_a)

    assert set(rows(client.get(CSV))) == {"Central"}
    assert client.get(reverse("ward_matrix:ward", args=[borough["vange"].pk])).status_code == 404
    page = client.get(reverse("ward_matrix:ward", args=[borough["central"].pk])).content.decode()
    assert "SLA-TEST-" not in page  # a partner's agreement is counted, not named
    assert "1 agreement of other organisations" in page


def test_partner_contact_sees_the_wards_their_agreements_cover(client, partner_contact, borough):
    client.force_login(partner_contact)

    assert set(rows(client.get(CSV))) == {"Central", "North"}
    assert client.get(reverse("ward_matrix:ward", args=[borough["vange"].pk])).status_code == 404
    assert client.get(reverse("ward_matrix:matrix")).status_code == 200


def test_others_without_the_permission_are_refused(client, borough):
    from tests.factories import UserFactory

    assert client.get(MATRIX).status_code == 302  # to sign in
    client.force_login(UserFactory(username="staff-nobody"))
    assert client.get(MATRIX).status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_matrix_runs_the_same_queries_however_many_wards(officer_client, borough):
    url = MATRIX + "?map=population_per_1000"
    small = _count(officer_client, url)
    town = borough["central"].parent
    for n in range(10):
        extra = ward(f"Extra {n}", town, f"E0510000{n}")
        ServiceFactory(locations=[LocationFactory(area=extra)])
        RoleFactory(area=extra, status="open")
    services.save_boundaries(
        user=None,
        geometries={
            w.pk: {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
            for w in Area.objects.filter(kind=Area.Kind.WARD)
        },
        source="test",
        year=2024,
    )
    large = _count(officer_client, url)

    assert large == small
    assert large <= 22
