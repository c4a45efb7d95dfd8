"""Officers upload ward figures (CSV) and boundaries (GeoJSON): every row checked, all or
nothing, and every hostile file gets a clear message with nothing saved."""

import html
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Area
from tests.factories import AreaFactory
from wards.models import Indicator, WardBoundary, WardFigure

FIGURES = reverse("wards_staff:upload_figures")
BOUNDARIES = reverse("wards_staff:upload_boundaries")


@pytest.fixture
def wards(db):
    town = AreaFactory(name="Basildon", slug="basildon")
    return {
        code: AreaFactory(
            name=name,
            slug=name.lower().replace(" ", "-"),
            kind=Area.Kind.WARD,
            parent=town,
            ons_code=code,
        )
        for code, name in [("E05015460", "Central"), ("E05015452", "North")]
    }


def figures(client, text, kind="population", name="", **extra):
    data = {
        "kind": kind,
        "name": name,
        "source": "ONS mid-year estimates",
        "year": "2022",
        "file": SimpleUploadedFile("figures.csv", text.encode() if isinstance(text, str) else text),
        **extra,
    }
    return client.post(FIGURES, data)


def boundaries(client, document, **extra):
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    data = {
        "source": "ONS Open Geography Portal",
        "year": "2024",
        "file": SimpleUploadedFile("wards.geojson", body),
        **extra,
    }
    return client.post(BOUNDARIES, data)


def square(code, lon=0.45, lat=51.57, kind="Polygon", **properties):
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat + 0.01], [lon, lat]]
    return {
        "type": "Feature",
        "properties": {"WD24CD": code, **properties},
        "geometry": {"type": kind, "coordinates": [ring] if kind == "Polygon" else [[ring]]},
    }


