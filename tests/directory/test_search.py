import datetime
from decimal import Decimal

import django_filters
import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from directory.models import Schedule, Service
from directory.search import (
    NEAR_FIRST_MILES,
    TYPO_THRESHOLD,
    Point,
    ServiceSearch,
    ranker_for,
    results_page,
)
from directory.services import rebuild_search_words
from tests.factories import (
    AreaFactory,
    LocationFactory,
    OrganisationFactory,
    ScheduleFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)
from tests.searching import search_page, search_services, take_table_as

pytestmark = pytest.mark.django_db


def spelling(q):
    """(typo, corrected): the words as typed matching something or not is checked apart."""
    return tuple(ranker_for(Service.objects.all()).spelling(q))[:2]


BASILDON = Point(51.57287, 0.45702)
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text and trigram search"
)


def names(qs):
    return [s.name for s in qs]


def test_keywords_match_name_description_and_category_and_rank_name_first():
    food = TaxonomyTermFactory(name="Food")
    ServiceFactory(name="Coffee morning", description="Tea and cake")
    in_description = ServiceFactory(name="Pantry", description="Affordable food for members")
    in_name = ServiceFactory(name="Basildon food bank", description="Emergency parcels")
    by_category = ServiceFactory(name="Lunch club", description="A hot meal", categories=[food])

    found = names(search_services(q="food"))

    assert set(found) == {in_description.name, in_name.name, by_category.name}
    assert found[0] == "Basildon food bank"


def test_every_word_must_match():
    ServiceFactory(name="Youth club", description="Games and sport")
    ServiceFactory(name="Football", description="Sport for adults")

    assert names(search_services(q="youth sport")) == ["Youth club"]


def test_only_published_services_are_searched():
    ServiceFactory(name="Food bank", publication=Service.Publication.DRAFT)

    assert names(search_services(q="food")) == []


@on_postgres
def test_a_typo_still_finds_food_banks_on_postgresql():
    ServiceFactory(name="Basildon food bank", description="Emergency food parcels")
    ServiceFactory(name="Youth club", description="Games")

    assert names(search_services(q="fod bank")) == ["Basildon food bank"]


@on_postgres
def test_misspelt_words_are_corrected_from_the_words_listings_use():
    ServiceFactory(name="Basildon food bank", description="Emergency food parcels")
    ServiceFactory(name="Mental health cafe", description="Talk to someone")

    assert spelling("fod bank") == (True, "food bank")
    assert spelling("Mentl HELTH cafe") == (True, "mental health cafe")
    assert spelling('"fod bank" -cafe') == (True, '"food bank" -cafe')
    assert spelling("xyzzy") == (True, "")  # like no word a listing uses


@on_postgres
def test_only_the_first_ten_unknown_words_are_looked_up():
    ServiceFactory(name="Basildon food bank", description="Emergency food parcels")

    typo, corrected = spelling("fod " * 10 + "parcells")

    assert typo and corrected == "food " * 10 + "parcels"  # "fod" is looked up once
    typo, corrected = spelling(" ".join(f"zz{chr(97 + n)}q" for n in range(11)) + " parcells")
    assert typo and corrected == ""  # the eleventh unknown word is not looked up


@on_postgres
def test_a_corrected_word_finds_it_anywhere_in_the_listing_below_the_words_as_typed():
    parcels = ServiceFactory(name="Pitsea pantry", description="Emergency food parcels")
    ServiceFactory(name="Youth club", description="Games")
    as_typed = ServiceFactory(name="Fod club", description="Friends of Dunton")

    # "fod" is a word a listing uses, so nothing is corrected: similar names join in.
    assert spelling("fod parcels") == (True, "")
    as_typed.delete()
    rebuild_search_words()  # "fod" is no longer used by any listing
    assert spelling("fod parcels") == (True, "food parcels")
    assert names(search_services(q="fod parcels")) == [parcels.name]

    ServiceFactory(name="Fod parcels", description="A word as typed")
    assert names(search_services(q="fod parcels", typo=True, corrected="food parcels")) == [
        "Fod parcels",
        parcels.name,
    ]


