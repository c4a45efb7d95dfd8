"""County-scale behaviour: the search page cache, one-query ranked pages, the bulk CSV import."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.views.decorators.cache import cache_page

from core.cache import version
from directory import csv_io, services
from directory.extensions import registered_search_panels
from directory.models import Service, TaxonomyTerm
from partners.models import Organisation
from tests.factories import (
    AreaFactory,
    LocationFactory,
    OrganisationFactory,
    PostcodeFactory,
    ServiceFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db
SEARCH = reverse("directory:search")


def result_names(response):
    return re.findall(r'itemprop="name">([^<]+)</span></a></h3>', response.content.decode())


def test_a_repeated_anonymous_search_is_served_from_the_cache(client, django_assert_num_queries):
    ServiceFactory(name="Food bank")
    client.get(SEARCH, {"q": "food"})

    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": "food"})

    assert response.status_code == 200
    assert result_names(response) == ["Food bank"]


def test_saving_a_service_empties_the_search_cache(client):
    service = ServiceFactory(name="Food bank")
    client.get(SEARCH, {"q": "food"})

    service.name = "Food larder"
    service.save()

    assert result_names(client.get(SEARCH, {"q": "food"})) == ["Food larder"]


def test_a_page_cached_while_a_change_commits_is_not_served_after_it(
    client, django_capture_on_commit_callbacks
):
    service = ServiceFactory(name="Food bank")
    with django_capture_on_commit_callbacks(execute=True):
        service.name = "Food larder"
        service.save()
        # Another visitor's request read the old row before the change committed, and
        # stored its page under the version the save started.
        during = version()
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=60):
            cache_page(60, key_prefix=f"public:{during}")(
                lambda request: HttpResponse("<h3>Food bank</h3>")
            )(RequestFactory().get(SEARCH, {"q": "food"}))

    assert version() != during

    assert result_names(client.get(SEARCH, {"q": "food"})) == ["Food larder"]


def test_changing_a_services_categories_empties_the_search_cache(client):
    service = ServiceFactory(name="Lunch club")
    client.get(SEARCH, {"q": "meals"})

    service.categories.add(TaxonomyTermFactory(name="Meals"))

    assert result_names(client.get(SEARCH, {"q": "meals"})) == ["Lunch club"]


def test_a_new_town_or_category_shows_in_the_filters_straight_away(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    AreaFactory(name="Pitsea", slug="pitsea")
    client.get(SEARCH)  # the filters' lists are now kept, in the cache and in this process

    AreaFactory(name="Wickford", slug="wickford")
    TaxonomyTermFactory(name="Warm spaces", slug="warm-spaces")
    page = client.get(SEARCH).content.decode()

    assert '<option value="pitsea">Pitsea</option>' in page
    assert '<option value="wickford">Wickford</option>' in page
    assert 'value="warm-spaces"' in page


def test_visitors_with_a_session_always_get_a_fresh_page(client):
    ServiceFactory(name="Food bank")
    client.cookies["sessionid"] = "something"
    client.get(SEARCH, {"q": "food"})

    with CaptureQueriesContext(connection) as queries:
        client.get(SEARCH, {"q": "food"})

    assert len(queries) > 0


def test_the_cache_can_be_turned_off(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    ServiceFactory(name="Food bank")
    client.get(SEARCH, {"q": "food"})

    with CaptureQueriesContext(connection) as queries:
        client.get(SEARCH, {"q": "food"})

    assert len(queries) > 0


def test_a_keyword_page_past_the_end_shows_the_last_page(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    for n in range(25):
        ServiceFactory(name=f"Food service {n:02}")

    response = client.get(SEARCH, {"q": "food", "page": "9"})

    assert response.status_code == 200
    assert "25 results" in response.content.decode()
    assert len(result_names(response)) == 5


def test_a_keyword_page_counts_every_match_with_one_search_query(
    client, settings, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    for n in range(45):
        ServiceFactory(name=f"Food service {n:02}", locations=[LocationFactory()])

    # The spelling check (PostgreSQL), the ranked page with its total, the page's services and
    # two prefetches, which also give the map its places (until their cards are cached), and
    # one query per panel a higher app adds (volunteer roles); categories and towns for the
    # filters too, until they are cached.
    with django_assert_max_num_queries(7 + registered_search_panels()):
        response = client.get(SEARCH, {"q": "food", "page": "2"})
    with django_assert_max_num_queries(5 + registered_search_panels()):
        again = client.get(SEARCH, {"q": "food", "page": "2"})

    for page in (response, again):
        assert "45 results" in page.content.decode()
        assert len(result_names(page)) == 20


def test_a_keyword_search_filtered_by_cost_and_access_lists_each_match_once(client, settings):
    """Cost and access are columns of the service: no DISTINCT, which would rank every match
    before the page could be cut (a rank-ordered index cannot apply past one)."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    free, drop_in = Service.Cost.FREE, Service.Access.DROP_IN
    two = [TaxonomyTermFactory(), TaxonomyTermFactory()]
    places = [LocationFactory(), LocationFactory()]
    ServiceFactory(name="Food cafe", cost=free, access=drop_in, locations=places, categories=two)
    ServiceFactory(name="Food club", cost=free, access=Service.Access.BOOKING)
    ServiceFactory(name="Food shop", cost=Service.Cost.PAID, access=drop_in)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"q": "food", "cost": [free], "access": [drop_in]})
        everything = client.get(SEARCH, {"q": "food", "cost": [free, "paid"]})

    assert result_names(response) == ["Food cafe"]
    assert sorted(result_names(everything)) == ["Food cafe", "Food club", "Food shop"]
    ranked = [q["sql"] for q in queries.captured_queries if "rank" in q["sql"]]
    assert ranked and not any("DISTINCT" in sql for sql in ranked)


