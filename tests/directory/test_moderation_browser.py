"""An officer works through the moderation queue in real Chromium, with axe-core."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from directory.models import Service, Suggestion
from tests.browser import (
    DESKTOP,
    ERROR_TITLE,
    PHONE,
    assert_accessible,
    fits_the_screen,
    sign_in_page,
)
from tests.factories import OrganisationFactory, SuggestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_approves_a_suggestion_from_the_queue_in_three_actions(
    live_server, page, client, officer
):
    OrganisationFactory(name="Basildon CVS")
    OrganisationFactory(name="Wickford Lions")
    suggestion = SuggestionFactory(
        name="Knit and natter",
        organisation_name="Wickford Lions Club",  # not an exact match: the officer picks
        submitter_email="resident@example.org",
    )
    SuggestionFactory(name="Another group")
    sign_in_page(page, client, live_server, officer.username)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/staff/")

    # 1: the dashboard's figure opens the queue.
    page.get_by_role("link", name="suggestions waiting for review").click()
    expect(page.locator("h1")).to_have_text("Suggestions to review")
    assert_accessible(page)
    card = page.locator(f"#suggestion-{suggestion.pk}")
    # 2: the organisation that runs it.
    card.get_by_label("Organisation that runs it").select_option(label="Wickford Lions")
    # 3: approve.
    card.get_by_role("button", name=f"Approve {suggestion.reference}").click()
    page.locator(".govuk-notification-banner").wait_for()

    assert f"Approved {suggestion.reference}: Knit and natter is published." in (
        page.locator(".govuk-notification-banner").inner_text()
    )
    assert page.locator(f"#suggestion-{suggestion.pk}").count() == 0
    assert_accessible(page)
    service = Service.objects.get(name="Knit and natter")
    assert service.organisation.name == "Wickford Lions"
    assert service.publication == Service.Publication.PUBLISHED
    assert Suggestion.objects.get(pk=suggestion.pk).status == Suggestion.Status.APPROVED
    assert [m.to for m in mail.outbox] == [["resident@example.org"]]
    page.goto(live_server.url + service.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Knit and natter")


def test_officer_rejects_with_a_reason_on_a_phone(live_server, page, client, officer):
    suggestion = SuggestionFactory(name="Double glazing offers", submitter_email="x@example.org")
    sign_in_page(page, client, live_server, officer.username)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/staff/directory/suggestions/")
    assert fits_the_screen(page)
    assert_accessible(page)

    page.get_by_text(f"Reject {suggestion.reference}").first.click()
    page.get_by_role("button", name=f"Reject {suggestion.reference}").click()
    # No reason: the error is on that suggestion, and the page stays accessible.
    page.wait_for_url("**/reject/")
    expect(page).to_have_title(ERROR_TITLE)  # waits for the page
    assert_accessible(page)
    page.get_by_label("Reason").fill("A business selling door to door.")
    page.get_by_role("button", name=f"Reject {suggestion.reference}").click()
    page.wait_for_url("**/suggestions/")

    assert "Nothing is waiting for review." in page.locator("main").inner_text()
    assert fits_the_screen(page)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert "because: A business selling door to door." in mail.outbox[0].body
