"""The ward matrix journey in real Chromium: upload figures and boundaries for the demo wards,
sort by IMD decile, find a flagged ward, map services per 1,000 and read it in the table."""

import json
import re

import pytest
from playwright.sync_api import expect

from demo.wards import WARDS, square
from tests.browser import (
    DESKTOP,
    ERROR_TITLE,
    PHONE,
    assert_accessible,
    fits_the_screen,
    sign_in_page,
)
from wards.models import Indicator, WardBoundary, WardFigure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload_figures(page, live_server, path, kind, source):
    page.goto(live_server.url + "/staff/wards/upload/figures/")
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Source").fill(source)
    page.get_by_label("Year").fill("2022")
    page.get_by_label("CSV file").set_input_files(str(path))
    page.get_by_role("button", name="Check and save").click()


def test_officer_uploads_ward_data_and_finds_the_gaps_on_the_matrix_and_map(
    live_server, page, screenshot, client, demo, tmp_path
):
    # Start from no figures or boundaries: the officer loads them.
    Indicator.objects.all().delete()
    WardBoundary.objects.all().delete()
    population = tmp_path / "population.csv"
    population.write_text(
        "ward_code,ward_name,value\n"
        + "".join(f"{code},{row[0]},{row[4]}\n" for code, row in WARDS.items())
    )
    deciles = tmp_path / "imd.csv"
    deciles.write_text("ward_code,value\n" + "".join(f"{c},{r[5]}\n" for c, r in WARDS.items()))
    bad = tmp_path / "bad.csv"
    bad.write_text("ward_code,value\nE05015460,lots\nE05999999,4\n")
    boundaries = tmp_path / "wards.geojson"
    features = [
        {"type": "Feature", "properties": {"WD24CD": c}, "geometry": square(r[2], r[3])}
        for c, r in WARDS.items()
    ]
    boundaries.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    sign_in_page(page, client, live_server, "officer")
    page.set_viewport_size(DESKTOP)

    # A bad file first: each problem by row, and nothing saved.
    upload_figures(page, live_server, bad, "Population", "ONS mid-year estimates")
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.get_by_text("value “lots” is not a number", exact=False).is_visible()
    assert page.get_by_text("No ward has the ONS code E05999999", exact=False).is_visible()
    assert_accessible(page)
    assert not WardFigure.objects.exists()

    upload_figures(page, live_server, population, "Population", "ONS mid-year estimates")
    assert page.get_by_text("Saved Population (2022) for 15 wards").is_visible()
    upload_figures(
        page, live_server, deciles, "IMD decile (1 is the most deprived 10%)", "MHCLG IoD 2019"
    )
    assert page.get_by_text("Saved IMD decile (2022) for 15 wards").is_visible()
    page.goto(live_server.url + "/staff/wards/upload/boundaries/")
    page.get_by_label("Source").fill("ONS Open Geography Portal")
    page.get_by_label("Year").fill("2024")
    page.get_by_label("GeoJSON file").set_input_files(str(boundaries))
    page.get_by_role("button", name="Check and save").click()
    expect(page.get_by_text("Saved the boundaries of 15 wards")).to_be_visible()
    assert WardFigure.objects.count() == 30 and WardBoundary.objects.count() == 15

    # Sort by IMD decile, most deprived first: Basildon South (decile 1) is flagged.
    page.locator(".cc-matrix thead a", has_text="IMD decile").click()  # largest first
    page.locator(".cc-matrix thead a", has_text="IMD decile").click()  # then smallest first
    first = page.locator(".cc-matrix tbody tr").first
    assert first.locator("th").inner_text().startswith("Basildon South")
    assert "High need, low provision" in first.inner_text()
    assert page.get_by_text("an IMD decile of 3 or lower", exact=False).is_visible()

    # Map services per 1,000 and read Basildon Central's figure in the table beside it.
    page.get_by_label("Colour the map by").select_option(label="Services per 1,000")
    page.get_by_role("button", name="Show on the map").click()
    assert page.locator("#map-heading").inner_text() == "Map: Services per 1,000"
    assert page.locator(".cc-map svg path").count() == 15
    columns = [
        h.inner_text() for h in page.locator(".cc-matrix thead tr").nth(1).locator("th").all()
    ]
    index = next(i for i, h in enumerate(columns) if h.startswith("Services per 1,000"))
    matrix_row = page.locator(".cc-matrix tbody tr", has_text="Basildon Central")
    in_matrix = matrix_row.locator("th, td").nth(index).inner_text().split(",")[0].strip()
    in_map_table = (
        page.locator("#map-table tr", has_text="Basildon Central").locator("td").inner_text()
    )
    assert in_matrix == in_map_table
    assert float(in_map_table) > 0
    assert_accessible(page)
    screenshot("ward-matrix-desktop")

    page.set_viewport_size(PHONE)
    page.reload()
    assert page.locator(".cc-map svg").is_visible()
    # The page never scrolls sideways; the wide table scrolls inside its own focusable region.
    assert (
        page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > window.innerWidth + 1 && !e.closest('.cc-table-scroll'))"
            ".map(e => e.tagName + '.' + e.className)"
        )
        == []
    )
    assert fits_the_screen(page)
    region = page.locator(".cc-table-scroll", has=page.locator(".cc-matrix"))
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside
    region.focus()
    assert region.evaluate("e => e === document.activeElement")
    assert_accessible(page)
    screenshot("ward-matrix-phone")


def test_the_printed_matrix_is_a_committee_paper_table_on_landscape_a4(
    live_server, page, client, demo
):
    sign_in_page(page, client, live_server, "officer")
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/staff/wards/")
    wards = page.locator(".cc-matrix tbody th").evaluate_all(
        "cells => cells.map(c => c.querySelector('a').textContent)"
    )
    assert len(wards) == 15
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1032, "height": 730})  # A4 landscape less 12 mm margins
    # No navigation, filters or links list: only the title, the rule, the table and the map.
    for hidden in ("header", ".govuk-service-navigation", ".govuk-breadcrumbs", "form", "footer"):
        assert all(not e.is_visible() for e in page.locator(hidden).all()), hidden
    printed = page.locator("main").inner_text()
    assert all(name in printed for name in wards)  # every ward's row, none scrolled away
    # The whole table across the page: no column cut off at the paper's edge.
    assert page.locator(".cc-matrix").evaluate(
        "t => t.getBoundingClientRect().right <= t.parentElement.getBoundingClientRect().right"
    )
    # The headers repeat on each printed page.
    assert (
        page.locator(".cc-matrix thead").evaluate("e => getComputedStyle(e).display")
        == "table-header-group"
    )
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(float(w) > float(h) for w, h in boxes)  # landscape
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}  # A4
    # 15 demo wards print on 5 pages: title and table, the sources, the map and its table.
    assert 1 <= len(boxes) <= 5