def csv_text(count, organisation):
    out = io.StringIO()
    out.write("name,organisation,description,publication,categories,schedules\n")
    for n in range(count):
        out.write(f"Imported {n},{organisation.slug},Service,published,food,TU 10:00-12:00; FR\n")
    return out.getvalue().encode()


def import_queries(count, organisation):
    with CaptureQueriesContext(connection) as queries:
        parsed = csv_io.parse_services(io.BytesIO(csv_text(count, organisation)))
        assert parsed.errors == []
        services.import_services(rows=parsed.rows)
    return len(queries)


def test_importing_twenty_times_the_rows_runs_about_the_same_queries():
    organisation = OrganisationFactory()
    TaxonomyTermFactory(name="Food", slug="food")

    few = import_queries(3, organisation)
    many = import_queries(60, organisation)

    # Bulk inserts, not a query per row; SQLite's limit on query parameters splits the
    # services' insert into a few batches.
    assert many <= few + 3
    assert Service.objects.count() == 63
    service = Service.objects.get(name="Imported 59")
    assert [t.slug for t in service.categories.all()] == ["food"]
    assert service.schedules.count() == 2


def test_imported_services_are_written_once_with_their_search_text():
    organisation = OrganisationFactory(name="Pitsea Larder Trust")
    TaxonomyTermFactory(name="Food", slug="food")
    TaxonomyTermFactory(name="Money advice", slug="money")
    text = (
        "name,organisation,description,publication,categories\n"
        f"Larder,{organisation.slug},Cheap groceries,published,money; food; money\n"
        f"Drop-in,{organisation.slug},Come along,published,\n"
    )

    parsed = csv_io.parse_services(io.BytesIO(text.encode()))
    services.import_services(rows=parsed.rows)

    larder = Service.objects.get(name="Larder")
    assert larder.search_extra == "Pitsea Larder Trust Money advice Food"
    # What the insert wrote is what the refresh would write: no second version of any row.
    assert (
        services.refresh_search_text(service_ids=Service.objects.values_list("pk", flat=True)) == 0
    )
    found = Client().get(SEARCH, {"q": "larder trust money"})
    assert result_names(found) == ["Larder"]
    if connection.vendor == "postgresql":  # imported words correct misspelt searches
        assert result_names(Client().get(SEARCH, {"q": "groceres"})) == ["Larder"]


