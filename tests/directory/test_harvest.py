"""Harvesting another council's ORUK feed, against a real HTTP server playing the feed: the
published ORUK 3.0 examples, the ways a feed fails, withdrawal and organisation de-duplication."""

import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.harvest import HarvestError, harvest_feed
from directory.models import (
    FeedTermMapping,
    HarvestedOrganisation,
    HarvestFeed,
    Location,
    Schedule,
    Service,
)
from partners.models import Organisation
from tests.directory.feeds import FakeFeed, example, page
from tests.factories import OrganisationFactory, ServiceFactory, TaxonomyTermFactory


@pytest.fixture
def fake_feed():
    feed = FakeFeed()
    yield feed
    feed.close()


@pytest.fixture
def feed(db, fake_feed):
    return HarvestFeed.objects.create(name="Thurrock Council", base_url=fake_feed.url)


def service(name, *, charity="1234567", org_id=None, service_id=None):
    """The published example service_full, renamed, with its own ids and a charity number."""
    data = example("service_full")
    data["id"] = service_id or str(uuid.uuid5(uuid.NAMESPACE_URL, name))
    data["name"] = name
    data["organization"]["id"] = org_id or str(uuid.uuid5(uuid.NAMESPACE_URL, "org" + charity))
    data["organization"]["organization_identifiers"] = [
        {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, "id" + charity)),
            "identifier_scheme": "GB-CHC",
            "identifier_type": "Charity number",
            "identifier": charity,
        }
    ]
    for link in data["service_at_locations"]:
        link["location"]["id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, name + "place"))
    return data


def directory_state():
    """Everything a harvest may write, to compare before and after."""
    return (
        sorted(Service.objects.values_list("source_id", "name", "publication", "status")),
        Organisation.objects.count(),
        Location.objects.count(),
        Schedule.objects.count(),
        HarvestedOrganisation.objects.count(),
    )


def test_first_harvest_imports_the_published_example_and_the_public_finds_it(
    client, feed, fake_feed
):
    term = TaxonomyTermFactory(name="Advice")
    upstream = example("service_full")
    their_term = upstream["attributes"][0]["taxonomy_term"]["id"]
    FeedTermMapping.objects.create(feed=feed, their_term=their_term, term=term)
    fake_feed.pages = {1: page([upstream])}

    result = harvest_feed(feed=feed)

    assert (result.full, result.fetched, result.created, result.withdrawn) == (True, 1, 1, 0)
    harvested = Service.objects.get(source_feed=feed)
    assert harvested.source_id == upstream["id"]
    assert harvested.name == upstream["name"]
    assert harvested.publication == Service.Publication.PUBLISHED
    assert list(harvested.categories.all()) == [term]
    assert (
        harvested.locations.get().source_id == upstream["service_at_locations"][0]["location"]["id"]
    )
    assert harvested.organisation.harvested_from.get().source_id == upstream["organization"]["id"]
    assert fake_feed.requests[0] == (
        "/api/oruk/services",
        {"full": "true", "per_page": "100", "page": "1"},
    )
    feed.refresh_from_db()
    assert feed.last_success_at == feed.last_attempt_at == feed.last_full_at
    assert feed.last_error == ""

    found = client.get(reverse("directory:search"), {"q": upstream["name"]})
    assert found.status_code == 200
    assert upstream["name"] in found.content.decode()
    assert "Listed by Thurrock Council" in found.content.decode()
    detail = client.get(harvested.get_absolute_url())
    assert "Listed by Thurrock Council" in detail.content.decode()


def test_later_harvest_asks_only_for_changes_and_applies_exactly_them(feed, fake_feed):
    fake_feed.pages = {1: page([service("Food bank"), service("Warm space")])}
    harvest_feed(feed=feed)
    first_start = feed.last_success_at
    changed = service("Warm space")
    changed["description"] = "Now open on Sundays too."
    fake_feed.pages = {1: page([changed])}

    result = harvest_feed(feed=feed)

    assert (result.full, result.fetched, result.created, result.updated) == (False, 1, 0, 1)
    # UK wall-clock time, as our own API (and ORUK's examples) read modified_after.
    expected = timezone.localtime(first_start).strftime("%Y-%m-%dT%H:%M:%S")
    assert fake_feed.requests[-1][1]["modified_after"] == expected
    assert Service.objects.get(name="Warm space").description == "Now open on Sundays too."
    assert Service.objects.filter(source_feed=feed).published().count() == 2


def test_full_pass_withdraws_services_gone_from_the_feed_and_restores_returning_ones(
    client, feed, fake_feed
):
    fake_feed.pages = {1: page([service("Food bank"), service("Warm space")])}
    harvest_feed(feed=feed)
    search = reverse("directory:search")
    assert "Warm space" in client.get(search, {"q": "warm space"}).content.decode()
    fake_feed.pages = {1: page([service("Food bank")])}

    result = harvest_feed(feed=feed, full=True)

    assert result.withdrawn == 1
    gone = Service.objects.get(name="Warm space")
    assert gone.publication == Service.Publication.DRAFT  # kept, not deleted
    assert Service.objects.published().filter(source_feed=feed).count() == 1
    # A resident searching again (the page was cached) no longer finds it.
    assert "Warm space" not in client.get(search, {"q": "warm space"}).content.decode()
    fake_feed.pages = {1: page([service("Food bank"), service("Warm space")])}
    harvest_feed(feed=feed, full=True)
    assert Service.objects.published().filter(source_feed=feed).count() == 2


def test_shape_change_on_page_two_leaves_the_directory_as_it_was(feed, fake_feed):
    fake_feed.pages = {1: page([service("Food bank")])}
    harvest_feed(feed=feed)
    good = feed.last_success_at
    before = directory_state()
    renamed = service("Food bank")
    renamed["name"] = "Renamed food bank"
    fake_feed.pages = {
        1: page([renamed, service("New club")], total_pages=2),
        2: {"items": [service("Another")], "pages": 2},
    }

    with pytest.raises(HarvestError, match="Page 2 is not an ORUK page"):
        harvest_feed(feed=feed, full=True)

    assert directory_state() == before
    feed.refresh_from_db()
    assert feed.last_success_at == good
    assert feed.last_attempt_at > good
    assert "Page 2 is not an ORUK page" in feed.last_error


def _schema_invalid():
    broken = service("Broken")
    broken["status"] = "open-ish"  # not one of the schema's statuses
    return page([broken])


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (500, "The feed answered 500"),
        (("slow", 3), "did not answer within 0.5 seconds"),
        (b"{'not': json", "not JSON"),
        ("schema", "does not follow the ORUK 3.0 schema"),
        ({"total_pages": 1}, "not an ORUK page"),
    ],
    ids=["server-error", "timeout", "invalid-json", "schema-invalid", "not-a-page"],
)
def test_failing_feed_changes_nothing_and_tells_the_officer(feed, fake_feed, answer, message):
    fake_feed.pages = {1: page([service("Food bank")])}
    harvest_feed(feed=feed)
    good = feed.last_success_at
    before = directory_state()
    fake_feed.pages = {1: _schema_invalid() if answer == "schema" else answer}

    with pytest.raises(CommandError, match="1 of 1 feeds failed"):
        call_command("harvest_oruk", "Thurrock Council", "--full", "--timeout", "0.5")

    assert directory_state() == before
    feed.refresh_from_db()
    assert message in feed.last_error
    assert feed.last_success_at == good
    assert feed.last_attempt_at > good


