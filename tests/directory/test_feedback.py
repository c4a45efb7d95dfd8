"""'Was this page useful?' on service pages (directory.feedback), and what officers see."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.forms import HONEYPOT_FIELD
from directory.models import Service, ServiceFeedback
from directory.services import record_feedback
from tests.factories import ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def service():
    return ServiceFactory(name="Lunch club")


def feedback_url(service):
    return reverse("directory:feedback", args=[service.uuid])


def test_the_service_page_asks_and_the_answer_is_stored(client, service):
    page = client.get(service.get_absolute_url()).content.decode()
    assert "Was this page useful?" in page
    assert f'action="{feedback_url(service)}"' in page
    assert "Do not include personal information" in page

    response = client.post(feedback_url(service), {"useful": "no", "comment": "  Times wrong "})
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:feedback_sent", args=[service.uuid])
    stored = ServiceFeedback.objects.get()
    assert (stored.service, stored.useful, stored.comment) == (service, False, "Times wrong")
    assert "Thank you for your feedback" in client.get(response["Location"]).content.decode()


def test_yes_without_a_comment_is_enough(client, service):
    client.post(feedback_url(service), {"useful": "yes"})
    assert ServiceFeedback.objects.get().useful is True


def test_the_form_asks_for_nothing_about_the_person(service):
    from directory.forms import FeedbackForm

    assert set(FeedbackForm().fields) == {"useful", "comment", HONEYPOT_FIELD}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select yes if this page was useful"),
        ({"useful": "maybe"}, "Select yes if this page was useful"),
        ({"useful": "yes", "comment": "x" * 1201}, "Comment must be 1200 characters or fewer"),
        ({"useful": "yes", HONEYPOT_FIELD: "http://spam.example"}, "could not be accepted"),
    ],
)
def test_bad_feedback_gets_a_clear_message_and_nothing_is_stored(client, service, data, message):
    response = client.post(feedback_url(service), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<title>Error: Feedback on Lunch club" in page
    assert not ServiceFeedback.objects.exists()


def test_a_nul_in_feedback_is_refused(client, service):
    response = client.post(feedback_url(service), {"useful": "yes", "comment": "hi\x00"})
    assert response.status_code in (200, 400)
    assert not ServiceFeedback.objects.exists()


def test_feedback_is_rate_limited(client, service, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_form": "2/h"}
    for _ in range(2):
        assert client.post(feedback_url(service), {"useful": "yes"}).status_code == 302
    response = client.post(feedback_url(service), {"useful": "yes"})
    assert response.status_code == 429
    assert "too many forms" in response.content.decode()
    assert ServiceFeedback.objects.count() == 2


def test_only_published_listings_take_feedback(client, service):
    draft = ServiceFactory(publication=Service.Publication.DRAFT)
    for url in (feedback_url(draft), reverse("directory:feedback_sent", args=[draft.uuid])):
        assert client.get(url).status_code == 404
    assert client.post(feedback_url(draft), {"useful": "yes"}).status_code == 404
    unknown = "/directory/services/12345678-1234-1234-1234-1234567890ab/feedback/"
    assert client.post(unknown, {"useful": "yes"}).status_code == 404
    assert "Was this page useful?" not in client.get(draft.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        record_feedback(service=draft, useful=True)
    assert not ServiceFeedback.objects.exists()


def test_officers_see_feedback_beside_the_review_status(officer_client, service):
    record_feedback(service=service, useful=True)
    record_feedback(service=service, useful=False, comment="The hall has moved")
    other = ServiceFactory(name="Warm space")

    listing = officer_client.get(reverse("admin:directory_service_changelist"))
    page = listing.content.decode()
    assert "Was it useful?" in page and "Needs review" in page
    assert "1 yes, 1 no" in page
    assert "No answers" in page  # the other listing

    change = officer_client.get(reverse("admin:directory_service_change", args=[service.pk]))
    text = change.content.decode()
    assert "Residents’ feedback" in text or "Residents&#x27; feedback" in text
    assert "Not useful: The hall has moved" in text

    answers = officer_client.get(
        reverse("admin:directory_servicefeedback_changelist"),
        {"service__id__exact": service.pk},
    )
    assert answers.status_code == 200
    assert "The hall has moved" in answers.content.decode()
    assert other.name not in answers.content.decode()


def test_the_listings_page_counts_feedback_in_a_constant_number_of_queries(
    officer_client, django_assert_max_num_queries
):
    url = reverse("admin:directory_service_changelist")
    officer_client.get(url)
    with django_assert_max_num_queries(30) as few:
        officer_client.get(url)
    for service in ServiceFactory.create_batch(10):
        record_feedback(service=service, useful=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "1 yes, 0 no" in officer_client.get(url).content.decode()


def test_feedback_is_read_only_to_officers_and_hidden_from_coordinators(
    officer_client, service, client
):
    answer = record_feedback(service=service, useful=True)
    change = reverse("admin:directory_servicefeedback_change", args=[answer.pk])
    assert officer_client.get(reverse("admin:directory_servicefeedback_add")).status_code == 403
    response = officer_client.post(change, {"useful": "", "comment": "changed"})
    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.comment == ""

    coordinator = UserFactory(username="coord", groups=["Hub coordinator"], is_staff=True)
    client.force_login(coordinator)
    listing = client.get(reverse("admin:directory_servicefeedback_changelist"))
    assert listing.status_code == 403
