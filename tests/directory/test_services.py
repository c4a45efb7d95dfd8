import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from directory.models import SearchWord, Service, Suggestion
from directory.services import (
    approve_suggestion,
    change_left_to_do,
    mark_reviewed,
    rebuild_search_words,
    refresh_search_text,
    reject_suggestion,
    submit_suggestion,
)
from tests.factories import (
    AreaFactory,
    OrganisationFactory,
    PostcodeFactory,
    ServiceFactory,
    SuggestionFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db


def test_approving_a_new_listing_publishes_a_service_with_place_and_times(officer):
    org = OrganisationFactory(name="Pitsea Crafters")
    PostcodeFactory(postcode="SS13 1AQ", latitude=Decimal("51.56775"), ward_code="E05015461")
    AreaFactory(name="Pitsea", slug="pitsea", ons_code="E05015461")
    term = TaxonomyTermFactory(name="Older people")
    suggestion = SuggestionFactory(
        name="Craft club",
        organisation_name="pitsea crafters",
        address="Pitsea Library, Rectory Road",
        postcode="SS13 1AQ",
        when="Thursdays 2pm to 4pm",
        cost=Service.Cost.DONATION,
    )
    suggestion.categories.add(term)

    service = approve_suggestion(suggestion=suggestion, user=officer)

    assert service.organisation == org
    assert service.publication == Service.Publication.PUBLISHED
    assert service.cost == Service.Cost.DONATION
    assert service.last_reviewed == timezone.localdate()
    assert list(service.categories.all()) == [term]
    location = service.locations.get()
    assert location.postcode == "SS13 1AQ"
    assert location.latitude == Decimal("51.56775")
    assert location.town == "Pitsea"
    assert str(service.schedules.get()) == "Thursdays 2pm to 4pm"
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
    assert suggestion.decided_by == officer
    assert suggestion.service == service


def test_approving_needs_an_organisation_and_changes_nothing_without_one(officer):
    suggestion = SuggestionFactory(organisation_name="Nobody we know")

    with pytest.raises(ValidationError, match="choose the organisation"):
        approve_suggestion(suggestion=suggestion, user=officer)

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    assert not Service.objects.exists()


def test_officer_chosen_organisation_wins(officer):
    chosen = OrganisationFactory()
    suggestion = SuggestionFactory(organisation_name="Something else", organisation=chosen)

    service = approve_suggestion(suggestion=suggestion, user=officer)

    assert service.organisation == chosen


def test_approving_a_change_updates_the_service_and_marks_it_reviewed(officer):
    service = ServiceFactory(phone="01268 000000", last_reviewed=datetime.date(2020, 1, 1))
    suggestion = submit_suggestion(
        suggestion=Suggestion(details="New number", phone="01268 999999"), service=service
    )

    approve_suggestion(suggestion=suggestion, user=officer)

    service.refresh_from_db()
    assert service.phone == "01268 999999"
    assert service.last_reviewed == timezone.localdate()


def test_an_approved_change_says_what_was_copied_and_what_is_left_to_edit(officer):
    service = ServiceFactory(phone="01268 000000", url="https://old.example")
    suggestion = submit_suggestion(
        suggestion=Suggestion(
            details="It has moved to the church hall",
            when="Tuesdays 10 to 12",
            phone="01268 999999",
            url="https://new.example",
        ),
        service=service,
    )

    approve_suggestion(suggestion=suggestion, user=officer)

    notice = change_left_to_do(suggestion)
    assert notice.startswith(f"{suggestion.reference}: copied the website and service phone")
    assert "\u201cIt has moved to the church hall\u201d" in notice
    assert "when it runs: \u201cTuesdays 10 to 12\u201d" in notice
    service.refresh_from_db()
    assert service.url == "https://new.example"
    assert not service.schedules.exists()  # times are free text: the officer enters them


def test_a_change_with_nothing_to_copy_leaves_it_all_to_the_officer():
    suggestion = Suggestion(kind=Suggestion.Kind.CHANGE, reference="SUG-ABC123", details="Closed")

    notice = change_left_to_do(suggestion)

    assert notice == (
        "SUG-ABC123: make the rest of the change in the listing by hand "
        "(what needs to change: \u201cClosed\u201d)."
    )


def test_a_new_listing_or_a_bare_change_leaves_nothing_to_do():
    assert change_left_to_do(Suggestion(kind=Suggestion.Kind.NEW, details="x")) == ""
    assert change_left_to_do(Suggestion(kind=Suggestion.Kind.CHANGE, phone="01268 1")) == ""


def test_rejecting_keeps_the_listing_unchanged(officer):
    service = ServiceFactory(phone="01268 000000")
    suggestion = submit_suggestion(
        suggestion=Suggestion(details="spam", phone="0"), service=service
    )

    reject_suggestion(suggestion=suggestion, user=officer, note="Not a real change")

    suggestion.refresh_from_db()
    service.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED
    assert suggestion.decision_note == "Not a real change"
    assert service.phone == "01268 000000"


def test_a_suggestion_is_decided_only_once(officer):
    suggestion = SuggestionFactory()
    reject_suggestion(suggestion=suggestion, user=officer)

    with pytest.raises(ValidationError, match="already been rejected"):
        approve_suggestion(suggestion=suggestion, user=officer)


def test_references_are_unique_and_readable():
    refs = {submit_suggestion(suggestion=SuggestionFactory.build()).reference for _ in range(20)}

    assert len(refs) == 20
    assert all(ref.startswith("SUG-") and len(ref) == 10 for ref in refs)


def test_mark_reviewed_sets_today():
    old = ServiceFactory(last_reviewed=datetime.date(2020, 1, 1))
    other = ServiceFactory(last_reviewed=datetime.date(2020, 1, 1))

    count = mark_reviewed(services=Service.objects.filter(pk=old.pk))

    old.refresh_from_db()
    other.refresh_from_db()
    assert count == 1
    assert old.last_reviewed == timezone.localdate()
    assert other.last_reviewed == datetime.date(2020, 1, 1)


def vocabulary():
    return dict(SearchWord.objects.values_list("word", "services"))


def test_saving_a_listing_adds_its_words_to_the_search_vocabulary():
    organisation = OrganisationFactory(name="Wickford Wombles")
    service = ServiceFactory(
        organisation=organisation,
        name="Litter pickers",
        description="Tidy parks",
        categories=[TaxonomyTermFactory(name="Environment")],
    )
    ServiceFactory(name="Secret draft", publication=Service.Publication.DRAFT)

    words = vocabulary()
    for word in ("litter", "pickers", "tidy", "parks", "wickford", "wombles", "environment"):
        assert word in words
    assert "secret" not in words  # a draft's words wait until it is published

    organisation.name = "Wickford Volunteers"
    organisation.save()
    service.keywords = "rubbish"
    service.save()
    assert {"volunteers", "rubbish"} <= set(vocabulary())


def test_rebuilding_the_vocabulary_counts_listings_and_forgets_unused_words():
    ServiceFactory(name="Lunch club", description="Hot meals")
    ServiceFactory(name="Supper club", description="Hot soup and 2 rolls")
    gone = ServiceFactory(name="Bygone service", description="Closed")
    gone.status = Service.Status.DEFUNCT
    gone.save()

    assert rebuild_search_words() == len(vocabulary())

    words = vocabulary()
    assert words["club"] == 2 and words["hot"] == 2 and words["lunch"] == 1
    assert "bygone" not in words
    assert "2" not in words and "and" in words  # no numbers; 3 letters or more
    SearchWord.objects.all().delete()
    refresh_search_text(everything=True)  # what bulk writers call: a rebuild
    assert vocabulary() == words


def test_the_daily_command_rebuilds_the_vocabulary_and_says_how_many_words():
    ServiceFactory(name="Lunch club", description="Hot meals")
    SearchWord.objects.create(word="forgotten")
    out = io.StringIO()

    call_command("rebuild_search_words", stdout=out)

    assert f"{SearchWord.objects.count():,} words in the search vocabulary." in out.getvalue()
    assert "forgotten" not in vocabulary() and "lunch" in vocabulary()


def test_approving_a_change_to_a_listing_since_deleted_is_refused(officer):
    service = ServiceFactory()
    suggestion = submit_suggestion(suggestion=Suggestion(details="New phone"), service=service)
    service.delete()

    with pytest.raises(ValidationError, match="the listing no longer exists"):
        approve_suggestion(suggestion=suggestion, user=officer)

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING


def test_rejecting_a_suggestion_already_approved_is_refused(officer):
    suggestion = SuggestionFactory(organisation=OrganisationFactory())
    approve_suggestion(suggestion=suggestion, user=officer)

    with pytest.raises(ValidationError, match="already been approved"):
        reject_suggestion(suggestion=suggestion, user=officer)

    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.APPROVED
