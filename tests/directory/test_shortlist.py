"""A shortlist without an account (directory.shortlist): add, remove, share, keep; bad ids."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from directory import shortlist
from directory.models import Service
from tests.factories import LocationFactory, ScheduleFactory, ServiceFactory

pytestmark = pytest.mark.django_db
MINE = reverse("directory:shortlist")
SHARED = reverse("directory:shared_shortlist")
ADD = reverse("directory:shortlist_add")
REMOVE = reverse("directory:shortlist_remove")
KEEP = reverse("directory:shortlist_keep")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def names(response):
    return re.findall(
        r'<h2 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]+">'
        r"([^<]+)</a></h2>",
        response.content.decode(),
    )


def share_link(response):
    return re.search(r'id="share-link" href="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def three():
    services = []
    for n, name in enumerate(["Lunch club", "Warm space", "Debt advice"]):
        service = ServiceFactory(
            name=name,
            phone=f"01268 00000{n}",
            locations=[LocationFactory(name=f"Hall {n}", postcode="SS14 1DL")],
        )
        ScheduleFactory(service=service)
        services.append(service)
    return services


def test_a_resident_adds_three_services_and_sees_them_in_order(client, three):
    for service in three:
        response = client.post(
            ADD, {"service": str(service.uuid), "next": service.get_absolute_url()}
        )
        assert response.status_code == 302
        assert response["Location"] == service.get_absolute_url()
    page = client.get(MINE)
    assert page.status_code == 200
    assert names(page) == ["Lunch club", "Warm space", "Debt advice"]
    text = page.content.decode()
    for service in three:
        assert service.phone in text
    assert "Tuesday 10am to midday" in text and "SS14 1DL" in text
    # The service page says it is on the list and offers to remove it.
    detail = client.get(three[0].get_absolute_url()).content.decode()
    assert "This service is on your shortlist." in detail
    assert "View your shortlist (3 services)" in detail
    # The search page links to it.
    assert "Your shortlist (3 services)" in client.get(reverse("directory:search")).content.decode()


def test_adding_twice_keeps_one_and_removing_takes_it_off(client, three):
    for _ in range(2):
        client.post(ADD, {"service": str(three[0].uuid)})
    client.post(ADD, {"service": str(three[1].uuid)})
    assert names(client.get(MINE)) == ["Lunch club", "Warm space"]
    response = client.post(REMOVE, {"service": str(three[0].uuid)})
    assert response.status_code == 302 and response["Location"] == MINE
    assert names(client.get(MINE)) == ["Warm space"]
    client.post(REMOVE, {"service": str(three[1].uuid)})
    assert "Your shortlist is empty" in client.get(MINE).content.decode()
    assert client.cookies[shortlist.COOKIE].value == ""  # deleted


def test_the_shared_link_shows_the_same_list_to_anyone(client, three):
    for service in three:
        client.post(ADD, {"service": str(service.uuid)})
    link = share_link(client.get(MINE))
    assert link.startswith("http://testserver/directory/shortlist/shared/?services=")

    client.cookies.clear()  # someone else, on another device
    shared = client.get(link)
    assert shared.status_code == 200
    assert names(shared) == ["Lunch club", "Warm space", "Debt advice"]
    assert "Remove" not in shared.content.decode()
    assert "Your shortlist is empty" in client.get(MINE).content.decode()

    # They keep it on their device.
    ids = ",".join(str(s.uuid) for s in three)
    assert client.post(KEEP, {"services": ids})["Location"] == MINE
    assert names(client.get(MINE)) == ["Lunch club", "Warm space", "Debt advice"]


def test_a_listing_unpublished_since_sharing_is_left_out_with_a_message(client, three):
    three[1].publication = Service.Publication.DRAFT
    three[1].save()
    response = client.get(SHARED, {"services": ",".join(str(s.uuid) for s in three)})
    assert response.status_code == 200
    assert names(response) == ["Lunch club", "Debt advice"]
    assert "1 service on this list is no longer listed" in response.content.decode()
    # The link to share on is of what is still listed.
    assert str(three[1].uuid) not in share_link(response)


@pytest.mark.parametrize(
    ("services", "status", "message"),
    [
        ("not-an-id", 400, "This shortlist link is not complete"),
        ("12345678-1234-1234-1234-1234567890ab" + "f" * 5000, 400, "not complete"),
        ("", 400, "This shortlist link has no services in it."),
        (",".join(["12345678-1234-1234-1234-1234567890ab"] * 21), 400, "up to 20 services"),
        ("12345678-1234-1234-1234-1234567890ab", 404, "no longer listed"),
    ],
)
def test_a_bad_shared_link_gets_a_clear_message(client, services, status, message):
    response = client.get(SHARED, {"services": services})
    assert response.status_code == status
    assert message in response.content.decode()


def test_a_nul_in_a_shared_link_is_refused(client):
    assert client.get(SHARED, {"services": "\x00"}).status_code == 400


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("", 400),
        ("nonsense", 400),
        ("12345678-1234-1234-1234-1234567890ab", 404),  # unknown
        ("a" * 100_000, 400),
    ],
)
def test_adding_a_bad_or_unknown_service_is_refused(client, value, status):
    response = client.post(ADD, {"service": value})
    assert response.status_code == status
    assert shortlist.COOKIE not in response.cookies


def test_an_unpublished_service_cannot_be_added(client, three):
    three[0].publication = Service.Publication.DRAFT
    three[0].save()
    assert client.post(ADD, {"service": str(three[0].uuid)}).status_code == 404


def test_a_full_shortlist_says_so(client):
    services = ServiceFactory.create_batch(shortlist.MOST + 1)
    for service in services[:-1]:
        client.post(ADD, {"service": str(service.uuid)})
    response = client.post(ADD, {"service": str(services[-1].uuid)})
    assert response.status_code == 400
    assert "already has 20 services" in response.content.decode()
    assert len(names(client.get(MINE))) == shortlist.MOST


def test_a_changed_cookie_counts_as_an_empty_list(client, three):
    client.cookies[shortlist.COOKIE] = str(three[0].uuid)  # not signed by us
    assert "Your shortlist is empty" in client.get(MINE).content.decode()


def test_next_never_sends_people_to_another_site(client, three):
    response = client.post(ADD, {"service": str(three[0].uuid), "next": "https://evil.example/"})
    assert response["Location"] == three[0].get_absolute_url()


def test_adding_needs_a_post_with_a_csrf_token(three):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(ADD).status_code == 405
    assert strict.post(ADD, {"service": str(three[0].uuid)}).status_code == 403


def test_the_shortlist_page_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries
):
    services = ServiceFactory.create_batch(12)
    for service in services:
        client.post(ADD, {"service": str(service.uuid)})
    with django_assert_max_num_queries(3):  # services, places, times
        assert len(names(client.get(MINE))) == 12
