"""Staff account pages at phone width, with the accessibility check."""

import pytest
from playwright.sync_api import expect

from tests.browser import ERROR_TITLE, PHONE, assert_accessible

pytestmark = pytest.mark.browser


def test_officer_invites_someone_on_a_phone(live_server, page, client, officer, hub_a):
    client.force_login(officer)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/staff/accounts/")
    expect(page.locator("h1")).to_have_text("Staff accounts")
    assert_accessible(page)
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert_accessible(page)

    page.get_by_label("First name").fill("Cara")
    page.get_by_label("Last name").fill("Coordinator")
    page.get_by_label("Email").fill("cara@example.org")
    page.get_by_label("Hub coordinator").check()
    page.get_by_label("Hub (optional)").select_option(label=hub_a.name)
    page.get_by_role("button", name="Send invitation").click()

    assert "Invitation sent to cara@example.org" in page.content()
    assert page.get_by_role("cell", name="Hub coordinator Hub A").count() == 1
    assert_accessible(page)
