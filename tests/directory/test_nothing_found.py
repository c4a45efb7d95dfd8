"""Help when a search finds little or nothing, on either database: officers' synonyms,
spelling from the vocabulary (SQLite too), a postcode typed as keywords, the nearest
categories; and the home page's "Browse by category" tiles."""

import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.browse import category_tiles, nearest_categories
from directory.models import SearchSynonym, Service
from directory.search import synonyms
from directory.services import save_synonym
from tests.factories import PostcodeFactory, ServiceFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def names(response):
    html = response.content.decode()
    return re.findall(r'itemprop="name">([^<]+)</span></a></h3>', html)


def spelling_note(response):
    found = re.search(r'id="spelling">(.*?)</p>', response.content.decode())
    return unescape(re.sub("<[^>]+>", "", found[1])) if found else ""


def synonym(term, search_for):
    return save_synonym(synonym=SearchSynonym(term=term, search_for=search_for))


def test_a_synonym_finds_what_the_words_do_not_and_says_so(client):
    ServiceFactory(name="Little ones stay and play", description="Songs and stories")
    ServiceFactory(name="Debt and money advice", description="Free, confidential advice")
    synonym("toddler", "stay and play")
    synonym("Bills", "money advice")

    toddler = client.get(SEARCH, {"q": "toddlers"})  # a plural matches too
    bills = client.get(SEARCH, {"q": "help with bills"})

    assert names(toddler) == ["Little ones stay and play"]
    assert spelling_note(toddler) == "Including results for ‘stay and play’"
    assert names(bills) == ["Debt and money advice"]
    assert spelling_note(bills) == "Including results for ‘money advice’"


def test_a_synonym_saved_in_the_admin_works_at_once_and_is_logged(client, officer_client):
    ServiceFactory(name="Little ones stay and play")
    assert names(client.get(SEARCH, {"q": "toddler"})) == []  # cached page, then...

    response = officer_client.post(
        reverse("admin:directory_searchsynonym_add"),
        {"term": "  Toddler ", "search_for": "stay and play"},
    )

    assert response.status_code == 302
    saved = SearchSynonym.objects.get()
    assert saved.term == "toddler"
    assert LogEntry.objects.filter(object_id=str(saved.pk)).exists()
    assert names(client.get(SEARCH, {"q": "toddler"})) == ["Little ones stay and play"]


@pytest.mark.parametrize(
    ("term", "search_for", "message"),
    [
        ("toddler", "play", "There is already a synonym for these words"),
        ("TODDLER", "play", "There is already a synonym for these words"),
        ("one two three four", "play", "Use 3 words or fewer"),
        ("bills", "Bills", "Give different words from the search"),
        ("x" * 101, "play", "Ensure this value has at most 100 characters"),
        ("", "play", "This field cannot be blank"),
    ],
)
def test_a_bad_synonym_is_refused_with_a_message(term, search_for, message):
    synonym("toddler", "stay and play")

    with pytest.raises(ValidationError) as refused:
        synonym(term, search_for)

    assert message in str(refused.value)
    assert SearchSynonym.objects.count() == 1


def test_a_bad_synonym_in_the_admin_is_a_message_not_an_error(officer_client):
    synonym("toddler", "stay and play")

    response = officer_client.post(
        reverse("admin:directory_searchsynonym_add"), {"term": "toddler\x00", "search_for": "x"}
    )

    assert response.status_code in (200, 400)
    assert SearchSynonym.objects.count() == 1


def test_synonyms_match_whole_words_and_phrases_longest_first(client):
    ServiceFactory(name="Woodwork group")
    ServiceFactory(name="Garden club")
    synonym("mens shed", "woodwork group")
    synonym("shed", "garden")

    assert names(client.get(SEARCH, {"q": "Men's Shed near me"})) == ["Woodwork group"]
    assert names(client.get(SEARCH, {"q": "garden shed"})) == ["Garden club"]
    assert names(client.get(SEARCH, {"q": "sheddings"})) == []  # not part of a word
    assert synonyms.instead("shed and mens shed", {"shed": "a", "mens shed": "b"}) == "a b"


def test_a_misspelt_word_is_corrected_from_the_words_listings_use(client):
    ServiceFactory(name="Basildon food bank", description="Emergency food parcels")
    ServiceFactory(name="Youth club", description="Games")

    response = client.get(SEARCH, {"q": "fod bank"})

    assert names(response) == ["Basildon food bank"]
    assert spelling_note(response) == "Including results for ‘food bank’"
    # Page 2 of the same search asks the spelling first, and finds the same.
    assert client.get(SEARCH, {"q": "fod bank", "page": "2"}).status_code == 200


def test_a_word_only_a_draft_uses_is_not_offered_as_a_correction(client):
    ServiceFactory(name="Secret pantry", publication=Service.Publication.DRAFT)

    response = client.get(SEARCH, {"q": "secrat"})

    assert names(response) == [] and spelling_note(response) == ""


def test_a_postcode_typed_as_keywords_searches_near_it(client):
    PostcodeFactory(postcode="SS14 1DL")

    response = client.get(SEARCH, {"q": " ss141dl ", "cost": "free", "page": "3"})

    assert response.status_code == 302
    assert response["Location"] == f"{SEARCH}?cost=free&postcode=SS14+1DL"
    assert "near SS14 1DL" in client.get(response["Location"]).content.decode()
    # Words with a postcode in them, or a postcode box already filled, are left alone.
    assert client.get(SEARCH, {"q": "food SS14 1DL"}).status_code == 200
    assert client.get(SEARCH, {"q": "SS14 1DL", "postcode": "SS14 1DL"}).status_code == 200


def test_nothing_found_offers_the_nearest_categories_with_counts(client):
    food = TaxonomyTermFactory(name="Food", description="Food banks and shared meals")
    banks = TaxonomyTermFactory(name="Food banks", parent=food)
    money = TaxonomyTermFactory(name="Money and debt", description="Help with bills and debt")
    ServiceFactory(name="Pantry", categories=[food, banks])  # counted once
    ServiceFactory(name="Food bank", categories=[banks])
    ServiceFactory(name="Advice", categories=[money])

    html = client.get(SEARCH, {"q": "debts zzz"}).content.decode()

    assert "You could look in these categories" in html
    assert re.findall(r'category=([\w-]+)">([^<]+)</a> \((\d+) service', html) == [
        ("money-and-debt", "Money and debt", "1")
    ]
    # Nothing alike: the largest categories, so there is always somewhere to go.
    assert [t["name"] for t in nearest_categories("qqqq")] == ["Food", "Money and debt"]


def test_home_page_has_category_tiles_with_counts_from_the_cache(
    client, django_assert_max_num_queries
):
    food = TaxonomyTermFactory(name="Food")
    TaxonomyTermFactory(name="Empty category")
    ServiceFactory(categories=[TaxonomyTermFactory(name="Food banks", parent=food)])
    ServiceFactory(categories=[food])
    ServiceFactory(categories=[food], publication=Service.Publication.DRAFT)

    html = client.get(reverse("home")).content.decode()

    assert re.findall(r'category=([\w-]+)">([^<]+)</a>\s*<span[^>]*>([^<]+)<', html) == [
        ("food", "Food", "2 services")
    ]
    with django_assert_max_num_queries(0):
        client.get(reverse("home"))
    assert [t["count"] for t in category_tiles()] == [2]
