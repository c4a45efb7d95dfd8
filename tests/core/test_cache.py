"""Public pages cached with Django's cache_page under one version key (core.cache): a
published change shows at once, and nothing personal is served from the shared cache.

The suite's cache is LocMemCache, a real backend: these tests run with the page cache on."""

import datetime

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone

from core.cache import VERSION_KEY, VersionPerRequestMiddleware, bump, public_page, version
from directory.models import Service
from tests.factories import (
    ActivityFactory,
    EngagementFactory,
    HubFactory,
    OrganisationFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")
HOME = reverse("home")


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def served_from_cache(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return not queries.captured_queries


def test_an_officers_edit_shows_at_once_on_the_search_service_and_home_pages(
    client, django_capture_on_commit_callbacks
):
    food = TaxonomyTermFactory(name="Food", slug="food")
    service = ServiceFactory(name="Food bank", categories=[food])
    pages = [(SEARCH, {"q": "food"}), (HOME, {})]
    for url, params in pages:
        client.get(url, params)
        assert served_from_cache(client, url, params)  # the cache is on
    assert "1 service<" in client.get(HOME).content.decode()

    with django_capture_on_commit_callbacks(execute=True):  # as the admin saves it
        service.name = "Food larder"
        service.save()
        ServiceFactory(name="Soup kitchen", categories=[food])

    search = client.get(SEARCH, {"q": "food"}).content.decode()
    assert "Food larder" in search and "Food bank<" not in search
    assert "Food larder" in client.get(service.get_absolute_url()).content.decode()
    assert "2 services<" in client.get(HOME).content.decode()


def test_unpublishing_takes_a_service_off_the_cached_pages_at_once(client):
    food = TaxonomyTermFactory(name="Food", slug="food")
    service = ServiceFactory(name="Food bank", categories=[food])
    assert "Food bank" in client.get(SEARCH, {"q": "food"}).content.decode()
    assert "Browse by category" in client.get(HOME).content.decode()

    service.publication = Service.Publication.DRAFT
    service.save()

    assert "Food bank" not in client.get(SEARCH, {"q": "food"}).content.decode()
    assert "Browse by category" not in client.get(HOME).content.decode()
    assert client.get(service.get_absolute_url()).status_code == 404


def test_the_organisation_page_shows_a_new_service_at_once(client):
    organisation = OrganisationFactory(name="Good Neighbours", slug="good-neighbours")
    url = reverse("directory:organisation", args=[organisation.slug])
    client.get(url)
    assert served_from_cache(client, url)

    ServiceFactory(organisation=organisation, name="Befriending")

    assert "Befriending" in client.get(url).content.decode()


def test_saving_a_service_bumps_the_version_key():
    # The guard: every cached public page is keyed with this version.
    before = version()

    ServiceFactory(name="Food bank")

    assert version() != before


def test_a_search_page_asks_the_cache_for_the_version_once(client, monkeypatch, settings):
    ServiceFactory(name="Food bank")
    backend = type(caches["default"])
    asked = []

    def get(self, key, *args, **kwargs):
        asked.append(key)
        return real_get(self, key, *args, **kwargs)

    real_get = backend.get
    monkeypatch.setattr(backend, "get", get)
    for seconds in (60, 0):  # the page cache's own key, then the cards, filters and panel
        settings.PUBLIC_PAGE_CACHE_SECONDS = seconds
        asked.clear()

        assert b"Food bank" in client.get(SEARCH, {"q": "food"}).content
        assert asked.count(VERSION_KEY) == 1, asked


def test_a_page_keeps_the_version_it_read_while_another_request_changes_it():
    seen = []

    def view(request):
        seen.append(version())
        cache.set(VERSION_KEY, "changed by another request")
        seen.append(version())
        return HttpResponse()

    VersionPerRequestMiddleware(view)(RequestFactory().get(SEARCH))

    assert seen[0] == seen[1] != "changed by another request"
    assert version() == "changed by another request"  # the next request reads it


def test_a_request_that_changes_what_pages_show_reads_the_new_version():
    seen = []

    def view(request):
        seen.append(version())
        bump()  # as publishing a service does
        seen.append(version())
        return HttpResponse()

    VersionPerRequestMiddleware(view)(RequestFactory().get(SEARCH))

    assert seen[0] != seen[1] == cache.get(VERSION_KEY)


def test_logging_a_session_at_a_hub_leaves_the_public_pages_cached(client):
    ServiceFactory(name="Food bank")
    activity = ActivityFactory(name="Coffee morning")
    pages = [(SEARCH, {"q": "food"}), (HOME, {})]
    for url, params in pages:
        client.get(url, params)

    EngagementFactory(hub=activity.hub, activity=activity, people=12)  # as a coordinator logs

    # No public page shows engagements: their figures are cached under their own key.
    assert all(served_from_cache(client, url, params) for url, params in pages)


def test_a_hubs_new_activity_shows_on_its_page_at_once(client):
    hub = HubFactory()
    client.get(hub.get_absolute_url())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    ActivityFactory(hub=hub, name="Chair yoga", weekday=tomorrow.weekday())

    assert "Chair yoga" in client.get(hub.get_absolute_url()).content.decode()


def test_a_signed_in_person_gets_a_fresh_page_and_visitors_never_see_their_name(officer):
    officer.first_name, officer.last_name = "Olive", "Officer"
    officer.save()
    ServiceFactory(name="Food bank")
    staff = Client()
    staff.force_login(officer)
    visitor = Client()
    for url in (HOME, f"{SEARCH}?q=food"):
        visitor.get(url)  # cached for visitors
        assert served_from_cache(visitor, url)
        assert not served_from_cache(staff, url)  # a session: never the shared copy
        staff.get(reverse("dashboard"))  # a staff page, with the name and a CSRF form

        page = visitor.get(url).content.decode()

        assert "Olive" not in page and officer.get_username() not in page
        assert "csrfmiddlewaretoken" not in page


def test_a_visitors_shortlist_is_not_served_to_another_visitor(client):
    service = ServiceFactory(name="Food bank")
    other = Client()
    other.get(SEARCH, {"q": "food"})  # cached, with no shortlist
    client.post(reverse("directory:shortlist_add"), {"service": str(service.uuid)})

    mine = client.get(SEARCH, {"q": "food"}).content.decode()
    theirs = other.get(SEARCH, {"q": "food"}).content.decode()

    assert "Your shortlist (1 service)" in mine
    assert "Your shortlist" not in theirs


def test_messages_are_not_served_from_the_cache(client):
    # A visitor with messages has a cookie (session or messages), so skips the cache.
    client.cookies["messages"] = "anything"
    client.get(SEARCH)

    assert not served_from_cache(client, SEARCH)


def _token_page(request):
    return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")


urlpatterns = [path("token/", public_page(_token_page))]


@pytest.mark.urls(__name__)
def test_a_page_with_a_csrf_token_is_never_shared():
    first = Client().get("/token/")
    second = Client().get("/token/")

    assert "csrftoken" in first.cookies and "csrftoken" in second.cookies
    assert first.content != second.content
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
