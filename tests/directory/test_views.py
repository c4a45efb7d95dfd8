import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from core.forms import HONEYPOT_FIELD
from directory.extensions import registered_search_panels
from directory.models import Service, Suggestion
from directory.search import pages
from tests.factories import (
    AreaFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from tests.searching import take_table_as

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


@pytest.fixture
def postcode():
    return PostcodeFactory(postcode="SS14 1DL", latitude=Decimal("51.57287"))


def result_names(response):
    return re.findall(r'itemprop="name">([^<]+)</span></a></h3>', response.content.decode())


def make_listings(count):
    food = TaxonomyTermFactory(name="Food")
    town = AreaFactory(name="Basildon", slug="basildon")
    for n in range(count):
        service = ServiceFactory(name=f"Food service {n:03}", categories=[food])
        service.locations.set([LocationFactory(area=town), LocationFactory(area=town)])
        ScheduleFactory(service=service)
        ScheduleFactory(service=service, weekday=5)


def test_search_page_lists_published_services_with_count(client):
    ServiceFactory(name="Coffee morning")
    ServiceFactory(name="Hidden", publication=Service.Publication.DRAFT)

    response = client.get(SEARCH)

    assert response.status_code == 200
    html = response.content.decode()
    assert "1 result" in html
    assert result_names(response) == ["Coffee morning"]
    assert "Hidden" not in html


def test_home_page_search_box_posts_to_the_directory(client):
    html = client.get("/").content.decode()

    assert f'action="{SEARCH}"' in html
    assert 'name="q"' in html


@pytest.mark.parametrize("count", [3, 45])
@pytest.mark.parametrize("with_postcode", [False, True])
def test_search_runs_a_constant_number_of_queries(
    client, django_assert_max_num_queries, postcode, count, with_postcode
):
    make_listings(count)
    params = {"q": "food", "category": "food", "area": "basildon", "day": "2", "cost": "free"}
    if with_postcode:
        params.update(postcode="ss14 1dl", distance="5")

    # Postcode, spelling check, ranked page and total, services and three prefetches (which
    # give the map its places too); plus at most one query for each panel another app adds
    # (directory.extensions); plus categories and towns while they are not cached.
    with django_assert_max_num_queries(9 + registered_search_panels()):
        cold = client.get(SEARCH, params)
    with django_assert_max_num_queries(7 + registered_search_panels()):
        response = client.get(SEARCH, params)

    for page in (cold, response):
        assert page.status_code == 200
        assert len(result_names(page)) == min(count, 20)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL spelling")
def test_a_misspelt_search_says_which_words_it_also_looked_for(client):
    ServiceFactory(name="Pitsea pantry", description="Emergency food parcels")

    misspelt = client.get(SEARCH, {"q": "fod parcels"})
    spelt = client.get(SEARCH, {"q": "food parcels"})

    assert result_names(misspelt) == result_names(spelt) == ["Pitsea pantry"]
    assert "Including results for ‘<strong>food parcels</strong>’" in misspelt.content.decode()
    assert "Including results for" not in spelt.content.decode()


def test_near_a_postcode_sorts_by_distance_and_shows_it(client, postcode):
    ServiceFactory(
        name="Far",
        locations=[LocationFactory(latitude=Decimal("51.63"), longitude=Decimal("0.42"))],
    )
    ServiceFactory(name="Near", locations=[LocationFactory()])

    response = client.get(SEARCH, {"postcode": "ss141dl"})

    assert result_names(response) == ["Near", "Far"]
    html = response.content.decode()
    assert "near SS14 1DL" in html
    assert "Under 0.1 miles away" in html
    assert re.search(r"[34]\.\d miles away", html)


def test_ranked_results_stop_after_a_number_of_pages(client, postcode, monkeypatch):
    monkeypatch.setattr(pages, "MOST_PAGES", 2)  # 50 in use: 1,000 results
    make_listings(45)  # every place at the LocationFactory's spot, near SS14 1DL
    near = {"q": "food", "postcode": "SS14 1DL"}

    first = client.get(SEARCH, near)

    html = first.content.decode()
    assert "More than 40 results for ‘food’ near SS14 1DL" in html
    assert len(result_names(first)) == 20
    assert "page=2" in html and "page=3" not in html  # the pages stop at the limit
    past = client.get(SEARCH, {**near, "page": "3"})
    assert result_names(past)[0] == "Food service 020"  # the last page shown: 21 to 40
    # Ranked, or within a distance: past the count, PostgreSQL estimates from a sample (here
    # the whole small table, so exactly), SQLite says "more than".
    beyond = "About 45 results" if connection.vendor == "postgresql" else "More than 40 results"
    for other in ({"q": "food"}, {**near, "distance": "5"}):
        assert beyond in client.get(SEARCH, other).content.decode()
    assert "45 results" in client.get(SEARCH, {}).content.decode()  # nothing ranked: all
    monkeypatch.setattr(pages, "MOST_PAGES", 3)
    cache.clear()  # the page cache holds the page above
    assert "45 results for ‘food’ near SS14 1DL" in client.get(SEARCH, near).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL estimates")
def test_browsing_a_large_table_says_about_how_many_and_stops_after_a_number_of_pages(
    client, monkeypatch
):
    """Counting every published service took 83 ms at 1,000,000: past the exact count, the
    total is estimated and the pages stop where ranked ones do."""
    from directory.search import ranking

    key = take_table_as(monkeypatch, large=True, rum=False)  # browsing ranks nothing
    monkeypatch.setitem(ranking._ROWS, key, 1)  # small: the estimate's sample is all of it
    monkeypatch.setattr(pages, "MOST_PAGES", 2)  # 50 in use: 1,000 results
    make_listings(45)
    everyone = [f"Food service {n:03}" for n in range(45)]

    first = client.get(SEARCH, {})

    html = first.content.decode()
    assert "About 45 results" in html
    assert result_names(first) == everyone[:20]  # by name, as ever
    assert "page=2" in html and "page=3" not in html
    assert result_names(client.get(SEARCH, {"page": "2"})) == everyone[20:40]
    assert result_names(client.get(SEARCH, {"page": "9"})) == everyone[20:40]  # the last
    filtered = client.get(SEARCH, {"category": "food", "area": "basildon"})
    assert "About 45 results" in filtered.content.decode()
    # Fewer than the pages hold: counted exactly, every page.
    monkeypatch.setattr(pages, "MOST_PAGES", 3)
    cache.clear()
    rest = client.get(SEARCH, {"page": "3"})
    assert "45 results" in rest.content.decode()
    assert "About 45 results" not in rest.content.decode()
    assert result_names(rest) == everyone[40:]


def test_pagination_keeps_the_filters_in_its_links(client):
    make_listings(25)

    response = client.get(SEARCH, {"q": "food", "cost": "free"})

    html = response.content.decode()
    assert "25 results" in html
    assert len(result_names(response)) == 20
    assert 'href="?q=food&amp;cost=free&amp;page=2"' in html
    second = client.get(SEARCH, {"q": "food", "cost": "free", "page": "2"})
    assert len(result_names(second)) == 5


@pytest.mark.parametrize(
    "params,message",
    [
        ({"q": "x" * 10_000}, "200 characters or fewer"),
        ({"postcode": "not a postcode"}, "Enter a real postcode"),
        ({"postcode": "SS1 1AA"}, "We could not find the postcode SS1 1AA"),
        ({"age": "-1"}, "greater than or equal to 0"),
        ({"age": "1e309"}, "Enter a whole number"),
        ({"age": "9" * 18}, "less than or equal to 120"),
        ({"day": "9"}, "Select days from the list"),
        ({"cost": "'; drop table directory_service; --"}, "Select costs from the list"),
        ({"access": "by pigeon"}, "Select ways to access from the list"),
        ({"area": "<script>alert(1)</script>"}, "Select a town from the list"),
        ({"area": "nowhere\x01"}, "Select a town from the list"),
        ({"category": "nope"}, "Select categories from the list"),
        ({"distance": "1000"}, "Select a distance from the list"),
    ],
)
def test_hostile_or_bad_input_gets_a_clear_message_not_an_error(client, params, message):
    ServiceFactory(name="Food bank")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: " in html
    assert "<script>alert" not in html
    assert "drop table" not in html  # a choice not on the list is not repeated back


@pytest.mark.parametrize(
    "params",
    [
        {"q": "'; DROP TABLE directory_service; --"},
        {"q": "<script>alert(1)</script>"},
        {"q": "%%%___\\"},
        {"q": "!!! & | ! <-> :*"},
        {"q": "-"},
        {"page": "-1"},
        {"page": "99999"},
        {"page": "abc"},
        {"page": "\u00b2"},  # a Unicode digit int() refuses
        {"page": "\u0661\u0662"},
        {"page": "9" * 18},
    ],
)
def test_hostile_keywords_and_pages_give_results_or_none_never_a_500(client, params):
    ServiceFactory(name="Food bank")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_no_results_explains_what_to_try(client):
    response = client.get(SEARCH, {"q": "zzzz", "cost": "free"})

    html = response.content.decode()
    assert "0 results" in html
    assert "No services match your search" in html
    assert "remove some filters" in html
    assert reverse("directory:suggest") in html


def test_service_page_shows_when_where_and_how(client):
    food = TaxonomyTermFactory(name="Food banks")
    place = LocationFactory(name="Eastgate Centre", accessibility="Hearing loop")
    service = ServiceFactory(
        name="Basildon food bank",
        categories=[food],
        locations=[place],
        phone="01268 000000",
        access=Service.Access.REFERRAL,
    )
    ScheduleFactory(service=service, location=place)

    response = client.get(service.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuesday 10am to midday at Eastgate Centre" in html
    assert "Hearing loop" in html
    assert "Referral needed" in html
    assert 'href="tel:01268000000"' in html
    assert 'itemtype="https://schema.org/Service"' in html
    assert 'itemprop="hoursAvailable"' in html
    assert reverse("directory:report", args=[service.uuid]) in html
    assert "Report a problem with this listing" in html
    assert reverse("directory:organisation", args=[service.organisation.slug]) in html


def test_draft_service_is_404_for_the_public_but_an_officer_can_preview(client, officer):
    draft = ServiceFactory(publication=Service.Publication.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(officer)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Staff preview" in response.content.decode()


def test_organisation_page_lists_its_published_services(client, django_assert_max_num_queries):
    org = OrganisationFactory(name="Good Neighbours")
    AreaFactory(name="Billericay", slug="billericay").organisations.add(org)
    for n in range(5):
        place = LocationFactory(name=f"Place {n}", address_1="1 High Street")
        ServiceFactory(organisation=org, name=f"Visible {n}", locations=[place])
    ServiceFactory(organisation=org, name="Draft one", publication=Service.Publication.DRAFT)

    with django_assert_max_num_queries(7):
        response = client.get(reverse("directory:organisation", args=[org.slug]))

    html = response.content.decode()
    assert html.count("Visible ") == 5
    assert "Draft one" not in html
    assert html.count("Where</dt>") == 5  # each card says where the service happens
    assert "Place 3, 1 High Street" in html
    assert "Billericay" in html
    assert 'itemtype="https://schema.org/Organization"' in html


def test_inactive_organisation_page_is_404(client):
    org = OrganisationFactory(is_active=False)

    assert client.get(reverse("directory:organisation", args=[org.slug])).status_code == 404


def suggestion_data(**extra):
    return {
        "name": "Craft club",
        "organisation_name": "Pitsea Crafters",
        "description": "Knitting and sewing for all",
        "when": "Thursdays 2pm",
        "address": "Pitsea Library",
        "postcode": "ss13 1aq",
        "cost": "free",
        "access": "drop_in",
        **extra,
    }


def test_suggesting_a_listing_stores_it_for_moderation_and_shows_a_reference(client):
    TaxonomyTermFactory(name="Older people")

    response = client.post(reverse("directory:suggest"), suggestion_data(), follow=True)

    suggestion = Suggestion.objects.get()
    assert suggestion.status == Suggestion.Status.PENDING
    assert suggestion.kind == Suggestion.Kind.NEW
    assert suggestion.postcode == "SS13 1AQ"
    assert re.fullmatch(r"SUG-[A-Z2-9]{6}", suggestion.reference)
    assert suggestion.reference in response.content.decode()
    assert not Service.objects.exists()  # nothing is published until an officer approves


def test_suggestion_form_shows_errors_with_error_title(client):
    response = client.post(
        reverse("directory:suggest"), suggestion_data(name="", postcode="nonsense")
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "Enter a real postcode" in html
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("sent", ["999999", "abc", str(2**63), "9" * 40])
def test_a_category_not_on_the_list_is_a_message_not_an_error(client, sent):
    TaxonomyTermFactory(name="Older people")

    response = client.post(reverse("directory:suggest"), suggestion_data(categories=[sent]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose categories from the list" in html
    assert sent not in html  # the message does not repeat what was sent
    assert not Suggestion.objects.exists()


def test_suggestion_honeypot_rejects_bots(client):
    response = client.post(
        reverse("directory:suggest"), suggestion_data(**{HONEYPOT_FIELD: "http://spam"})
    )

    assert response.status_code == 200
    assert not Suggestion.objects.exists()


def test_suggestion_form_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_form": "2/h"}
    url = reverse("directory:suggest")

    client.post(url, suggestion_data())
    client.post(url, suggestion_data())
    limited = client.post(url, suggestion_data())

    assert limited.status_code == 429
    assert "too many forms" in limited.content.decode()
    assert Suggestion.objects.count() == 2


def test_suggestion_sent_page_without_a_suggestion_goes_back_to_the_form(client):
    response = client.get(reverse("directory:suggestion_sent"))

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:suggest")


def test_suggest_rejects_get_with_other_methods(client):
    assert client.put(reverse("directory:suggest")).status_code == 405


def test_reporting_a_change_links_it_to_the_service(client):
    service = ServiceFactory(name="Youth club")
    url = reverse("directory:report", args=[service.uuid])

    response = client.post(
        url, {"details": "It now runs on Wednesdays", "phone": "01268 111111"}, follow=True
    )

    suggestion = Suggestion.objects.get()
    assert suggestion.kind == Suggestion.Kind.CHANGE
    assert suggestion.service == service
    assert suggestion.name == "Youth club"
    assert suggestion.reference in response.content.decode()


def test_reporting_a_change_needs_details(client):
    service = ServiceFactory()

    response = client.post(reverse("directory:report", args=[service.uuid]), {"details": ""})

    assert "<title>Error: " in response.content.decode()
    assert not Suggestion.objects.exists()


def test_reporting_a_change_to_a_draft_is_404(client):
    draft = ServiceFactory(publication=Service.Publication.DRAFT)

    assert client.get(reverse("directory:report", args=[draft.uuid])).status_code == 404


def test_navigation_links_to_find_services(client):
    assert f'href="{SEARCH}"' in client.get("/").content.decode()


def test_the_chosen_town_stays_chosen_and_town_names_are_escaped(client):
    AreaFactory(name="Pitsea", slug="pitsea")
    AreaFactory(name="Laindon & <Langdon Hills>", slug="laindon")

    page = client.get(reverse("directory:search"), {"area": "pitsea"}).content.decode()
    anywhere = client.get(reverse("directory:search")).content.decode()

    assert '<option selected value="pitsea">Pitsea</option>' in page
    assert '<option value="">Anywhere</option>' in page
    assert '<option value="" selected>Anywhere</option>' in anywhere
    assert '<option value="pitsea">Pitsea</option>' in anywhere
    assert "Laindon &amp; &lt;Langdon Hills&gt;" in page and "<Langdon" not in page


def test_chosen_filters_stay_chosen_and_category_names_are_escaped(client):
    TaxonomyTermFactory(name="Food", slug="food")
    TaxonomyTermFactory(name="Money & <debt>", slug="money")
    PostcodeFactory(postcode="SS14 1AB")

    page = client.get(
        reverse("directory:search"),
        {"category": "food", "cost": "free", "day": "2", "postcode": "SS14 1AB", "distance": "5"},
    ).content.decode()
    plain = client.get(reverse("directory:search")).content.decode()

    food = re.search(r'<input[^>]*value="food"[^>]*>', page).group()
    assert 'name="category"' in food and food.endswith(" checked>")
    money = re.search(r'<input[^>]*value="money"[^>]*>', page).group()
    assert not money.endswith(" checked>")
    assert re.search(r'<input[^>]*name="cost"[^>]*value="free" checked>', page)
    assert re.search(r'<input[^>]*name="day"[^>]*value="2" checked>', page)
    assert '<option value="5" selected>Within 5 miles</option>' in page
    assert '<option value="" selected>Any distance</option>' in plain
    assert " checked>" not in plain
    assert "Money &amp; &lt;debt&gt;" in page and "<debt>" not in page
    # Each box is labelled: its label points at its id.
    box_id = re.search(r'id="([^"]+)"', food).group(1)
    assert f'for="{box_id}">Food</label>' in page