@on_postgres
def test_when_the_words_find_few_services_similar_names_follow_them():
    ServiceFactory(name="Community pantry", description="Pay what you can, Tuesdays")
    ServiceFactory(name="Pantri club", description="Games")  # a similar name, not the word
    ServiceFactory(name="Youth club", description="Games")
    for n in range(TYPO_THRESHOLD):
        ServiceFactory(name=f"Hall {n}", description="Coffee morning")

    assert names(search_services(q="pantry")) == ["Community pantry", "Pantri club"]
    # Words that find enough services bring no similar names along ("Cofee shop").
    ServiceFactory(name="Cofee shop", description="Cakes")
    assert "Cofee shop" not in names(search_services(q="coffee"))
    assert len(names(search_services(q="coffee"))) == TYPO_THRESHOLD


@on_postgres
def test_postgresql_ranks_name_matches_above_description_matches():
    ServiceFactory(name="Coffee and chat", description="Advice on debt is sometimes available")
    ServiceFactory(name="Debt advice", description="Help with bills")

    assert names(search_services(q="debt advice")) == ["Debt advice", "Coffee and chat"]


def test_category_filter_includes_subcategories():
    food = TaxonomyTermFactory(name="Food")
    banks = TaxonomyTermFactory(name="Food banks", parent=food)
    ServiceFactory(name="Bank", categories=[banks])
    ServiceFactory(name="Other", categories=[TaxonomyTermFactory(name="Digital")])

    assert names(search_services(category_ids={food.pk, banks.pk})) == ["Bank"]


def test_filters_for_free_drop_ins_on_tuesdays_for_a_child():
    tuesday = ServiceFactory(name="Tuesday drop-in")
    ScheduleFactory(service=tuesday, weekday=Schedule.Weekday.TUESDAY)
    ScheduleFactory(service=ServiceFactory(name="Wednesday"), weekday=Schedule.Weekday.WEDNESDAY)
    paid = ServiceFactory(name="Paid", cost=Service.Cost.PAID)
    ScheduleFactory(service=paid)
    booking = ServiceFactory(name="Booking", access=Service.Access.BOOKING)
    ScheduleFactory(service=booking)
    adults = ServiceFactory(name="Adults only", minimum_age=18)
    ScheduleFactory(service=adults)

    found = search_services(
        costs=["free"], access=["drop_in"], days=[Schedule.Weekday.TUESDAY], age=9
    )

    assert names(found) == ["Tuesday drop-in"]


def test_age_filter_respects_both_ends():
    ServiceFactory(name="Teens", minimum_age=11, maximum_age=18)
    ServiceFactory(name="Everyone")

    assert names(search_services(age=18)) == ["Everyone", "Teens"]
    assert names(search_services(age=19)) == ["Everyone"]
    assert names(search_services(age=10)) == ["Everyone"]


def test_area_filter_covers_wards_in_the_town():
    town = AreaFactory(name="Pitsea", slug="pitsea")
    ward = AreaFactory(name="Vange", slug="vange", kind="ward", parent=town)
    ServiceFactory(name="In ward", locations=[LocationFactory(area=ward)])
    ServiceFactory(name="Elsewhere", locations=[LocationFactory(area=AreaFactory())])

    assert names(search_services(area_id=town.pk)) == ["In ward"]


def _at(name, lat, lon):
    return ServiceFactory(
        name=name,
        locations=[LocationFactory(latitude=Decimal(str(lat)), longitude=Decimal(str(lon)))],
    )


