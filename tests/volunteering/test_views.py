"""Public volunteering pages: search and filters, role pages, the two interest forms."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.forms import HONEYPOT_FIELD
from tests.factories import (
    AreaFactory,
    HubFactory,
    InterestFactory,
    RoleFactory,
    ServiceFactory,
    SkillFactory,
)
from volunteering.models import Interest, Role

pytestmark = pytest.mark.django_db
SEARCH = "/volunteer/"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()


@pytest.fixture
def places():
    return {
        "basildon": AreaFactory(name="Basildon", slug="basildon"),
        "pitsea": AreaFactory(name="Pitsea", slug="pitsea"),
    }


def titles(response):
    return [r.title for r in response.context["roles"]]


def test_the_nav_and_home_page_link_to_the_role_search(client):
    html = client.get("/").content.decode()

    assert reverse("volunteering:search") == SEARCH
    assert f'href="{SEARCH}"' in html


def test_search_lists_public_roles_only(client, places):
    RoleFactory(title="Befriender", area=places["basildon"])
    RoleFactory(title="Closed role", status=Role.Status.CLOSED)
    RoleFactory(title="Past closing", closing_date=timezone.localdate() - datetime.timedelta(1))

    response = client.get(SEARCH)

    assert response.status_code == 200
    assert titles(response) == ["Befriender"]
    assert "1 role" in response.content.decode()


def test_each_filter_narrows_the_roles(client, places):
    hub = HubFactory(name="Greenwood", slug="greenwood")
    cooking = SkillFactory(name="Cooking")
    RoleFactory(
        title="Food bank shift",
        area=places["basildon"],
        commitment="flexible",
        skills=[cooking],
        minimum_age=16,
        hub=hub,
    )
    RoleFactory(
        title="Phone befriender",
        area=None,
        is_remote=True,
        commitment="regular",
        hours_per_week=1,
    )
    RoleFactory(title="Festival steward", area=places["pitsea"], commitment="one_off")

    def search(**params):
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        return sorted(titles(response))

    assert search(area="basildon") == ["Food bank shift"]
    assert search(commitment="flexible") == ["Food bank shift"]
    assert search(commitment=["one_off", "regular"]) == ["Festival steward", "Phone befriender"]
    assert search(skills="cooking") == ["Food bank shift"]
    assert search(remote="on") == ["Phone befriender"]
    assert search(under_18="on") == ["Food bank shift"]
    assert search(hub="greenwood") == ["Food bank shift"]
    assert search(q="food bank") == ["Food bank shift"]
    assert search(q="steward", area="pitsea") == ["Festival steward"]
    assert search(q="nothing like this") == []


def test_a_resident_finds_a_flexible_role_near_them(client, places):
    RoleFactory(title="Community supermarket", area=places["pitsea"], commitment="flexible")
    RoleFactory(
        title="Regular driver", area=places["pitsea"], commitment="regular", hours_per_week=4
    )
    RoleFactory(title="Flexible elsewhere", area=places["basildon"], commitment="flexible")

    response = client.get(SEARCH, {"area": "pitsea", "commitment": "flexible"})

    assert titles(response) == ["Community supermarket"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"area": "atlantis"}, "Choose a town from the list"),
        ({"commitment": "forever"}, "Choose how much time from the list"),
        ({"skills": "juggling"}, "Choose skills from the list"),
        ({"hub": "nowhere"}, "Choose a hub from the list"),
        ({"q": "x" * 201}, "Search for 200 characters or fewer"),
    ],
)
def test_bad_filters_get_a_clear_message_not_an_error(client, places, params, message):
    RoleFactory(title="Befriender")

    response = client.get(SEARCH, params)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<title>Error: " in html
    assert response.context["roles"] == []


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999", "2", "\u00b2", "\u0661"])
def test_odd_page_numbers_show_a_page_not_an_error(client, page):
    RoleFactory()

    response = client.get(SEARCH, {"page": page})

    assert response.status_code == 200


def test_search_runs_a_constant_number_of_queries(client, places, django_assert_max_num_queries):
    skills = [SkillFactory(name=f"Skill {n}") for n in range(3)]
    for n in range(30):
        RoleFactory(title=f"Role {n}", area=places["basildon"], skills=skills)

    with django_assert_max_num_queries(7):
        response = client.get(SEARCH, {"area": "basildon", "skills": "skill-1"})

    assert len(titles(response)) == 20


def test_role_page_shows_the_role_and_links_to_the_form(client, places):
    role = RoleFactory(
        title="Food bank shift",
        area=places["basildon"],
        dbs_check_needed=True,
        skills=[SkillFactory(name="Lifting")],
        accessibility="Seated tasks available.",
    )

    response = client.get(role.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Food bank shift" in html
    assert "Seated tasks available." in html
    assert "Lifting" in html
    assert reverse("volunteering:express_interest", args=[role.pk]) in html


@pytest.mark.parametrize("status", [Role.Status.CLOSED, Role.Status.DRAFT])
def test_closed_and_draft_roles_are_not_found(client, status):
    role = RoleFactory(status=status)

    assert client.get(role.get_absolute_url()).status_code == 404
    assert client.get(reverse("volunteering:express_interest", args=[role.pk])).status_code == 404


def test_unknown_role_ids_are_not_found(client):
    assert client.get("/volunteer/roles/999999/").status_code == 404
    assert client.get("/volunteer/roles/99999999999999999999/").status_code == 404


def valid_interest(**overrides):
    return {
        "name": "Jo Bloggs",
        "email": "jo@example.com",
        "phone": "",
        "message": "I can do Tuesdays.",
        "consent": "on",
        **overrides,
    }


def test_expressing_interest_stores_it_and_shows_a_reference(client):
    role = RoleFactory(title="Befriender")
    url = reverse("volunteering:express_interest", args=[role.pk])

    response = client.post(url, valid_interest())

    assert response.status_code == 302
    assert response["Location"] == reverse("volunteering:interest_sent")
    interest = Interest.objects.get()
    assert (interest.role, interest.name, interest.email) == (role, "Jo Bloggs", "jo@example.com")
    assert interest.status == Interest.Status.NEW
    page = client.get(response["Location"]).content.decode()
    assert interest.reference in page
    assert re.search(r"VOL-[A-Z2-9]{6}", page)
    assert "Befriender" in page


def test_phone_alone_is_enough(client):
    role = RoleFactory()

    client.post(
        reverse("volunteering:express_interest", args=[role.pk]),
        valid_interest(email="", phone="07700 900123"),
    )

    assert Interest.objects.get().phone == "07700900123"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"name": ""}, "Enter your name"),
        ({"email": "", "phone": ""}, "Enter an email address or a phone number"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"email": "", "phone": "call me"}, "Enter a phone number like"),
        ({"consent": ""}, "Tick the box to agree"),
        ({"message": "x" * 2001}, "Write 2000 characters or fewer"),
        ({"name": "Jo\x00"}, "Null characters are not allowed"),
        ({HONEYPOT_FIELD: "http://spam.example"}, "could not be accepted"),
    ],
)
def test_bad_interest_forms_say_what_to_fix(client, overrides, message):
    role = RoleFactory()

    response = client.post(
        reverse("volunteering:express_interest", args=[role.pk]), valid_interest(**overrides)
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<title>Error: " in html
    assert Interest.objects.count() == 0


def test_the_form_shows_the_privacy_notice_and_who_the_details_go_to(client):
    role = RoleFactory(organisation__name="Friendly Food Bank")

    html = client.get(reverse("volunteering:express_interest", args=[role.pk])).content.decode()

    assert reverse("privacy") in html
    assert "share them with Friendly Food Bank" in html
    assert 'name="website_url"' in html


def test_interest_forms_are_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_form": "2/h"}
    role = RoleFactory()
    url = reverse("volunteering:express_interest", args=[role.pk])

    for _ in range(2):
        client.post(url, valid_interest())
    limited = client.post(url, valid_interest())

    assert limited.status_code == 429
    assert "too many forms" in limited.content.decode()
    assert Interest.objects.count() == 2


def test_a_general_offer_of_help_is_stored_with_skills_areas_and_availability(client, places):
    cooking = SkillFactory(name="Cooking")

    response = client.post(
        reverse("volunteering:general_interest"),
        valid_interest(
            skills=[str(cooking.pk)],
            areas=[str(places["pitsea"].pk)],
            availability=["weekends", "from_home"],
        ),
    )

    assert response.status_code == 302
    interest = Interest.objects.get()
    assert interest.role is None
    assert list(interest.skills.all()) == [cooking]
    assert list(interest.areas.all()) == [places["pitsea"]]
    assert interest.availability == ["weekends", "from_home"]
    page = client.get(response["Location"]).content.decode()
    assert interest.reference in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"skills": ["999999"]}, "Choose skills from the list"),
        ({"skills": ["abc"]}, "Choose from the list"),
        ({"skills": [str(2**63)]}, "Choose from the list"),  # past bigint: SQLite overflowed
        ({"areas": ["9" * 40]}, "Choose from the list"),
        ({"areas": ["999999"]}, "Choose places from the list"),
        ({"availability": ["midnight"]}, "Choose from the list"),
        ({"email": "", "phone": ""}, "Enter an email address or a phone number"),
    ],
)
def test_bad_general_offers_say_what_to_fix(client, places, overrides, message):
    response = client.post(reverse("volunteering:general_interest"), valid_interest(**overrides))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Interest.objects.count() == 0


def test_the_confirmation_page_without_a_submission_goes_back_to_the_search(client):
    response = client.get(reverse("volunteering:interest_sent"))

    assert response.status_code == 302
    assert response["Location"] == SEARCH


def test_put_and_delete_are_not_allowed_on_the_forms(client):
    role = RoleFactory()
    url = reverse("volunteering:express_interest", args=[role.pk])

    assert client.put(url).status_code == 405
    assert client.delete(reverse("volunteering:general_interest")).status_code == 405


# --- Roles elsewhere: hub pages and directory search ----------------------------------------


def test_hub_page_lists_that_hubs_open_roles(client, hub_a, hub_b, django_assert_max_num_queries):
    RoleFactory(title="Coffee morning host", hub=hub_a)
    RoleFactory(title="Closed at hub A", hub=hub_a, status=Role.Status.CLOSED)
    RoleFactory(title="At hub B", hub=hub_b)

    with django_assert_max_num_queries(3):
        response = client.get(hub_a.get_absolute_url())

    html = response.content.decode()
    assert "Volunteer at Hub A" in html
    assert "Coffee morning host" in html
    assert "Closed at hub A" not in html and "At hub B" not in html


def test_hub_page_without_roles_shows_no_volunteering_panel(client, hub_a):
    html = client.get(hub_a.get_absolute_url()).content.decode()

    assert "Volunteer at" not in html


def test_directory_search_shows_matching_volunteer_roles(client, places):
    RoleFactory(title="Food bank shift", area=places["basildon"])
    RoleFactory(title="Food bank in Pitsea", area=places["pitsea"])
    RoleFactory(title="Unrelated role", area=places["basildon"])

    html = client.get("/directory/", {"q": "food bank", "area": "basildon"}).content.decode()

    assert "Volunteer roles matching your search" in html
    assert "Food bank shift" in html
    assert "Food bank in Pitsea" not in html and "Unrelated role" not in html
    assert "/volunteer/?q=food+bank&amp;area=basildon" in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL spelling")
def test_a_misspelt_directory_search_shows_roles_for_the_corrected_words(client):
    ServiceFactory(name="Basildon food bank")
    RoleFactory(title="Food bank shift")
    RoleFactory(title="Fod sorting (Fod is our depot)")  # the word as typed
    RoleFactory(title="Befriender")

    html = client.get("/directory/", {"q": "fod"}).content.decode()

    assert "Including results for ‘<strong>food</strong>’" in html
    assert "Food bank shift" in html and "Fod sorting" in html
    assert "Befriender" not in html
    assert "/volunteer/?q=food" in html


def test_a_new_role_shows_on_a_cached_search_page_at_once(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    client.get("/directory/", {"q": "food bank"})  # cached, without a panel

    role = RoleFactory(title="Food bank shift")
    html = client.get("/directory/", {"q": "food bank"}).content.decode()
    assert "Food bank shift" in html

    role.status = Role.Status.CLOSED
    role.save()
    assert "Food bank shift" not in client.get("/directory/", {"q": "food bank"}).content.decode()


def role_queries(queries):
    return [q for q in queries if "volunteering_role" in q["sql"]]


def test_the_roles_panel_costs_one_query_then_none_until_a_role_changes(client, settings):
    """The panel is cached under the version key, also with the page cache off (visitors with
    a shortlist or a session): a role saved shows in the next search at once."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    role = RoleFactory(title="Food bank shift")

    with CaptureQueriesContext(connection) as first:
        client.get("/directory/", {"q": "food bank"})
    with CaptureQueriesContext(connection) as again:
        html = client.get("/directory/", {"q": "food bank"}).content.decode()

    assert "Food bank shift" in html
    assert len(role_queries(first.captured_queries)) == 1
    assert role_queries(again.captured_queries) == []

    role.title = "Food bank driver"
    role.save()
    with CaptureQueriesContext(connection) as changed:
        html = client.get("/directory/", {"q": "food bank"}).content.decode()

    assert "Food bank driver" in html and "Food bank shift" not in html
    assert len(role_queries(changed.captured_queries)) == 1


def test_a_renamed_skill_finds_its_roles_on_the_search_page_at_once(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    skill = SkillFactory(name="Driving", slug="driving")
    role = RoleFactory(title="Community helper")
    role.skills.add(skill)
    assert "Community helper" not in client.get("/directory/", {"q": "minibus"}).content.decode()

    skill.name = "Minibus driving"
    skill.save()

    assert "Community helper" in client.get("/directory/", {"q": "minibus"}).content.decode()


def test_a_role_leaves_the_search_page_the_day_after_it_closes(client, settings, monkeypatch):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    today = timezone.localdate()
    RoleFactory(title="Food bank shift", closing_date=today)
    assert "Food bank shift" in client.get("/directory/", {"q": "food bank"}).content.decode()

    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args: tomorrow)

    assert "Food bank shift" not in client.get("/directory/", {"q": "food bank"}).content.decode()


def test_directory_search_without_matching_roles_shows_no_panel(client):
    RoleFactory(title="Befriender")

    html = client.get("/directory/", {"q": "debt advice"}).content.decode()

    assert "Volunteer roles matching your search" not in html


def test_general_interest_is_invisible_to_the_public_pages(client):
    InterestFactory(role=None)

    assert client.get(SEARCH).status_code == 200
