"""'Was this page useful?' answered on a phone and read by an officer, in real Chromium."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from directory.models import ServiceFeedback
from tests.browser import (
    DESKTOP,
    ERROR_TITLE,
    PHONE,
    assert_accessible,
    fits_the_screen,
    sign_in_page,
)
from tests.factories import ServiceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def service(transactional_db):
    cache.clear()
    return ServiceFactory(name="Lunch club")


def test_feedback_sent_on_a_phone_is_seen_by_an_officer(live_server, service, page, client):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + service.get_absolute_url())
    assert_accessible(page)
    # Sent without an answer: the error, on the form's own page.
    page.get_by_role("button", name="Send feedback").click()
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert page.get_by_role("link", name="Select yes if this page was useful").is_visible()
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_label("No").check()
    page.get_by_label("How could we improve it? (optional)").fill("The hall has moved")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    assert_accessible(page)
    stored = ServiceFeedback.objects.get()
    assert (stored.useful, stored.comment) == (False, "The hall has moved")

    UserFactory(username="officer", groups=["Council officer"], is_staff=True)
    page.set_viewport_size(DESKTOP)
    sign_in_page(page, client, live_server, "officer")
    page.goto(live_server.url + "/admin/directory/service/")
    row = page.locator("tr", has_text="Lunch club")
    assert row.get_by_role("link", name="0 yes, 1 no").is_visible()
    row.get_by_role("link", name="Lunch club").click()
    page.get_by_text("Not useful: The hall has moved").wait_for()  # beside the review status
    assert page.locator(".field-resident_feedback").is_visible()


def test_feedback_pages_are_accessible_on_a_wide_screen(live_server, service, page):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + service.get_absolute_url())
    assert_accessible(page)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    assert_accessible(page)