def test_officer_uploads_population_per_ward(officer_client, wards):
    response = figures(
        officer_client,
        'ward_code,ward_name,value\nE05015460,Central,11800\nE05015452,North,"10,400"\n',
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("ward_matrix:matrix")
    indicator = Indicator.objects.get()
    assert (indicator.kind, indicator.name, indicator.year) == ("population", "Population", 2022)
    assert indicator.source == "ONS mid-year estimates" and not indicator.made_up
    values = dict(WardFigure.objects.values_list("ward__ons_code", "value"))
    assert values == {"E05015460": Decimal("11800"), "E05015452": Decimal("10400")}


def test_lsoa_figures_are_averaged_to_wards_weighted_by_population(officer_client, wards):
    text = (
        "lsoa_code,ward_code,value,population\n"
        "E01015001,E05015460,1,1000\n"
        "E01015002,E05015460,4,3000\n"
        "E01015003,E05015452,7,1500\n"
    )
    response = figures(officer_client, text, kind="imd_decile")

    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.from_lsoas and indicator.name == "IMD decile"
    values = dict(WardFigure.objects.values_list("ward__ons_code", "value"))
    # (1 x 1000 + 4 x 3000) / 4000 = 3.25: a plain average would say 2.5
    assert values == {"E05015460": Decimal("3.25"), "E05015452": Decimal("7")}


def test_a_population_per_lsoa_is_added_up(officer_client, wards):
    text = "lsoa_code,ward_code,value\nE01015001,E05015460,1500\nE01015002,E05015460,1600\n"

    assert figures(officer_client, text).status_code == 302
    assert WardFigure.objects.get().value == Decimal("3100")


def test_sending_an_indicator_again_replaces_its_figures(officer_client, wards):
    figures(officer_client, "ward_code,value\nE05015460,100\nE05015452,200\n")
    figures(officer_client, "ward_code,value\nE05015460,150\n")

    assert Indicator.objects.count() == 1
    assert list(WardFigure.objects.values_list("value", flat=True)) == [Decimal("150")]


def test_another_indicator_needs_a_name_and_keeps_which_way_is_need(officer_client, wards):
    response = figures(officer_client, "ward_code,value\nE05015460,7.5\n", kind="other")
    assert "Enter the name of the indicator" in response.content.decode()
    assert not Indicator.objects.exists()

    response = figures(
        officer_client,
        "ward_code,value\nE05015460,7.5\n",
        kind="other",
        name="Healthy life expectancy",
        higher_is_need="False",
    )
    assert response.status_code == 302
    assert Indicator.objects.get().higher_is_need is False


HOSTILE_FIGURES = [
    ("wrong columns", "code,amount\nE05015460,5\n", "missing columns: ward_code, value"),
    ("extra column", "ward_code,value,notes\nE05015460,5,x\n", "unknown columns: notes"),
    (
        "unknown ward",
        "ward_code,value\nE05015460,5\nE05999999,6\n",
        "no ward has the ONS code E05999999",
    ),
    ("not a code", "ward_code,value\nBasildon,5\n", "“BASILDON” is not an ONS code"),
    ("text in a number", "ward_code,value\nE05015460,lots\n", "value “lots” is not a number"),
    ("not finite", "ward_code,value\nE05015460,NaN\n", "is not a number we can store"),
    ("huge", "ward_code,value\nE05015460,1e30\n", "is not a number we can store"),
    ("twice", "ward_code,value\nE05015460,5\nE05015460,6\n", "E05015460 is also on row 2"),
    ("fraction of people", "ward_code,value\nE05015460,5.5\n", "a population is a whole number"),
    ("NUL bytes", "ward_code,value\nE05015460,5\x00\n", "it contains binary data"),
    ("not UTF-8", b"ward_code,value\nE05015460,\xff\n", "not UTF-8"),
    ("header only", "ward_code,value\n", "has a header row but no figures"),
    ("empty", "", "The file is empty"),
]


@pytest.mark.parametrize(
    ("what", "text", "message"), HOSTILE_FIGURES, ids=[h[0] for h in HOSTILE_FIGURES]
)
def test_a_bad_figures_file_is_explained_and_nothing_is_saved(
    officer_client, wards, what, text, message
):
    response = figures(officer_client, text)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message.lower() in page.lower()
    assert "<title>Error:" in page
    assert not Indicator.objects.exists() and not WardFigure.objects.exists()


def test_each_bad_row_is_listed_with_its_number(officer_client, wards):
    text = "ward_code,value\nE05015460,5\nE05015452,abc\nE05999999,7\n"

    page = figures(officer_client, text).content.decode()

    assert "2 rows of the file have problems" in page
    assert '<th scope="row" class="govuk-table__header">3</th>' in page
    assert '<th scope="row" class="govuk-table__header">4</th>' in page
    assert not WardFigure.objects.exists()


def test_an_imd_decile_outside_1_to_10_is_refused(officer_client, wards):
    page = figures(
        officer_client, "ward_code,value\nE05015460,11\n", kind="imd_decile"
    ).content.decode()
    assert "an imd decile is a whole number from 1 to 10, not 11" in html.unescape(page).lower()
    assert not WardFigure.objects.exists()


def test_rows_for_other_wards_can_be_left_out_on_request(officer_client, wards):
    text = "ward_code,value\nE05015460,5\nE05999999,6\n"

    response = figures(officer_client, text, skip_unknown="on")

    assert response.status_code == 302
    assert WardFigure.objects.count() == 1


def test_source_and_year_are_checked(officer_client, wards):
    page = figures(
        officer_client, "ward_code,value\nE05015460,5\n", source="ONS\x00", year="99999"
    ).content.decode()
    assert "Null characters are not allowed" in page
    assert "Enter a year up to 2200" in page
    assert not Indicator.objects.exists()


def test_a_file_over_the_upload_limit_is_refused(officer_client, wards, settings):
    settings.WARDS_UPLOAD_MAX_BYTES = 1000
    text = "ward_code,value\n" + "E05015460,5\n" * 200

    page = figures(officer_client, text).content.decode()

    assert "The file must be smaller than 1000" in page
    assert not WardFigure.objects.exists()


def test_a_50_mb_file_is_refused_before_it_is_read(officer_client, wards):
    body = b"ward_code,value\n" + b"E05015460,5\n" * (50 * 1024 * 1024 // 12)

    response = figures(officer_client, body)

    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert not WardFigure.objects.exists()


def test_officer_uploads_boundaries(officer_client, wards):
    document = {
        "type": "FeatureCollection",
        "features": [square("E05015460"), square("E05015452", kind="MultiPolygon", lon=0.47)],
    }

    response = boundaries(officer_client, document)

    assert response.status_code == 302
    saved = {b.ward.ons_code: b for b in WardBoundary.objects.select_related("ward")}
    assert set(saved) == {"E05015460", "E05015452"}
    assert saved["E05015460"].geometry["type"] == "Polygon"
    assert saved["E05015452"].geometry["coordinates"][0][0][1] == [0.48, 51.57]
    assert saved["E05015460"].year == 2024


def point(code):
    return {
        "type": "Feature",
        "properties": {"ward_code": code},
        "geometry": {"type": "Point", "coordinates": [0.45, 51.57]},
    }


def open_ring(code):
    feature = square(code)
    feature["geometry"]["coordinates"][0].pop()
    return feature


def grid_metres(code):
    feature = square(code)
    feature["geometry"]["coordinates"] = [
        [[571000, 188000], [572000, 188000], [572000, 189000], [571000, 188000]]
    ]
    return feature


HOSTILE_BOUNDARIES = [
    (
        "points",
        {"type": "FeatureCollection", "features": [point("E05015460")]},
        "its geometry is a Point, not a Polygon or MultiPolygon",
    ),
    (
        "open ring",
        {"type": "FeatureCollection", "features": [open_ring("E05015460")]},
        "does not end where it starts",
    ),
    (
        "metres",
        {"type": "FeatureCollection", "features": [grid_metres("E05015460")]},
        "not British National Grid metres",
    ),
    (
        "unknown ward",
        {"type": "FeatureCollection", "features": [square("E05015460"), square("E05999999")]},
        "no ward has the ONS code E05999999",
    ),
    ("no code", {"type": "FeatureCollection", "features": [square("")]}, "it has no ward code"),
    (
        "twice",
        {"type": "FeatureCollection", "features": [square("E05015460"), square("E05015460")]},
        "E05015460 is also feature 1",
    ),
    ("a geometry only", {"type": "Polygon", "coordinates": []}, "not a GeoJSON FeatureCollection"),
    ("a list", [1, 2], "not a GeoJSON FeatureCollection"),
    ("no features", {"type": "FeatureCollection", "features": []}, "has no features"),
    (
        "national grid",
        {
            "type": "FeatureCollection",
            "crs": {"properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
            "features": [square("E05015460")],
        },
        "British National Grid (EPSG:27700)",
    ),
    ("not JSON", b"ward,boundary\nE05015460,square\n", "not valid JSON"),
    ("NaN", b'{"type": "FeatureCollection", "features": [NaN]}', "not valid JSON"),
    ("NUL bytes", b'{"type": "FeatureCollection"\x00}', "it contains binary data"),
    ("deep nesting", b"[" * 100000 + b"]" * 100000, "not valid JSON"),
]


@pytest.mark.parametrize(
    ("what", "document", "message"), HOSTILE_BOUNDARIES, ids=[h[0] for h in HOSTILE_BOUNDARIES]
)
def test_a_bad_boundaries_file_is_explained_and_nothing_is_saved(
    officer_client, wards, what, document, message
):
    response = boundaries(officer_client, document)

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message.lower() in page.lower()
    assert "<title>Error:" in page
    assert not WardBoundary.objects.exists()


def test_a_50_mb_geojson_is_refused_before_it_is_read(officer_client, wards):
    body = json.dumps(
        {"type": "FeatureCollection", "features": [square("E05015460")] * 300_000}
    ).encode()
    assert len(body) > 50 * 1024 * 1024

    response = boundaries(officer_client, body)

    assert response.status_code == 413
    assert not WardBoundary.objects.exists()


def test_coordinators_and_partner_contacts_cannot_upload(
    client, coordinator_a, partner_contact, wards
):
    for user in (coordinator_a, partner_contact):
        client.force_login(user)
        assert figures(client, "ward_code,value\nE05015460,5\n").status_code == 403
        assert (
            boundaries(
                client, {"type": "FeatureCollection", "features": [square("E05015460")]}
            ).status_code
            == 403
        )
    assert not WardFigure.objects.exists() and not WardBoundary.objects.exists()


def test_the_services_refuse_a_user_without_permission(coordinator_a, wards):
    from django.core.exceptions import PermissionDenied

    from wards import services

    with pytest.raises(PermissionDenied):
        services.save_figures(
            user=coordinator_a,
            name="Population",
            kind="population",
            source="x",
            year=2022,
            values={},
        )
    with pytest.raises(PermissionDenied):
        services.save_boundaries(user=coordinator_a, geometries={}, source="x", year=2022)
