"""Enrolment and two-factor sign-in in real Chromium, with the accessibility check."""

from base64 import b32decode

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from core.roles import COORDINATOR
from tests.browser import ERROR_TITLE, PHONE, assert_accessible, fits_the_screen
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_coordinator_enrols_then_signs_in_with_a_code(live_server, browser, page, transactional_db):
    UserFactory(username="cora", groups=[COORDINATOR])
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/admin/")
    expect(page.locator("h1")).to_have_text("Sign in to the staff admin")
    assert_accessible(page)
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill("correct-horse-battery")
    with page.expect_navigation():  # the session cookie is set before we go on
        page.get_by_role("button", name="Continue").click()

    # Signed in with a password only: the admin sends her to enrol first.
    page.goto(live_server.url + "/admin/")
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    page.get_by_label("6-digit code").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Continue").click()
    # On to the page she asked for (the set-up page names the staff admin too: wait for it).
    page.wait_for_url(live_server.url + "/admin/")
    assert "staff admin" in page.locator("#site-name").inner_text()

    # Next time, in a new browser (clearing this one's cookies races the responses still
    # on their way, which set the session cookie again): password, then a code from the app.
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("6-digit code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert_accessible(page)
    # django-otp throttles a device for 1 s after a wrong code (doubling each time).
    page.wait_for_timeout(1100)
    # A code is accepted once; the app's next code (30 s on) is within the allowed drift.
    page.get_by_label("6-digit code").fill(f"{totp(b32decode(secret), t0=-30):06d}")
    page.get_by_role("button", name="Sign in").click()
    assert "staff admin" in page.locator("#site-name").inner_text()
    page.context.close()


def test_coordinator_enrols_on_a_320px_phone_and_goes_on_to_log_a_session(
    live_server, page, transactional_db, hub_a
):
    from hubs.models import HubCoordinator

    user = UserFactory(username="cora", groups=[COORDINATOR])
    HubCoordinator.objects.create(user=user, hub=hub_a)
    page.set_viewport_size({"width": 320, "height": 640})

    # She follows a link to the session form and is asked to sign in.
    page.goto(live_server.url + "/staff/hubs/log/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Set up two-factor sign-in")  # waits for the page
    page.get_by_role("button", name="Continue").click()

    # On the phone itself: a link that opens the authenticator app, and a key that wraps.
    link = page.get_by_role("link", name="Add to authenticator app")
    expect(link).to_be_visible()  # waits for the page
    assert fits_the_screen(page)
    assert_accessible(page)
    assert link.get_attribute("href").startswith("otpauth://totp/")
    key = page.locator("#secret-key").inner_text()
    assert [len(group) for group in key.split()] == [4] * 8
    code = page.get_by_label("6-digit code")
    assert code.get_attribute("autocomplete") == "one-time-code"
    assert code.get_attribute("inputmode") == "numeric"
    code.fill(f"{totp(b32decode(key.replace(' ', ''))):06d}")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/hubs/log/")

    # Set up, and straight on to the page she asked for, still fitting the screen.
    expect(page.locator("h1")).to_have_text("Log a session")
    assert "Two-factor sign-in is set up" in page.locator(".govuk-notification-banner").inner_text()
    assert fits_the_screen(page)
    assert user.totpdevice_set.get().confirmed
