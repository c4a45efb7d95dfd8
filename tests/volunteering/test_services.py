import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import InterestFactory, OrganisationFactory, RoleFactory, UserFactory
from volunteering import services
from volunteering.models import Interest, InterestEvent, Role, VolunteerHours

pytestmark = pytest.mark.django_db


def new_interest(**kwargs):
    return Interest(name="Jo Bloggs", email="Jo@Example.com", **kwargs)


def test_expressing_interest_gives_a_reference_records_the_start_and_tells_the_organisation(
    django_capture_on_commit_callbacks,
):
    role = RoleFactory(organisation=OrganisationFactory(email="team@charity.example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        interest = services.express_interest(interest=new_interest(), role=role)

    assert re.fullmatch(r"VOL-[A-HJ-NP-Z2-9]{6}", interest.reference)
    assert interest.status == Interest.Status.NEW
    assert interest.email == "jo@example.com"
    assert interest.consent_at is not None
    assert list(interest.events.values_list("from_status", "to_status")) == [("", "new")]
    assert len(mail.outbox) == 1
    assert interest.reference in mail.outbox[0].subject
    # The email says someone is waiting, never who they are.
    assert "Jo" not in mail.outbox[0].body and "example.com" not in mail.outbox[0].body


def test_references_are_unique_even_when_the_random_one_clashes(monkeypatch):
    role = RoleFactory()
    first = services.express_interest(interest=new_interest(), role=role)
    second = new_interest()
    second.reference = first.reference

    saved = services.express_interest(interest=second, role=role)

    assert saved.reference != first.reference


def test_a_closed_role_takes_no_more_interest():
    role = RoleFactory(status=Role.Status.CLOSED)

    with pytest.raises(ValidationError):
        services.express_interest(interest=new_interest(), role=role)

    assert Interest.objects.count() == 0


def test_moving_an_interest_records_the_date_and_who_moved_it():
    officer = UserFactory(groups=["Council officer"])
    interest = InterestFactory()
    before = timezone.now()

    services.move_interest(interest=interest, to_status="contacted", by=officer)
    moved = services.move_interest(interest=interest, to_status="placed", by=officer)

    assert moved.status == Interest.Status.PLACED
    assert moved.status_changed_at >= before
    events = list(InterestEvent.objects.filter(interest=interest))
    assert [(e.from_status, e.to_status, e.by) for e in events] == [
        ("new", "contacted", officer),
        ("contacted", "placed", officer),
    ]


def test_moving_to_the_same_status_or_an_unknown_one_is_refused():
    interest = InterestFactory()

    with pytest.raises(ValidationError):
        services.move_interest(interest=interest, to_status="new")
    with pytest.raises(ValueError):
        services.move_interest(interest=interest, to_status="hired")

    assert InterestEvent.objects.count() == 0


def test_hours_are_logged_only_for_placed_volunteers_and_confirmed_apart():
    officer = UserFactory(groups=["Council officer"])
    waiting = InterestFactory()
    placed = InterestFactory(status=Interest.Status.PLACED)
    day = timezone.localdate() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError):
        services.log_hours(entry=VolunteerHours(interest=waiting, date=day, hours=2))
    entry = services.log_hours(
        entry=VolunteerHours(interest=placed, date=day, hours=Decimal("3")), by=officer
    )
    assert entry.confirmed_hours is None

    services.confirm_hours(entries=[entry], by=officer, hours=Decimal("2.5"))

    entry.refresh_from_db()
    assert (entry.hours, entry.confirmed_hours) == (Decimal("3"), Decimal("2.5"))
    assert entry.confirmed_by == officer


def test_hours_cannot_be_in_the_future_or_more_than_a_day():
    placed = InterestFactory(status=Interest.Status.PLACED)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError):
        services.log_hours(entry=VolunteerHours(interest=placed, date=tomorrow, hours=1))
    with pytest.raises(ValidationError):
        services.log_hours(
            entry=VolunteerHours(interest=placed, date=timezone.localdate(), hours=25)
        )