def test_near_sorts_the_whole_result_set_by_nearest_location():
    _at("A far", 51.63, 0.42)  # Billericay, ~4.5 miles
    _at("B near", 51.5745, 0.4559)  # ~0.1 miles
    _at("C middle", 51.5620, 0.5060)  # Pitsea, ~2.2 miles
    ServiceFactory(name="D phone only")
    two_places = ServiceFactory(name="E two places")
    two_places.locations.set(
        [
            LocationFactory(latitude=Decimal("51.64"), longitude=Decimal("0.44")),
            LocationFactory(latitude=Decimal("51.578"), longitude=Decimal("0.43")),
        ]
    )

    found = list(search_services(near=BASILDON))

    assert names(found) == ["B near", "E two places", "C middle", "A far", "D phone only"]
    miles = [BASILDON.miles_to(51.5745, 0.4559), BASILDON.miles_to(51.63, 0.42)]
    assert miles[0] < 0.2
    assert 3.5 < miles[1] < 5


def test_within_a_radius_drops_services_further_away_and_without_a_place():
    _at("Near", 51.5745, 0.4559)
    _at("Far", 51.63, 0.42)
    ServiceFactory(name="Phone only")

    assert names(search_services(near=BASILDON, within_miles=3)) == ["Near"]


def test_near_with_keywords_sorts_by_distance():
    _at("Food bank far", 51.63, 0.42)
    _at("Food bank near", 51.5745, 0.4559)

    assert names(search_services(q="food", near=BASILDON)) == ["Food bank near", "Food bank far"]


def test_stale_services_are_still_listed():
    ServiceFactory(name="Old", last_reviewed=datetime.date(2020, 1, 1))

    assert names(search_services()) == ["Old"]


def test_organisation_name_is_searched():
    ServiceFactory(name="Drop-in", organisation=OrganisationFactory(name="Citizens Help Centre"))

    assert names(search_services(q="citizens")) == ["Drop-in"]


def test_search_follows_renamed_organisations_and_categories():
    """Organisation and category names are copied into the indexed document: kept in step."""
    organisation = OrganisationFactory(name="Citizens Help Centre")
    term = TaxonomyTermFactory(name="Money")
    service = ServiceFactory(name="Drop-in", organisation=organisation, categories=[term])

    organisation.name = "Advice Basildon"
    organisation.save()
    term.name = "Budgeting"
    term.save()

    assert names(search_services(q="citizens")) == []
    assert names(search_services(q="money")) == []
    assert names(search_services(q="advice")) == ["Drop-in"]
    assert names(search_services(q="budgeting")) == ["Drop-in"]

    service.categories.remove(term)
    assert names(search_services(q="budgeting")) == []
    term.services.add(service)
    assert names(search_services(q="budgeting")) == ["Drop-in"]
    term.services.clear()
    assert names(search_services(q="budgeting")) == []
    term.services.add(service)
    term.delete()
    assert names(search_services(q="budgeting")) == []


def test_a_service_moved_to_another_organisation_is_found_by_the_new_name():
    service = ServiceFactory(name="Drop-in", organisation=OrganisationFactory(name="Old Trust"))

    service.organisation = OrganisationFactory(name="New Foundation")
    service.save()

    assert names(search_services(q="trust")) == []
    assert names(search_services(q="foundation")) == ["Drop-in"]


def _food_around_basildon():
    """Food services close by (some sharing a place), further away, and with no place at all,
    plus nearby services that do not match: more close ones than a small page holds, fewer
    than all of them."""
    shared = LocationFactory(latitude=Decimal("51.5745"), longitude=Decimal("0.4559"))
    for n in range(4):
        ServiceFactory(name=f"Food share {n}", locations=[shared])
    for n in range(5):  # up to ~2 miles away
        _at(f"Food close {n}", 51.575 + n * 0.006, 0.46 + n * 0.004)
    for n in range(6):  # 10 to 28 miles: beyond the first look, and one beyond the second
        _at(f"Food far {n}", 51.70 + n * 0.04, 0.60 + n * 0.05)
    for n in range(3):
        ServiceFactory(name=f"Food by phone {n}")
    _at("Lunch club next door", 51.5746, 0.4560)
    ServiceFactory(name="Food bank (draft)", publication=Service.Publication.DRAFT)


