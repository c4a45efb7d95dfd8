"""Enrolment and two-factor sign-in in real Chromium, with the accessibility check."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from core.roles import COORDINATOR
from tests.browser import PHONE, assert_accessible
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_coordinator_enrols_then_signs_in_with_a_code(live_server, page, transactional_db):
    UserFactory(username="cora", groups=[COORDINATOR])
    page.set_viewport_size(PHONE)

    page.goto(live_server.url + "/admin/")
    assert page.locator("h1").inner_text() == "Sign in to the staff admin"
    assert_accessible(page)
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Continue").click()

    # Signed in with a password only: the admin sends her to enrol first.
    page.goto(live_server.url + "/admin/")
    assert page.locator("h1").inner_text() == "Set up two-factor sign-in"
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page)
    secret = page.locator("code").inner_text()
    page.get_by_label("Token").fill(f"{totp(b32decode(secret)):06d}")
    page.get_by_role("button", name="Continue").click()
    assert page.locator("h1").inner_text() == "Two-factor sign-in is set up"
    assert_accessible(page)

    page.goto(live_server.url + "/admin/")
    assert "staff admin" in page.locator("#site-name").inner_text()

    # Next time: password, then a code from the app.
    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("cora")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Token").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    # django-otp throttles a device for 1 s after a wrong code (doubling each time).
    page.wait_for_timeout(1100)
    # A code is accepted once; the app's next code (30 s on) is within the allowed drift.
    page.get_by_label("Token").fill(f"{totp(b32decode(secret), t0=-30):06d}")
    page.get_by_role("button", name="Sign in").click()
    assert "staff admin" in page.locator("#site-name").inner_text()
