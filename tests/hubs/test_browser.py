"""Hub pages in real Chromium at phone width, with axe-core (WCAG 2.2 AA)."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from hubs.models import Engagement
from tests.browser import ERROR_TITLE, PHONE, assert_accessible
from tests.factories import ActivityFactory, EngagementFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, client, live_server, user):
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_hub_list_and_page_are_accessible_on_a_phone(live_server, page, screenshot, hub_a):
    # Tomorrow's session: one today drops off the page once it has finished (10:30am).
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    ActivityFactory(
        hub=hub_a,
        name="Coffee morning",
        weekday=tomorrow.weekday(),
        run_by=OrganisationFactory(name="Friendly Charity"),
    )
    hub_a.focus_areas = "Loneliness and isolation\nMoney advice"
    hub_a.opening_times = "Monday to Friday, 8:30am to 5pm"
    hub_a.save()
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/hubs/")
    assert_accessible(page)
    page.get_by_role("link", name="Hub A").click()

    expect(page.locator("h1")).to_have_text("Hub A")
    assert page.get_by_text("9am to 10:30am: Coffee morning").is_visible()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("hub-page-phone")


def test_coordinator_logs_a_session_on_a_phone_in_under_a_minute(
    live_server, page, screenshot, client, coordinator_a, hub_a
):
    # Not today's session, whose label adds its time ("Coffee morning, today 09:00").
    tomorrow = (timezone.localdate().weekday() + 1) % 7
    ActivityFactory(hub=hub_a, name="Coffee morning", weekday=tomorrow)
    EngagementFactory(hub=hub_a, activity=None, date=timezone.localdate(), people=5)
    sign_in(page, client, live_server, coordinator_a)
    page.set_viewport_size(PHONE)
    started = time.monotonic()

    page.goto(live_server.url + "/staff/hubs/")
    page.get_by_role("button", name="Log today's session").click()
    assert_accessible(page)
    page.get_by_label("Activity").select_option(label="Coffee morning")
    page.get_by_label("How many people came?").fill("18")
    page.get_by_label("How many of them were new to the hub?").fill("20")
    page.get_by_role("button", name="Save session").click()

    # A mistake is explained, and the page stays accessible with the error summary.
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.get_by_text("cannot be more than the total").first.is_visible()
    assert_accessible(page)
    screenshot("log-session-error-phone")
    page.get_by_label("How many of them were new to the hub?").fill("4")
    page.get_by_text("Ages (optional)").click()
    page.get_by_label("65 and over").fill("6")
    page.get_by_role("button", name="Save session").click()

    expect(page.get_by_text("Saved: 18 people at Coffee morning")).to_be_visible()
    # This month's figures now include the session: 5 earlier + 18.
    assert page.locator(".cc-figure__number").first.inner_text() == "23"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("log-session-saved-phone")
    assert time.monotonic() - started < 60
    engagement = Engagement.objects.get(people=18)
    assert (engagement.new_people, engagement.age_65_plus) == (4, 6)


def test_officer_sees_the_borough_chart_and_table_on_a_phone(
    live_server, page, screenshot, client, officer, hub_a, hub_b
):
    EngagementFactory(hub=hub_a, date=timezone.localdate(), people=30)
    EngagementFactory(hub=hub_b, date=timezone.localdate() - datetime.timedelta(days=40))
    sign_in(page, client, live_server, officer)
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/staff/hubs/reports/")

    assert page.locator("svg[role=img] title").first.text_content() == (
        "People at hub sessions each month"
    )
    assert page.get_by_role("columnheader", name="Borough total").is_visible()
    assert_accessible(page)
    screenshot("reports-phone")


def test_coordinator_on_a_phone_counts_30_people_in_by_tally_and_is_warned_of_a_double(
    live_server, page, screenshot, client, coordinator_a, hub_a
):
    ActivityFactory(hub=hub_a, name="Chair yoga", weekday=(timezone.localdate().weekday() + 1) % 7)
    ActivityFactory(
        hub=hub_a,
        name="Coffee morning",
        weekday=timezone.localdate().weekday(),
        start_time=datetime.time(0, 0),
    )
    sign_in(page, client, live_server, coordinator_a)
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/staff/hubs/log/")
    # Today's session is chosen already; she taps +1 as each person comes in.
    assert page.get_by_label("Activity").input_value() != ""
    assert "Coffee morning" in page.locator("#id_activity option:checked").inner_text()
    add = page.get_by_role("button", name="+1")
    box = add.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a thumb's target
    for _ in range(31):
        add.click()
    page.get_by_role("button", name="−1").click()  # one went out again
    assert page.get_by_role("status").inner_text() == "Counted: 30 people"
    assert page.get_by_label("How many people came?").input_value() == "30"
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("log-session-tally-phone")
    page.get_by_role("button", name="Save session").click()

    page.wait_for_url("**/staff/hubs/")
    assert page.get_by_text("Saved: 30 people at Coffee morning").is_visible()
    assert_accessible(page)
    engagement = Engagement.objects.get()
    assert (engagement.people, engagement.activity.name) == (30, "Coffee morning")

    # The same session again is warned about, and nothing is saved until she says so.
    page.goto(live_server.url + "/staff/hubs/log/")
    page.get_by_label("How many people came?").fill("30")
    page.get_by_role("button", name="Save session").click()
    page.locator("#saved-already").wait_for()
    assert page.get_by_text("looks like a session that is saved already").is_visible()
    assert_accessible(page)
    assert Engagement.objects.count() == 1


def test_the_number_field_works_without_javascript(
    live_server, phone_without_javascript, client, coordinator_a, hub_a
):
    page = phone_without_javascript
    sign_in(page, client, live_server, coordinator_a)

    page.goto(live_server.url + "/staff/hubs/log/")
    assert page.get_by_role("button", name="+1").count() == 0
    page.get_by_label("How many people came?").fill("30")
    page.get_by_role("button", name="Save session").click()

    page.wait_for_url("**/staff/hubs/")
    assert page.get_by_text("Saved: 30 people").is_visible()
    assert Engagement.objects.get().people == 30