@pytest.mark.parametrize("q", ["food", ""])
def test_every_page_near_a_postcode_matches_measuring_every_service(q):
    _food_around_basildon()
    expected = list(search_services(q=q, near=BASILDON))
    assert len(expected) == (18 if q else 19)
    # Pages of 5 come from the first look (9 or 10 close by), the second (5 more), and
    # from measuring everything.
    first, second = NEAR_FIRST_MILES
    assert BASILDON.miles_to(51.599, 0.476) < first < BASILDON.miles_to(51.70, 0.60) < second
    assert BASILDON.miles_to(51.86, 0.80) < second < BASILDON.miles_to(51.90, 0.85)

    for start in range(0, len(expected) + 5, 5):
        total, page, _ = search_page(start=start, size=5, q=q, near=BASILDON)

        assert total == len(expected)
        assert [pk for pk, _ in page] == [s.pk for s in expected[start : start + 5]]
        for (_, values), service in zip(page, expected[start : start + 5], strict=True):
            assert values["distance_sq"] == pytest.approx(service.distance_sq)


@on_postgres
@pytest.mark.parametrize(
    ("start", "looks"),
    [(0, [1]), (10, [1, 1]), (15, [1, 1, 0]), (50, [1])],
)
def test_near_a_postcode_a_wider_look_is_read_only_when_the_closer_one_is_not_enough(start, looks):
    """Each look is its own statement, so PostgreSQL plans only the looks a page needs:
    planning all three in one statement took half of its time at 10,000 services. Past the
    end, the first statement's total settles it."""
    _food_around_basildon()  # no keywords: 10 close by, 15 within the second look, 19 in all

    with CaptureQueriesContext(connection) as captured:
        total, page, _ = search_page(start=start, size=5, near=BASILDON)

    assert total == 19
    assert len(page) == (0 if start == 50 else 4 if start == 15 else 5)
    circles = [query["sql"].count('"latitude" BETWEEN') for query in captured]
    assert circles == looks


def test_near_at_any_distance_counting_can_stop_past_a_number():
    _food_around_basildon()
    exact_total, exact_page, _ = search_page(start=5, size=5, q="food", near=BASILDON)

    total, page, _ = search_page(start=5, size=5, q="food", near=BASILDON, count_up_to=10)

    assert exact_total == 18
    assert total == 11  # "more than 10"
    assert page == exact_page
    assert search_page(start=50, size=5, q="food", near=BASILDON, count_up_to=10)[:2] == (11, [])
    assert search_page(start=0, size=5, q="food", near=BASILDON, count_up_to=18)[0] == 18


@on_postgres
@pytest.mark.parametrize("q", ["food", ""])
def test_in_a_large_table_a_common_word_near_a_postcode_is_not_counted_past_a_sample(
    q, monkeypatch
):
    """Counting even the first `count_up_to` matches of a common word reads every match
    first; in a large table a sample of it that finds many times as many settles "more
    than". Without words, counting stops at the limit by itself."""
    from directory.search import ranking

    key = ranking._database(connection)
    monkeypatch.setitem(ranking._LARGE, key, True)
    monkeypatch.setattr(ranking, "ESTIMATE_BEYOND", 2)
    monkeypatch.setitem(ranking._ROWS, key, 1)  # small: the estimate's sample is all of it
    _food_around_basildon()
    exact_total, exact_page, _ = search_page(start=5, size=5, q=q, near=BASILDON)

    with CaptureQueriesContext(connection) as captured:
        total, page, _ = search_page(start=5, size=5, q=q, near=BASILDON, count_up_to=3)

    assert total == 4  # "more than 3"
    assert page == exact_page
    assert any("TABLESAMPLE" in query["sql"] for query in captured) == bool(q)
    assert search_page(start=5, size=5, q=q, near=BASILDON, count_up_to=18)[0] == exact_total


