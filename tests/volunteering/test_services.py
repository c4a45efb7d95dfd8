import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import (
    AreaFactory,
    InterestFactory,
    OrganisationFactory,
    RoleFactory,
    UserFactory,
    VolunteerHoursFactory,
)
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


# --- Guards: each refuses what it is there to refuse -----------------------------------------


def yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def test_move_interest_refuses_an_anonymised_interest():
    interest = InterestFactory(anonymised_at=timezone.now())

    with pytest.raises(ValidationError, match="has been anonymised"):
        services.move_interest(interest=interest, to_status="contacted")

    assert not InterestEvent.objects.filter(interest=interest).exists()


def test_save_role_saves_a_partner_contacts_role(partner_contact, partner_organisation):
    role = RoleFactory.build(organisation=partner_organisation, area=AreaFactory())

    services.save_role(user=partner_contact, role=role)

    assert Role.objects.get(pk=role.pk).organisation == partner_organisation


def test_save_role_refuses_a_partner_contact_for_another_organisation(partner_contact):
    role = RoleFactory.build(organisation=OrganisationFactory(), area=AreaFactory())

    with pytest.raises(PermissionDenied, match="Not one of your organisations"):
        services.save_role(user=partner_contact, role=role)

    assert not Role.objects.exists()


def test_save_role_refuses_to_take_another_organisations_role(
    partner_contact, partner_organisation
):
    theirs = RoleFactory()
    theirs.organisation = partner_organisation

    with pytest.raises(PermissionDenied):
        services.save_role(user=partner_contact, role=theirs)

    assert Role.objects.get(pk=theirs.pk).organisation != partner_organisation


def test_update_interest_makes_a_new_status_a_recorded_move(partner_contact, partner_organisation):
    interest = InterestFactory(role=RoleFactory(organisation=partner_organisation))
    interest.status, interest.name = Interest.Status.CONTACTED, "Jo Bloggs"

    services.update_interest(interest=interest, by=partner_contact)

    interest.refresh_from_db()
    assert (interest.status, interest.name) == (Interest.Status.CONTACTED, "Jo Bloggs")
    event = InterestEvent.objects.get(interest=interest, to_status=Interest.Status.CONTACTED)
    assert event.by == partner_contact


def test_update_interest_refuses_an_interest_in_another_organisations_role(partner_contact):
    interest = InterestFactory()
    interest.name = "Changed"

    with pytest.raises(PermissionDenied, match="Not an interest in one of your roles"):
        services.update_interest(interest=interest, by=partner_contact)

    assert Interest.objects.get(pk=interest.pk).name != "Changed"


def test_log_hours_refuses_a_partner_contact_for_another_organisations_volunteer(
    partner_contact,
):
    placed = InterestFactory(status=Interest.Status.PLACED)

    with pytest.raises(PermissionDenied):
        services.log_hours(
            entry=VolunteerHours(interest=placed, date=yesterday(), hours=2), by=partner_contact
        )

    assert not VolunteerHours.objects.exists()


def test_update_hours_records_a_new_confirmed_figure_as_a_confirmation(
    partner_contact, partner_organisation
):
    role = RoleFactory(organisation=partner_organisation)
    entry = VolunteerHoursFactory(interest__role=role, date=yesterday())
    entry.hours, entry.confirmed_hours = Decimal("3"), Decimal("2")

    services.update_hours(entry=entry, by=partner_contact)

    entry.refresh_from_db()
    assert (entry.hours, entry.confirmed_hours) == (Decimal("3"), Decimal("2"))
    assert entry.confirmed_by == partner_contact


def test_update_hours_refuses_moving_another_organisations_hours_to_their_volunteer(
    partner_contact, partner_organisation
):
    mine = InterestFactory(role=RoleFactory(organisation=partner_organisation), status="placed")
    theirs = VolunteerHoursFactory(date=yesterday())
    theirs.interest = mine

    with pytest.raises(PermissionDenied):
        services.update_hours(entry=theirs, by=partner_contact)

    assert VolunteerHours.objects.get(pk=theirs.pk).interest != mine


def test_confirm_hours_refuses_another_organisations_hours_and_confirms_none(
    partner_contact, partner_organisation
):
    mine = VolunteerHoursFactory(
        interest__role=RoleFactory(organisation=partner_organisation), date=yesterday()
    )
    theirs = VolunteerHoursFactory(date=yesterday())

    with pytest.raises(PermissionDenied):
        services.confirm_hours(entries=[mine, theirs], by=partner_contact)

    assert not VolunteerHours.objects.confirmed().exists()


def test_confirm_hours_takes_a_figure_for_one_entry_only(officer):
    entries = [VolunteerHoursFactory(date=yesterday()) for _ in range(2)]

    with pytest.raises(ValueError, match="one entry at a time"):
        services.confirm_hours(entries=entries, by=officer, hours=Decimal("1"))
