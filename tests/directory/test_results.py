"""What the results page says besides the results: filters applied (each removable), titles,
the way back from a service, specific error messages on the public forms, number wording."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse

from directory.cards import miles_away
from tests.factories import (
    AreaFactory,
    LocationFactory,
    PostcodeFactory,
    RoleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def title(response):
    return unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1])


def removal_links(response):
    html = response.content.decode()
    block = html[html.index("cc-applied-filters") :]
    return {
        unescape(label): unescape(href)
        for href, label in re.findall(
            r'<a class="govuk-link cc-applied-filters__link" href="([^"]+)">([^<]+)<', block
        )
    }


def test_filters_applied_are_listed_above_the_results_each_with_a_link_that_removes_it(client):
    food = TaxonomyTermFactory(name="Food", slug="food")
    AreaFactory(name="Pitsea", slug="pitsea")
    ServiceFactory(name="Pantry", categories=[food], cost="free")

    response = client.get(SEARCH, {"q": "pantry", "cost": ["free", "paid"], "category": "food"})

    links = removal_links(response)
    assert links == {
        "Category: Food": f"{SEARCH}?q=pantry&cost=free&cost=paid",
        "Cost: Free": f"{SEARCH}?q=pantry&cost=paid&category=food",
        "Cost: Paid": f"{SEARCH}?q=pantry&cost=free&category=food",
    }
    html = response.content.decode()
    assert html.index("1 result for") < html.index("Filters applied") < html.index("Pantry</span>")
    assert "Filter results (3 applied)" in html
    assert title(response).startswith("1 result for ‘pantry’, 3 filters – Find services")

    # Following a link removes that one filter and keeps the rest.
    response = client.get(links["Cost: Paid"])
    assert set(removal_links(response)) == {"Category: Food", "Cost: Free"}


def test_a_search_title_says_the_words_the_page_and_error(client):
    for n in range(25):
        ServiceFactory(name=f"Coffee morning {n:02}")

    assert title(client.get(SEARCH, {"q": "coffee", "page": "2"})).startswith(
        "25 results for ‘coffee’ (page 2 of 2) – Find services and groups"
    )
    assert title(client.get(SEARCH, {"q": "coffee"})).startswith(
        "25 results for ‘coffee’ (page 1 of 2) –"
    )
    assert title(client.get(SEARCH, {"q": "coffee", "age": "500"})).startswith(
        "Error: ‘coffee’ – Find services and groups"
    )


def test_a_service_page_links_back_to_the_results_it_was_found_in(client):
    service = ServiceFactory(name="Pantry")
    results = f"http://testserver{SEARCH}?q=pantry&cost=free&page=2"

    html = client.get(service.get_absolute_url(), headers={"referer": results}).content.decode()

    assert f'<a href="{SEARCH}?q=pantry&amp;cost=free&amp;page=2" class="govuk-back-link' in html
    assert "Back to results" in html


@pytest.mark.parametrize(
    "referer",
    [
        "",
        "https://evil.example/directory/?q=pantry",
        "http://testserver/hubs/",
        "javascript:alert(1)",
        "http://testserver/directory/?" + "q=x&" * 1000,
    ],
)
def test_no_back_link_unless_the_visitor_came_from_our_search(client, referer):
    service = ServiceFactory(name="Pantry")

    response = client.get(service.get_absolute_url(), headers={"referer": referer})

    assert response.status_code == 200
    assert "Back to results" not in response.content.decode()


def test_suggest_and_report_say_what_to_fix_once_per_question(client):
    service = ServiceFactory()

    suggest = client.post(reverse("directory:suggest"), {}).content.decode()
    report = client.post(reverse("directory:report", args=[service.uuid]), {}).content.decode()

    for html in (suggest, report):
        assert "This field is required" not in html
        assert "<title>Error: " in html
    assert "Enter the name of the service or group" in suggest
    assert "Describe what the service or group offers" in suggest
    assert "Describe what needs to change" in report


def test_suggest_asks_categories_with_checkboxes_and_keeps_two(client):
    TaxonomyTermFactory(name="Food", slug="food")
    TaxonomyTermFactory(name="Older people", slug="older-people")

    html = client.get(reverse("directory:suggest")).content.decode()

    assert html.count('type="checkbox" name="categories"') == 2
    assert 'type="radio" name="categories"' not in html


@pytest.mark.parametrize(
    ("miles", "text"),
    [
        (0.0, "Under 0.1 miles away"),
        (0.04, "Under 0.1 miles away"),
        (0.34, "0.3 miles away"),
        (1.02, "1 mile away"),
        (2.0, "2 miles away"),
        (12.6, "13 miles away"),
    ],
)
def test_distances_read_as_people_say_them(miles, text):
    assert miles_away(miles) == text


def test_the_results_show_a_distance_under_a_tenth_of_a_mile_so(client):
    PostcodeFactory(postcode="SS14 1DL", latitude=Decimal("51.57287"))
    service = ServiceFactory(name="Next door")
    service.locations.set([LocationFactory(postcode="SS14 1DL", latitude=Decimal("51.57287"))])

    html = client.get(SEARCH, {"postcode": "SS14 1DL"}).content.decode()

    assert "Under 0.1 miles away" in html
    assert "0.0 miles" not in html


@pytest.mark.parametrize(
    ("hours", "text"),
    [("2.0", "2 hours"), ("1", "1 hour"), ("2.5", "2.5 hours"), ("10", "10 hours")],
)
def test_a_regular_roles_hours_read_without_a_trailing_zero(hours, text):
    role = RoleFactory.build(commitment="regular", hours_per_week=Decimal(hours))

    assert role.commitment_text == f"Regular, {text} a week"