def test_a_near_page_that_the_first_miles_fill_still_ranks_ties_by_the_words():
    _food_around_basildon()
    total, page, _ = search_page(start=0, size=4, q="food", near=BASILDON)

    found = Service.objects.in_bulk([pk for pk, _ in page])
    assert [found[pk].name for pk, _ in page] == [f"Food share {n}" for n in range(4)]
    assert total == 18


def test_within_a_radius_pages_count_only_what_is_inside():
    _food_around_basildon()
    expected = list(search_services(q="food", near=BASILDON, within_miles=3))

    total, page, _ = search_page(start=0, size=20, q="food", near=BASILDON, within_miles=3)

    assert total == len(expected) == 9
    assert [pk for pk, _ in page] == [s.pk for s in expected]


@on_postgres
@pytest.mark.parametrize("q", ["food", ""])
def test_in_a_large_table_a_search_within_a_distance_counts_its_circle_as_it_reads_it(
    q, monkeypatch
):
    """Past ESTIMATE_FROM_ROWS services, keyword pages count up to a limit and then estimate
    from a sample. Within a distance the page reads every match in the circle anyway, so it
    counts them as it does (exactly, as in a smaller table), without a second read of the
    circle or a sample of the table."""
    from directory.search import ranking

    key = ranking._database(connection)
    monkeypatch.setitem(ranking._LARGE, key, True)
    _food_around_basildon()
    expected = list(search_services(q=q, near=BASILDON, within_miles=3))

    with CaptureQueriesContext(connection) as captured:
        total, page, _ = search_page(
            start=0, size=5, q=q, near=BASILDON, within_miles=3, count_up_to=4
        )

    assert total == len(expected) == (9 if q else 10)  # exact, past the limit
    assert isinstance(total, ranking.About)  # shown as "about"
    assert [pk for pk, _ in page] == [s.pk for s in expected[:5]]
    statement = captured[-1]["sql"]
    assert "TABLESAMPLE" not in statement
    assert statement.count('"latitude" BETWEEN') == 1  # the circle, read once


@pytest.mark.parametrize("q", ["food", "food club", "fod"])
def test_every_keyword_page_matches_the_ranked_search(q):
    _food_around_basildon()
    ServiceFactory(name="Community fridge", description="Free food, no questions asked")
    ServiceFactory(name="Football club", keywords="food")
    expected = list(search_services(q=q))

    for start in range(0, len(expected) + 3, 3):
        total, page, _ = search_page(start=start, size=3, q=q)

        assert total == len(expected)
        assert [pk for pk, _ in page] == [s.pk for s in expected[start : start + 3]]
        for (_, values), service in zip(page, expected[start : start + 3], strict=True):
            assert values["rank"] == pytest.approx(service.rank)


def test_clearing_a_categorys_services_rewrites_only_theirs():
    term = TaxonomyTermFactory(name="Budgeting")
    ServiceFactory.create_batch(3, categories=[term])
    ServiceFactory.create_batch(5)  # not in the category

    with CaptureQueriesContext(connection) as captured:
        term.services.clear()

    sql = [q["sql"] for q in captured.captured_queries]
    updates = [q for q in sql if q.startswith("UPDATE") and "search_extra" in q]
    assert len(updates) == 1
    assert "1 = 1" not in updates[0]  # the three services by id, not every service
    assert names(search_services(q="budgeting")) == []


def test_words_that_find_plenty_are_searched_in_one_statement():
    for n in range(TYPO_THRESHOLD):
        ServiceFactory(name=f"Food service {n:02}")

    with CaptureQueriesContext(connection) as captured:
        total, page, corrected = search_page(start=0, size=5, q="food")

    # No spelling check: the first statement's total already settles it.
    assert len(captured.captured_queries) == 1
    assert (total, corrected) == (TYPO_THRESHOLD, "")
    assert [pk for pk, _ in page] == [s.pk for s in search_services(q="food")[:5]]