def test_same_charity_from_two_feeds_is_one_organisation(feed, fake_feed, db):
    ours = OrganisationFactory(name="Basildon Mind", charity_number="1100000")
    other = HarvestFeed.objects.create(name="Essex County Council", base_url=fake_feed.url)
    fake_feed.pages = {
        1: page(
            [
                service("Peer support", charity="1100000", org_id=str(uuid.uuid4())),
                service("Youth club", charity="1200000"),
            ]
        )
    }
    harvest_feed(feed=feed)
    fake_feed.pages = {
        1: page([service("Carers group", charity="1200000", org_id=str(uuid.uuid4()))])
    }
    harvest_feed(feed=other)

    assert Service.objects.get(name="Peer support").organisation == ours
    youth = Service.objects.get(name="Youth club").organisation
    assert Service.objects.get(name="Carers group").organisation == youth
    assert Organisation.objects.filter(charity_number="1200000").count() == 1
    assert set(youth.harvested_from.values_list("feed__name", flat=True)) == {
        "Thurrock Council",
        "Essex County Council",
    }


def test_command_harvests_only_due_active_feeds(feed, fake_feed, capsys):
    fake_feed.pages = {1: page([service("Food bank")])}
    HarvestFeed.objects.create(name="Paused", base_url=fake_feed.url, is_active=False)

    call_command("harvest_oruk")
    call_command("harvest_oruk")  # nothing is due a second time today

    out, err = capsys.readouterr()
    assert out.count("Thurrock Council: Full: 1 services read, 1 new") == 1
    assert "No feeds due." in out
    assert "Thurrock Council: page 1 of 1" in err
    assert "Paused" not in out
    assert len(fake_feed.requests) == 1


def test_officer_sees_a_harvested_service_read_only_and_why(officer_client, feed, fake_feed):
    fake_feed.pages = {1: page([service("Food bank")])}
    harvest_feed(feed=feed)
    harvested = Service.objects.get(source_feed=feed)
    url = reverse("admin:directory_service_change", args=[harvested.pk])

    page_ = officer_client.get(url)
    assert page_.status_code == 200
    text = page_.content.decode()
    assert "Read-only here" in text and "Listed by Thurrock Council" in text
    assert 'name="_save"' not in text
    refused = officer_client.post(url, {"name": "Edited here"})
    assert refused.status_code == 403
    harvested.refresh_from_db()
    assert harvested.name == "Food bank"
    local = ServiceFactory()
    editable = officer_client.get(reverse("admin:directory_service_change", args=[local.pk]))
    assert 'name="_save"' in editable.content.decode()


