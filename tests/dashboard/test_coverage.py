"""The directory coverage section."""

import datetime

import pytest

from directory.models import Service, Suggestion, TaxonomyTerm
from tests.dashboard.pages import (
    URL,
    figure,
    follow_every_link,
    is_listed,
    row,
    section,
    table,
    today,
    towns_of,
    values,
)
from tests.factories import (
    AreaFactory,
    LocationFactory,
    ServiceFactory,
    SuggestionFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory_world():
    basildon = AreaFactory(name="Basildon", slug="basildon")
    ward = AreaFactory(name="Fryerns", slug="fryerns", kind="ward", parent=basildon)
    wickford = AreaFactory(name="Wickford", slug="wickford")
    AreaFactory(name="Laindon", slug="laindon")  # no services: a gap
    food = TaxonomyTermFactory(name="Food")
    money = TaxonomyTermFactory(name="Money")
    TaxonomyTermFactory(name="Digital skills")  # no services
    in_town = LocationFactory(area=basildon)
    in_ward = LocationFactory(area=ward)
    in_wickford = LocationFactory(area=wickford)
    unmapped = LocationFactory(area=None)
    old = today() - datetime.timedelta(days=400)
    ServiceFactory(categories=[food], locations=[in_town, in_ward])  # Basildon once
    ServiceFactory(categories=[food, money], locations=[in_ward, in_wickford])
    ServiceFactory(categories=[money], locations=[unmapped], last_reviewed=old)
    ServiceFactory(categories=[], locations=[], last_reviewed=None)
    ServiceFactory(categories=[food], status="temporarily closed", locations=[in_wickford])
    ServiceFactory(categories=[food], publication="draft", locations=[in_town])  # not listed
    ServiceFactory(categories=[money], status="defunct", last_reviewed=old)  # not listed
    SuggestionFactory()
    SuggestionFactory()
    SuggestionFactory(status="approved")


def test_officer_sees_directory_coverage(officer_client, directory_world):
    cutoff = today() - datetime.timedelta(days=365)
    listed = [s for s in Service.objects.all() if is_listed(s)]

    response = officer_client.get(URL)

    directory = section(response, "directory")
    assert figure(directory, "services listed").value == len(listed) == 5
    stale = [s for s in listed if s.last_reviewed is None or s.last_reviewed < cutoff]
    assert figure(directory, "not reviewed").value == len(stale) == 2
    pending = [s for s in Suggestion.objects.all() if s.status == "pending"]
    assert figure(directory, "suggestions waiting").value == len(pending) == 2
    by_category = table(directory, "services-category")
    for term in TaxonomyTerm.objects.all():
        count = sum(1 for s in listed if term in s.categories.all())
        assert row(by_category, term.name)[1].value == count
    assert row(by_category, "Digital skills")[1].value == 0
    assert row(by_category, "No category")[1].value == sum(
        1 for s in listed if not s.categories.exists()
    )
    by_area = table(directory, "services-area")
    towns = {t.pk: t.name for t in directory_world_towns()}
    for pk, name in towns.items():
        assert row(by_area, name)[1].value == sum(1 for s in listed if pk in towns_of(s))
    assert values(r[1] for r in by_area.rows) == [2, 0, 2, 2]  # Basildon, Laindon, Wickford, none
    assert row(by_area, "Not at a place in any area")[1].value == sum(
        1 for s in listed if not towns_of(s)
    )
    follow_every_link(officer_client, response)


def directory_world_towns():
    from directory.models import Area

    return Area.objects.filter(parent__isnull=True)