@on_postgres
def test_a_misspelt_word_is_corrected_after_the_words_find_too_little():
    ServiceFactory(name="Pitsea pantry", description="Emergency food parcels")
    ServiceFactory(name="Youth club", description="Games")

    total, page, corrected = search_page(start=0, size=5, q="fod parcels")

    assert (total, corrected) == (1, "food parcels")
    assert [pk for pk, _ in page] == [s.pk for s in search_services(q="fod parcels")]


@on_postgres
@pytest.mark.parametrize("start", [0, 5], ids=["first page", "a later page"])
def test_words_that_match_nothing_are_searched_as_their_correction_alone(start):
    """The same page as the corrected words, from a statement that matches and ranks them
    only (not every row twice, as when some listing uses the words as typed)."""
    for n in range(8):
        ServiceFactory(name=f"Food bank {n}", description="food " * n + "parcels")
    ServiceFactory(name="Youth club", description="Games")
    assert ranker_for(Service.objects.all()).spelling("fod bank").unmatched

    with CaptureQueriesContext(connection) as queries:
        total, page, corrected = search_page(start=start, size=5, q="fod bank")

    assert (total, corrected) == (8, "food bank")
    assert [pk for pk, _ in page] == [
        pk for pk, _ in search_page(start=start, size=5, q="food bank")[1]
    ]
    ranked = [q["sql"] for q in queries.captured_queries if "ts_rank" in q["sql"]][-1]
    assert "'food bank'" in ranked and "'fod bank'" not in ranked


@on_postgres
def test_corrections_that_find_nothing_more_are_not_offered():
    ServiceFactory(name="Pitsea pantry", description="Emergency food parcels")
    ServiceFactory(name="Youth club", description="Games")

    # "fod" is corrected to "food", but the one food listing is found by "parcels" already.
    total, page, corrected = search_page(start=0, size=5, q="fod or parcels")
    assert (total, corrected) == (1, "")

    ServiceFactory(name="Food club", description="Lunch together")
    total, page, corrected = search_page(start=0, size=5, q="fod or parcels")
    assert (total, corrected) == (2, "food or parcels")


@on_postgres
def test_filters_that_leave_few_matches_do_not_count_as_a_misspelling():
    free = [ServiceFactory(name=f"Food club {n:02}", cost=Service.Cost.FREE) for n in range(2)]
    for n in range(TYPO_THRESHOLD):
        ServiceFactory(name=f"Food bank {n:02}", cost=Service.Cost.PAID)
    ServiceFactory(name="Foodbank Pitsea", cost=Service.Cost.FREE)  # a similar name

    total, page, corrected = search_page(start=0, size=5, q="food", costs=[Service.Cost.FREE])

    # The words alone find plenty, so no similar names join the two free clubs.
    assert (total, corrected) == (2, "")
    assert [pk for pk, _ in page] == [s.pk for s in free]


class _FreeFilter(django_filters.BooleanFilter):
    def filter(self, qs, value):
        return qs.filter(cost=Service.Cost.FREE) if value else qs


class _SearchWithFree(ServiceSearch):
    free = _FreeFilter()


def test_a_filter_added_to_the_search_narrows_ranked_and_plain_results_alike():
    # As directory.search says to add one: declare it; its filter() narrows the services.
    ServiceFactory(name="Free food", cost=Service.Cost.FREE)
    ServiceFactory(name="Paid food", cost=Service.Cost.PAID)

    for query in ("q=food&free=true", "free=true"):
        search = _SearchWithFree(QueryDict(query))
        assert search.is_valid()
        results = results_page(search, 1)
        assert names(Service.objects.filter(pk__in=results.page.object_list)) == ["Free food"]
        assert results.paginator.count == 1