def test_the_search_text_refresh_rewrites_only_what_changed():
    organisation = OrganisationFactory(name="Old name")
    mine = ServiceFactory(organisation=organisation)
    ServiceFactory()
    Service.objects.update(search_extra="")

    assert services.refresh_search_text(everything=True) == 2
    assert services.refresh_search_text(everything=True) == 0
    Organisation.objects.filter(pk=organisation.pk).update(name="New name")
    assert services.refresh_search_text(everything=True) == 1
    mine.refresh_from_db()
    assert mine.search_extra.startswith("New name ")


def test_an_import_updates_existing_services_and_replaces_their_categories():
    organisation = OrganisationFactory()
    old = TaxonomyTermFactory(slug="old")
    TaxonomyTermFactory(slug="new")
    service = ServiceFactory(name="Before", organisation=organisation, categories=[old])
    text = (
        "uuid,name,organisation,description,categories\n"
        f"{service.uuid},After,{organisation.slug},Changed,new\n"
    )

    parsed = csv_io.parse_services(io.BytesIO(text.encode()))
    created, updated = services.import_services(rows=parsed.rows)

    assert (created, updated) == (0, 1)
    service.refresh_from_db()
    assert service.name == "After"
    assert [t.slug for t in service.categories.all()] == ["new"]
    # Bulk writes send no signals: the import itself refreshes what keyword search matches.
    new_name = TaxonomyTerm.objects.get(slug="new").name
    assert new_name in service.search_extra
    assert TaxonomyTerm.objects.get(slug="old").name not in service.search_extra
    assert organisation.name in service.search_extra


def test_an_import_empties_the_search_cache(client, django_capture_on_commit_callbacks):
    organisation = OrganisationFactory()
    TaxonomyTermFactory(name="Food", slug="food")
    client.get(SEARCH, {"q": "imported"})

    with django_capture_on_commit_callbacks(execute=True):
        parsed = csv_io.parse_services(io.BytesIO(csv_text(2, organisation)))
        services.import_services(rows=parsed.rows)

    assert len(result_names(client.get(SEARCH, {"q": "imported"}))) == 2


def test_the_row_limit_can_be_lifted_for_large_imports():
    organisation = OrganisationFactory()
    TaxonomyTermFactory(name="Food", slug="food")

    limited = csv_io.parse_services(io.BytesIO(csv_text(5, organisation)), max_rows=4)
    unlimited = csv_io.parse_services(io.BytesIO(csv_text(5, organisation)), max_rows=None)

    assert limited.errors == [(0, "Import at most 4 rows at a time.")]
    assert len(unlimited.rows) == 5


def test_the_import_command_imports_a_large_file(tmp_path):
    organisation = OrganisationFactory()
    TaxonomyTermFactory(name="Food", slug="food")
    path = tmp_path / "services.csv"
    path.write_bytes(csv_text(12_000, organisation))

    call_command("import_services", str(path), stdout=io.StringIO())

    assert Service.objects.count() == 12_000


def test_the_import_command_imports_nothing_when_a_row_is_bad(tmp_path):
    organisation = OrganisationFactory()
    TaxonomyTermFactory(name="Food", slug="food")
    path = tmp_path / "services.csv"
    path.write_bytes(csv_text(3, organisation) + b"Bad,no-such-organisation,X,published,food,\n")

    with pytest.raises(CommandError, match="Nothing imported: 1 problems"):
        call_command("import_services", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    assert Service.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL spelling")
def test_a_misspelt_search_past_the_end_shows_the_last_page_in_few_queries(
    client, settings, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    PostcodeFactory(postcode="SS14 1DL")
    for n in range(3):
        ServiceFactory(name=f"Food bank {n}", locations=[LocationFactory()])
    client.get(SEARCH, {"postcode": "SS14 1DL"})  # filter lists now cached

    # The postcode's place (one read of its unique index), spelling, the page and its total,
    # the last page, the cards' services with their places (the map's too) and times, and one
    # query per panel.
    with django_assert_max_num_queries(8 + registered_search_panels()):
        response = client.get(SEARCH, {"q": "fod bank", "postcode": "SS14 1DL", "page": "9"})

    assert response.status_code == 200
    assert "3 results" in response.content.decode()
    assert sorted(result_names(response)) == ["Food bank 0", "Food bank 1", "Food bank 2"]