def test_feed_admin_shows_the_last_harvest_and_error_in_words(officer_client, feed, fake_feed):
    fake_feed.pages = {1: 500}
    with pytest.raises(HarvestError):
        harvest_feed(feed=feed)

    response = officer_client.get(reverse("admin:directory_harvestfeed_change", args=[feed.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Last successful harvest" in text and "Never" in text
    assert "The feed answered 500" in text
    listing = officer_client.get(reverse("admin:directory_harvestfeed_changelist"))
    assert listing.status_code == 200 and "Thurrock Council" in listing.content.decode()


def test_coordinator_cannot_open_the_feed_admin(client, coordinator_a, feed):
    client.force_login(coordinator_a)
    for name, args in (("changelist", []), ("change", [feed.pk]), ("add", [])):
        response = client.get(reverse(f"admin:directory_harvestfeed_{name}", args=args))
        assert response.status_code == 403


def test_place_changed_upstream_is_updated_not_copied_and_local_listings_are_untouched(
    feed, fake_feed
):
    local = ServiceFactory(name="Our own lunch club")
    local_modified = local.last_modified
    fake_feed.pages = {1: page([service("Food bank")])}
    harvest_feed(feed=feed)
    moved = service("Food bank")
    address = moved["service_at_locations"][0]["location"]["addresses"][0]
    address["address_1"] = "2 New Street"
    fake_feed.pages = {1: page([moved])}

    result = harvest_feed(feed=feed, full=True)

    assert (result.updated, result.created, result.withdrawn) == (1, 0, 0)
    place = Location.objects.get(source_feed=feed)
    assert place.address_1 == "2 New Street"
    assert Location.objects.filter(source_feed=feed).count() == 1
    local.refresh_from_db()
    assert (local.name, local.last_modified) == ("Our own lunch club", local_modified)
    assert local.source_feed is None


def test_harvested_languages_and_access_features_are_filters_residents_can_use(
    client, feed, fake_feed
):
    upstream = service("Deaf club")
    upstream["languages"] = [
        {"id": str(uuid.uuid4()), "code": "bfi"},
        {"id": str(uuid.uuid4()), "name": "polish"},
        {"id": str(uuid.uuid4()), "name": "Klingon"},  # not one we list: left out
    ]
    place = upstream["service_at_locations"][0]["location"]
    notes = place["accessibility"][0]["description"]
    place["accessibility"].append(
        {"id": str(uuid.uuid4()), "accessibility": "step_free_access", "description": "Step-free"}
    )
    fake_feed.pages = {1: page([upstream])}

    harvest_feed(feed=feed)

    harvested = Service.objects.get(source_feed=feed)
    assert sorted(harvested.languages.values_list("language", flat=True)) == ["bfi", "pl"]
    location = harvested.locations.get()
    assert location.step_free_access and not location.hearing_loop
    assert location.accessibility == notes  # free text stays a note
    found = client.get(
        reverse("directory:search"), {"accessibility": "step_free_access", "language": "bfi"}
    )
    assert "Deaf club" in found.content.decode()
    # Upstream drops BSL and the step-free entrance: so do we.
    upstream["languages"] = upstream["languages"][1:]
    place["accessibility"] = place["accessibility"][:1]
    harvest_feed(feed=feed, full=True)
    assert list(harvested.languages.values_list("language", flat=True)) == ["pl"]
    location.refresh_from_db()
    assert not location.step_free_access


def test_officer_registers_a_feed_with_a_term_mapping_in_the_admin(officer_client):
    term = TaxonomyTermFactory(name="Food")
    prefix = "term_mappings"
    form = {
        "name": "Thurrock Council",
        "base_url": "https://api.thurrock.example/oruk",
        "frequency": HarvestFeed.Frequency.WEEKLY,
        "is_active": "on",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-0-their_term": "food-banks",
        f"{prefix}-0-term": str(term.pk),
    }

    response = officer_client.post(reverse("admin:directory_harvestfeed_add"), form)

    assert response.status_code == 302
    feed = HarvestFeed.objects.get()
    assert (feed.name, feed.frequency, feed.is_active) == ("Thurrock Council", "weekly", True)
    assert feed.term_mappings.get().term == term
    invalid = officer_client.post(
        reverse("admin:directory_harvestfeed_add"), form | {"base_url": "not a url"}
    )
    assert invalid.status_code == 200
    assert HarvestFeed.objects.count() == 1


def test_feed_list_takes_the_same_queries_for_one_feed_or_five(
    officer_client, django_assert_max_num_queries, fake_feed
):
    url = reverse("admin:directory_harvestfeed_changelist")
    HarvestFeed.objects.create(name="Feed 0", base_url=fake_feed.url)
    officer_client.get(url)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as one:
        officer_client.get(url)
    for number in range(1, 5):
        HarvestFeed.objects.create(name=f"Feed {number}", base_url=fake_feed.url)
    with django_assert_max_num_queries(len(one)):
        response = officer_client.get(url)
    assert response.content.decode().count("Feed ") >= 5