def _reads_of_the_services(sql):
    """How many reads of the services table a statement's plan ran (EXPLAIN ANALYZE), and
    the plan as text."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
        plan = [line for (line,) in cursor.fetchall()]
    reads = [line for line in plan if " on directory_service " in line]
    return len([line for line in reads if "never executed" not in line]), "\n".join(plan)


@on_postgres
@pytest.mark.parametrize("large", [False, True], ids=["exact count", "sampled count"])
@pytest.mark.parametrize("rum", [False, True])
def test_past_the_exact_count_the_total_is_about_so_many_and_the_page_is_the_best(
    rum, large, monkeypatch
):
    """Both ways of counting: every match (a table under ESTIMATE_FROM_ROWS services), or up
    to the limit, then a sample of the table (as if it were that large)."""
    from directory.search import ranking

    take_table_as(monkeypatch, large=large, rum=rum)
    for n in range(1, 31):  # more "food" ranks higher: no ties
        ServiceFactory(name=f"Lunch {n:02}", description="food " * n + "and company")
    exact_total, exact_page, _ = search_page(start=0, size=5, q="food")

    total, page, _ = search_page(start=0, size=5, q="food", count_up_to=10)

    assert exact_total == 30
    assert isinstance(total, ranking.About) and total > 10  # "about 30", never "10"
    assert [pk for pk, _ in page] == [pk for pk, _ in exact_page]
    # Few matches: exact, whichever way the page is cut.
    assert search_page(start=0, size=5, q="food", count_up_to=100)[0] == 30


@on_postgres
@pytest.mark.parametrize("rum", [False, True])
def test_in_a_large_table_fewer_matches_than_the_limit_are_read_once(rum, monkeypatch):
    """An estimate under count_up_to: the page ranks and counts every match in one pass, as in
    a smaller table, rather than counting them first and reading them again to rank them."""
    from directory.search import ranking

    key = take_table_as(monkeypatch, large=True, rum=rum)
    monkeypatch.setitem(ranking._ROWS, key, 1)  # small: the estimate's sample is all of it
    for n in range(1, 31):
        ServiceFactory(name=f"Lunch {n:02}", description="food " * n)
    ServiceFactory.create_batch(5)
    expected = [s.pk for s in search_services(q="food")]

    with CaptureQueriesContext(connection) as captured:
        total, page, _ = search_page(start=5, size=5, q="food", count_up_to=100)

    assert total == 30 and not isinstance(total, ranking.About)
    assert [pk for pk, _ in page] == expected[5:10]
    # The estimate's sample, then the matches once; the count and the other ways not run.
    reads, plan = _reads_of_the_services(captured[-1]["sql"])
    assert reads == 2, plan


@on_postgres
def test_in_a_large_table_pages_cut_from_the_rum_index_follow_on_from_one_another(monkeypatch):
    """Past the exact count, pages come from the best matches in the RUM index's order, which
    is not ts_rank's: each page is the next in the index's order, so paging on gives every
    match once (pages cut from the index's best, ranked by ts_rank, repeated services)."""
    from directory.search import ranking

    key = take_table_as(monkeypatch, large=True, rum=True)
    monkeypatch.setitem(ranking._ROWS, key, 1)  # small: the estimate's sample is all of it
    for n in range(40):  # the words at varying counts and distances, each text twice (ties)
        ServiceFactory(
            name=f"Club {39 - n:02}",
            description=" ".join(
                ["youth"] * (n // 2 % 7 + 1)
                + ["and"] * (n // 2 * 3 % 11)
                + ["club"] * (n // 2 % 5 + 1)
            ),
        )
    q = "youth club"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM directory_service WHERE search_document @@ "
            "websearch_to_tsquery('english', %s) ORDER BY search_document <=> "
            "websearch_to_tsquery('english', %s), name, id",
            [q, q],
        )
        in_index_order = [pk for (pk,) in cursor.fetchall()]
    by_ts_rank = [s.pk for s in search_services(q=q)]
    assert len(in_index_order) == 40 and in_index_order[:10] != by_ts_rank[:10]  # they differ

    pages = []
    for start in range(0, 40, 5):
        total, page, _ = search_page(start=start, size=5, q=q, count_up_to=10)
        assert isinstance(total, ranking.About) and total == 40
        pages += [pk for pk, _ in page]
    assert pages == in_index_order


@on_postgres
@pytest.mark.parametrize("rum", [False, True])
def test_words_that_match_a_large_share_of_a_large_table_rank_a_sample_of_it_first(
    rum, client, monkeypatch
):
    """Past SAMPLE_BEYOND x SAMPLED_MATCHES estimated matches, the results are the matches in
    one repeatable sample of the table, ranked exactly, then every other match, ranked: each
    match once, page after page, on the public page and in the ORUK API (here the thresholds
    are scaled down to a small table)."""
    from directory.oruk import queries
    from directory.search import ranking

    key = take_table_as(monkeypatch, large=True, rum=rum)
    monkeypatch.setattr(ranking, "SAMPLED_MATCHES", 40)
    monkeypatch.setattr(ranking, "SAMPLE_BEYOND", 2)  # from 80 matches
    monkeypatch.setitem(ranking._ROWS, key, 1)  # small: the estimate's sample is all of it
    organisation = OrganisationFactory()
    for n in range(1, 201):  # more "food" ranks higher; spread over many blocks
        ServiceFactory(
            name=f"Lunch {n:03}",
            organisation=organisation,
            description="food " * n,
            eligibility="Anyone. " * 100,
        )
    ServiceFactory.create_batch(20, organisation=organisation, eligibility="Anyone. " * 100)
    # The sample the statement takes: 40 expected matches of 200, so 20% of the table.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM directory_service TABLESAMPLE SYSTEM (20) REPEATABLE (0)")
        in_sample = {pk for (pk,) in cursor.fetchall()}
    exact = [s.pk for s in search_services(q="food")]
    best_in_sample = [pk for pk in exact if pk in in_sample]
    assert 5 * 3 <= len(best_in_sample) < 195  # a sample, holding three pages
    expected = best_in_sample + [pk for pk in exact if pk not in in_sample]

    pages = []
    for start in range(0, 200, 5):
        with CaptureQueriesContext(connection) as captured:
            total, page, _ = search_page(start=start, size=5, q="food", count_up_to=10)
        assert isinstance(total, ranking.About) and total == 200
        assert "TABLESAMPLE" in captured[-1]["sql"]
        pages += [pk for pk, _ in page]
        if start == 0:  # within the sample: the other matches are not read
            reads, plan = _reads_of_the_services(captured[-1]["sql"])
            assert reads == 2, plan  # the estimate's sample and the larger sample only
    assert pages[:15] == best_in_sample[:15] != exact[:15]  # the sample's best first
    assert pages == expected  # then the rest, ranked: every match once
    # Counted exactly (fewer than count_up_to): every match is ranked.
    total, page, _ = search_page(start=0, size=5, q="food", count_up_to=300)
    assert total == 200 and not isinstance(total, ranking.About)
    assert [pk for pk, _ in page] == exact[:5]
    # The ORUK API, which clients page through to the end, in the same order.
    monkeypatch.setattr(queries, "COUNT_EXACTLY_UP_TO", 10)
    names = {s.pk: s.name for s in Service.objects.all()}
    listed = []
    for number in range(1, 9):
        body = client.get("/api/oruk/services", {"text": "food", "per_page": 25, "page": number})
        assert body.json()["total_items"] == 200
        listed += [item["name"] for item in body.json()["contents"]]
    assert listed == [names[pk] for pk in expected]
