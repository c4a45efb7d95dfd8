"""The staff pages issue 25 part B added, axe-clean and without sideways scrolling at a phone's
375 px and a desktop's 1280 px: the moderation queue, the session form with its warning and
tally, a submitted KPI return, and the "Saved" banner with Change and Undo."""

import pytest
from django.utils import timezone

from tests.browser import DESKTOP, PHONE, assert_accessible, fits_the_screen, sign_in_page
from tests.factories import (
    ActivityFactory,
    EngagementFactory,
    KpiReturnFactory,
    OrganisationFactory,
    SuggestionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["375", "1280"])
def test_new_staff_pages_are_accessible_at_both_widths(
    live_server, page, client, officer, coordinator_a, hub_a, size
):
    OrganisationFactory(name="A very long organisation name for a community interest company")
    SuggestionFactory(
        organisation_name="Someone new", submitter_email="a.very.long.address@example.org"
    )
    today = timezone.localdate()
    activity = ActivityFactory(hub=hub_a, name="Coffee morning", weekday=today.weekday())
    EngagementFactory(hub=hub_a, activity=activity, date=today, created_by=coordinator_a)
    page.set_viewport_size(size)

    sign_in_page(page, client, live_server, officer.username)
    kpi_return = KpiReturnFactory()
    for path in ("/staff/directory/suggestions/", f"/staff/returns/{kpi_return.pk}/"):
        page.goto(live_server.url + path)
        assert_accessible(page)
        assert fits_the_screen(page), path

    page.context.clear_cookies()
    sign_in_page(page, client, live_server, coordinator_a.username)
    page.goto(live_server.url + "/staff/hubs/log/")
    assert_accessible(page)  # with the tally
    page.get_by_role("button", name="+1").click()
    page.get_by_role("button", name="Save session").click()
    page.locator("#saved-already").wait_for()
    assert_accessible(page)  # with the warning and "Save anyway"
    assert fits_the_screen(page)
    page.get_by_role("button", name="Save anyway").click()
    page.wait_for_url("**/staff/hubs/")
    assert page.get_by_role("button", name="Undo").is_visible()
    assert_accessible(page)  # the banner with Change and Undo
    assert fits_the_screen(page)
