"""Accessibility features of places and languages of services: structured, searchable, on
the service page and in the ORUK API."""

import pytest
from django.db import IntegrityError
from django.http import QueryDict
from django.urls import reverse

from directory.models import ServiceLanguage
from directory.search import ServiceSearch
from tests.directory.oruk.api import get, no_nulls
from tests.directory.oruk_schema import assert_valid, response_schema
from tests.factories import LocationFactory, ServiceFactory

pytestmark = pytest.mark.django_db
BSL = ServiceLanguage.Language.BRITISH_SIGN_LANGUAGE
POLISH = ServiceLanguage.Language.POLISH


def search(**params):
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return ServiceSearch(query, terms=[], areas=[])


def names(**params):
    found = search(**params)
    assert found.is_valid(), found.errors
    return [s.name for s in found.qs]


def speaking(name, *languages):
    service = ServiceFactory(name=name)
    for language in languages:
        ServiceLanguage.objects.create(service=service, language=language)
    return service


def test_accessibility_filter_needs_every_chosen_feature_at_one_place():
    ServiceFactory(name="Step-free", locations=[LocationFactory(step_free_access=True)])
    ServiceFactory(
        name="Step-free with a loop",
        locations=[LocationFactory(step_free_access=True, hearing_loop=True)],
    )
    ServiceFactory(
        name="Features at two places",
        locations=[LocationFactory(step_free_access=True), LocationFactory(hearing_loop=True)],
    )
    ServiceFactory(name="Steps", locations=[LocationFactory(accessibility="Step-free soon")])

    assert names(accessibility="step_free_access") == [
        "Features at two places",
        "Step-free",
        "Step-free with a loop",
    ]
    assert names(accessibility=["step_free_access", "hearing_loop"]) == ["Step-free with a loop"]
    assert names(accessibility="parking") == []


def test_language_filter_finds_any_chosen_language():
    speaking("Advice", BSL, ServiceLanguage.Language.ENGLISH)
    speaking("Food bank", POLISH)
    speaking("Club")

    assert names(language="bfi") == ["Advice"]
    assert names(language=["bfi", "pl"]) == ["Advice", "Food bank"]


def test_a_service_speaks_each_language_once():
    service = speaking("Advice", BSL)
    with pytest.raises(IntegrityError):
        ServiceLanguage.objects.create(service=service, language=BSL)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("accessibility", "ramp", "Select accessibility features from the list"),
        ("accessibility", "accessibility", "Select accessibility features from the list"),
        ("accessibility", "x" * 5000, "Select accessibility features from the list"),
        ("language", "klingon", "Select languages from the list"),
        ("language", ["bfi", "9" * 30], "Select languages from the list"),
        ("language", "BFI", "Select languages from the list"),
    ],
)
def test_unknown_accessibility_and_language_values_are_field_errors(name, value, message):
    found = search(**{name: value})
    assert not found.is_valid()
    assert found.errors[name] == [message]


def test_nul_and_huge_numbers_are_refused_with_a_message(client):
    assert client.get("/directory/", {"accessibility": "parking\x00"}).status_code == 400
    assert client.get("/directory/", {"language": "\x00"}).status_code == 400
    assert client.get("/directory/", {"language": "9" * 400}).status_code == 400
    response = client.get("/directory/", {"accessibility": "lift", "language": "xx"})
    assert response.status_code == 200
    assert "Select languages from the list" in response.content.decode()


def test_new_filters_are_removable_tags_and_counted_in_the_title(client):
    ServiceFactory(name="Hub", locations=[LocationFactory(step_free_access=True)])
    speaking("Hub advice", BSL).locations.add(LocationFactory(step_free_access=True))

    response = client.get("/directory/", {"accessibility": "step_free_access", "language": "bfi"})

    assert [a["label"] for a in response.context["applied"]] == [
        "Accessibility: Step-free access",
        "Language: British Sign Language",
    ]
    assert response.context["count"] == 1
    assert "<title>1 result, 2 filters" in response.content.decode().replace("\n", "")


def test_service_page_lists_accessibility_features_notes_and_languages(client):
    hall = LocationFactory(
        name="Hall", step_free_access=True, hearing_loop=True, accessibility="Use the side door"
    )
    service = speaking("Advice", BSL, POLISH)
    service.locations.add(hall)

    page = client.get(service.get_absolute_url()).content.decode()

    assert "Step-free access" in page and "Hearing loop" in page
    assert "Accessible toilet" not in page
    assert "Use the side door" in page
    assert "British Sign Language" in page and "Polish" in page


def test_oruk_service_has_accessibility_and_language_objects(client):
    hall = LocationFactory(step_free_access=True, parking=True, accessibility="Side door")
    service = speaking("Advice", BSL)
    service.locations.add(hall)

    body = get(client, f"/services/{service.uuid}")

    assert_valid(body, response_schema("/services/{id}"))
    assert no_nulls(body)
    assert body["languages"] == [
        {
            "id": str(service.languages.get().uuid),
            "service_id": str(service.uuid),
            "name": "British Sign Language",
            "code": "bfi",
        }
    ]
    accessibility = body["service_at_locations"][0]["location"]["accessibility"]
    assert [(a.get("accessibility"), a["description"]) for a in accessibility] == [
        ("step_free_access", "Step-free access"),
        ("parking", "Parking"),
        (None, "Side door"),
    ]
    assert {a["location_id"] for a in accessibility} == {str(hall.uuid)}
    assert len({a["id"] for a in accessibility}) == 3


def test_officers_tick_features_add_languages_and_mark_bank_holiday_closures_in_the_admin(
    officer_client,
):
    hall = LocationFactory()
    service = ServiceFactory(locations=[hall])

    place = officer_client.get(reverse("admin:directory_location_change", args=[hall.pk]))
    listing = officer_client.get(reverse("admin:directory_service_change", args=[service.pk]))
    holidays = officer_client.get(reverse("admin:directory_bankholiday_changelist"))

    assert place.status_code == listing.status_code == holidays.status_code == 200
    for field in ("step_free_access", "accessible_toilet", "hearing_loop", "parking"):
        assert f'name="{field}"' in place.content.decode()
    page = listing.content.decode()
    assert "languages-TOTAL_FORMS" in page and "British Sign Language" in page
    assert "closed_on_bank_holidays" in page
