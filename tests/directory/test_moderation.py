"""The moderation queue: what is waiting, oldest first; Approve (with the organisation) and
Reject (with a reason) on each; the sender told by email; officers only."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from directory.models import Service, Suggestion
from partners.models import Organisation
from tests.factories import OrganisationFactory, ServiceFactory, SuggestionFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("directory_staff:queue")


def approve(client, suggestion, **data):
    return client.post(reverse("directory_staff:approve", args=[suggestion.pk]), data)


def reject(client, suggestion, **data):
    return client.post(reverse("directory_staff:reject", args=[suggestion.pk]), data)


def _age(suggestion, days):
    Suggestion.objects.filter(pk=suggestion.pk).update(
        created=timezone.now() - datetime.timedelta(days=days)
    )


def test_the_queue_shows_what_is_waiting_oldest_first(officer_client):
    SuggestionFactory(name="Newer group")
    older = SuggestionFactory(name="Older group")
    _age(older, 5)
    report = SuggestionFactory(
        name="Lunch club", kind=Suggestion.Kind.CHANGE, service=ServiceFactory(), details="Moved"
    )
    _age(report, 2)
    SuggestionFactory(name="Decided group", status=Suggestion.Status.REJECTED)

    html = officer_client.get(QUEUE).content.decode()

    titles = re.findall(r'class="govuk-summary-card__title">(SUG-\w+): ([^<]+)', html)
    assert [name.strip() for _, name in titles] == ["Older group", "Lunch club", "Newer group"]
    assert "3 waiting, oldest first" in html and "Moved" in html


def test_the_picker_starts_on_the_matching_organisation_or_a_new_one(officer_client):
    OrganisationFactory(name="Community Organisation")
    matched = SuggestionFactory(organisation_name="community organisation")
    unknown = SuggestionFactory(organisation_name="Brand New Trust")

    html = officer_client.get(QUEUE).content.decode()

    def selected(suggestion):
        select = re.search(
            rf'<select[^>]*id="organisation-{suggestion.pk}".*?</select>', html, re.S
        ).group(0)
        return re.search(r'<option value="([^"]*)" selected>([^<]*)', select).group(2)

    assert selected(matched) == "Community Organisation"
    assert selected(unknown) == "New: “Brand New Trust” (from the suggestion)"


def test_approving_with_an_existing_organisation_publishes_and_emails_the_sender(
    officer_client, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Basildon CVS")
    suggestion = SuggestionFactory(
        name="Chatty cafe", submitter_name="Sam", submitter_email="sam@example.org"
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = approve(officer_client, suggestion, organisation=str(organisation.pk))

    assert response.status_code == 302 and response["Location"] == QUEUE
    service = Service.objects.get(name="Chatty cafe")
    assert service.organisation == organisation
    assert service.publication == Service.Publication.PUBLISHED
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED and suggestion.service == service
    [email] = mail.outbox
    assert email.to == ["sam@example.org"] and suggestion.reference in email.subject
    assert "Chatty cafe is now listed" in email.body
    assert "Approved" in officer_client.get(QUEUE).content.decode()


def test_approving_with_a_new_organisation_creates_it_in_the_same_step(officer_client):
    suggestion = SuggestionFactory(name="Repair cafe", organisation_name="Pitsea Fixers")

    approve(officer_client, suggestion, organisation="new")

    organisation = Organisation.objects.get(name="Pitsea Fixers")
    assert organisation.kind == Organisation.Kind.COMMUNITY_GROUP
    assert Service.objects.get(name="Repair cafe").organisation == organisation
    assert mail.outbox == []  # no email address was given


def test_approving_without_an_organisation_shows_the_error_on_that_item(officer_client):
    suggestion = SuggestionFactory(organisation_name="")

    response = approve(officer_client, suggestion, organisation="")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in html
    assert f'href="#organisation-{suggestion.pk}">Choose the organisation that runs it' in html
    assert Suggestion.objects.get().status == Suggestion.Status.PENDING
    assert not Service.objects.exists()


def test_approving_a_change_report_needs_no_organisation(officer_client):
    service = ServiceFactory(phone="01268 000000")
    report = SuggestionFactory(kind=Suggestion.Kind.CHANGE, service=service, phone="01268 111111")

    approve(officer_client, report)

    service.refresh_from_db()
    assert service.phone == "01268 111111"
    assert Suggestion.objects.get().status == Suggestion.Status.APPROVED


def test_rejecting_needs_a_reason_which_the_sender_is_told(
    officer_client, django_capture_on_commit_callbacks
):
    suggestion = SuggestionFactory(name="Cold calling", submitter_email="x@example.org")

    missing = reject(officer_client, suggestion, reason="  ")
    assert missing.status_code == 200
    assert "Enter why it is rejected" in missing.content.decode()
    assert Suggestion.objects.get().status == Suggestion.Status.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        reject(officer_client, suggestion, reason="It is a business selling door to door.")

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert suggestion.decision_note == "It is a business selling door to door."
    [email] = mail.outbox
    assert "because: It is a business selling door to door." in email.body


def test_a_suggestion_decided_meanwhile_is_said_so_not_decided_twice(officer_client, officer):
    suggestion = SuggestionFactory(status=Suggestion.Status.APPROVED)

    response = officer_client.post(
        reverse("directory_staff:reject", args=[suggestion.pk]), {"reason": "Spam"}, follow=True
    )

    assert "already been approved" in response.content.decode()
    assert Suggestion.objects.get().status == Suggestion.Status.APPROVED


@pytest.mark.parametrize("persona", ["coordinator_a", "partner_contact"])
def test_only_officers_moderate(client, request, persona):
    suggestion = SuggestionFactory()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(QUEUE).status_code == 403
    assert approve(client, suggestion, organisation="new").status_code == 403
    assert reject(client, suggestion, reason="No").status_code == 403
    assert Suggestion.objects.get().status == Suggestion.Status.PENDING


def test_decisions_are_posts(officer_client):
    suggestion = SuggestionFactory()
    assert (
        officer_client.get(reverse("directory_staff:approve", args=[suggestion.pk])).status_code
        == 405
    )


@pytest.mark.parametrize(
    "data",
    [
        {"organisation": "\x00"},
        {"organisation": "9" * 400},
        {"organisation": "-1"},
        {"organisation": "<script>"},
        {"reason": "\x00"},
        {"reason": "x" * 10_000},
    ],
)
def test_bad_input_gets_a_message_never_a_500(officer_client, data):
    suggestion = SuggestionFactory(organisation_name="")
    view = approve if "organisation" in data else reject
    response = view(officer_client, suggestion, **data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert Suggestion.objects.get().status == Suggestion.Status.PENDING


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "0"])
def test_impossible_suggestions_are_a_404(officer_client, pk):
    assert officer_client.post(f"/staff/directory/suggestions/{pk}/approve/").status_code == 404
    assert officer_client.post(f"/staff/directory/suggestions/{pk}/reject/").status_code == 404


@pytest.mark.parametrize("page", ["\x00", "9" * 400, "-1", "abc"])
def test_queue_page_parameter_never_fails(officer_client, page):
    assert officer_client.get(QUEUE, {"page": page}).status_code in (200, 400)


def test_queue_queries_do_not_grow_with_the_queue(officer_client, django_assert_max_num_queries):
    for _ in range(3):
        OrganisationFactory()
    SuggestionFactory.create_batch(15)
    officer_client.get(QUEUE)
    # 12 with 15 waiting as with 1: sign-in and scope, the count and the page, their
    # categories, the organisations, the session.
    with django_assert_max_num_queries(12):
        assert officer_client.get(QUEUE).status_code == 200
