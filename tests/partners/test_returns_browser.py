"""The partner's KPI returns page in real Chromium at phone width, with axe-core (WCAG 2.2
AA), through to confirming the pre-filled figure."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import Kpi, KpiReturn
from partners.performance import Quarter
from tests.browser import PHONE_390, assert_accessible, fits_the_screen, sign_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_partner_sees_its_returns_on_a_phone_and_confirms_the_prefilled_figure(
    live_server, page, screenshot, client, demo
):
    sign_in_page(page, client, live_server, "partner")
    page.set_viewport_size(PHONE_390)

    page.goto(live_server.url + "/staff/returns/")

    expect(page.locator("h1")).to_have_text("KPI returns")
    assert "SLA-001" in page.locator("main").inner_text()
    assert_accessible(page)
    assert fits_the_screen(page)
    screenshot("kpi-returns-partner-phone")

    last_quarter = Quarter.containing(timezone.localdate()).previous()
    page.get_by_role(
        "link",
        name=f"Check and submit the {last_quarter.label} return for "
        "People at sessions at the hubs it leads",
    ).click()
    value = page.locator("#id_value").input_value()
    assert int(value) > 0
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/staff/returns/\d+/$"))

    saved = KpiReturn.objects.get(
        kpi__measure="hub_people", financial_year=last_quarter.year, quarter=last_quarter.number
    )
    assert saved.value == saved.computed_value == int(value)
    # She lands on the return she sent: its rating and what happens next.
    expect(page.locator("h1")).to_have_text(
        f"People at sessions at the hubs it leads, {last_quarter.label} return"
    )
    assert page.locator("#rating").inner_text() == f"Rating: {saved.rating.label}"
    assert "What happens next" in page.locator("main").inner_text()
    assert "Return submitted" in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    assert fits_the_screen(page)
    screenshot("kpi-return-submitted-phone")
    page.get_by_role("link", name="Back to KPI returns").click()
    assert f"Submitted: {int(value):,} people" in page.locator("main").inner_text()


def test_a_kpi_not_yet_reported_says_from_when_on_a_phone(
    live_server, page, screenshot, client, demo
):
    this_quarter = Quarter.containing(timezone.localdate())
    kpi = Kpi.objects.get(measure="hub_people", agreement__reference="SLA-001")
    kpi.reported_from = this_quarter.start
    kpi.save()
    sign_in_page(page, client, live_server, "partner")
    page.set_viewport_size(PHONE_390)

    page.goto(live_server.url + "/staff/returns/")

    assert (
        f"Not due: reported from {this_quarter.start:%-d %B %Y}"
        in page.locator("main").inner_text()
    )
    assert_accessible(page)
    assert fits_the_screen(page)
    screenshot("kpi-returns-not-yet-reported-phone")
