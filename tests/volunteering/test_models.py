import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.factories import (
    AreaFactory,
    InterestFactory,
    OrganisationFactory,
    RoleFactory,
    SkillFactory,
    UserFactory,
    VolunteerHoursFactory,
)
from volunteering.models import Interest, Role, normalise_phone

pytestmark = pytest.mark.django_db


def test_only_open_roles_before_their_closing_date_are_public():
    today = timezone.localdate()
    shown = RoleFactory(title="Open")
    RoleFactory(title="Open until today", closing_date=today)
    RoleFactory(title="Closed", status=Role.Status.CLOSED)
    RoleFactory(title="Draft", status=Role.Status.DRAFT)
    RoleFactory(title="Past closing", closing_date=today - datetime.timedelta(days=1))
    RoleFactory(title="Inactive organisation", organisation=OrganisationFactory(is_active=False))

    titles = set(Role.objects.public().values_list("title", flat=True))

    assert titles == {"Open", "Open until today"}
    assert shown.is_public()


def test_a_role_needs_an_area_or_to_be_remote():
    with pytest.raises(IntegrityError):
        RoleFactory(area=None, is_remote=False)


def test_a_regular_role_needs_hours_per_week():
    with pytest.raises(IntegrityError):
        RoleFactory(commitment=Role.Commitment.REGULAR, hours_per_week=None)


def test_role_describes_its_time_and_place():
    role = RoleFactory.build(
        commitment=Role.Commitment.REGULAR,
        hours_per_week=1,
        area=AreaFactory.build(name="Pitsea"),
        is_remote=True,
    )

    assert role.commitment_text == "Regular, 1 hour a week"
    assert role.where_text == "Pitsea, or from home"


def test_matching_needs_every_word_somewhere_in_the_role():
    RoleFactory(title="Food bank shift", skills=[SkillFactory(name="Lifting")])
    RoleFactory(title="Befriender", description="Chat on the phone")

    assert list(Role.objects.matching("food lifting").values_list("title", flat=True)) == [
        "Food bank shift"
    ]
    assert list(Role.objects.matching("phone").values_list("title", flat=True)) == ["Befriender"]
    assert Role.objects.matching("food phone").count() == 0


def test_a_role_matching_through_several_skills_is_listed_once():
    RoleFactory(title="Kitchen", skills=[SkillFactory(name="Cooking"), SkillFactory(name="Cook")])

    assert list(Role.objects.matching("cook").values_list("title", flat=True)) == ["Kitchen"]


def test_matching_ignores_case_in_any_alphabet():
    RoleFactory(title="Straße café helper", description="FOOD parcels")

    assert Role.objects.matching("strasse CAFÉ food").count() == 1


def test_a_renamed_organisation_or_skill_finds_its_roles_by_the_new_name():
    organisation = OrganisationFactory(name="Pitsea Pantry")
    skill = SkillFactory(name="Lifting")
    RoleFactory(title="Shift", organisation=organisation, skills=[skill])

    organisation.name = "Marshes Larder"
    organisation.save()
    skill.name = "Driving"
    skill.save()

    assert Role.objects.matching("larder driving").count() == 1
    assert Role.objects.matching("pantry").count() == 0
    assert Role.objects.matching("lifting").count() == 0


def test_skills_added_removed_or_deleted_change_what_finds_a_role():
    cooking, driving, first_aid = (
        SkillFactory(name=n) for n in ("Cooking", "Driving", "First aid")
    )
    role = RoleFactory(title="Kitchen", skills=[cooking])

    role.skills.add(driving)
    first_aid.roles.add(role)  # from the skill's side
    assert Role.objects.matching("cooking driving first aid").count() == 1

    role.skills.remove(cooking)
    driving.delete()
    first_aid.roles.clear()
    assert Role.objects.matching("kitchen").count() == 1
    for gone in ("cooking", "driving", "aid"):
        assert Role.objects.matching(gone).count() == 0, gone


def test_a_role_saved_with_update_fields_keeps_its_search_text():
    role = RoleFactory(title="Gardener")

    role.title = "Litter picker"
    role.save(update_fields=["title"])

    assert Role.objects.matching("litter").get() == role
    assert not Role.objects.matching("gardener").exists()


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700900123"),
        ("(01268) 123-456", "01268123456"),
    ],
)
def test_phone_numbers_are_stored_in_one_form_for_matching(typed, stored):
    assert normalise_phone(typed) == stored


def test_an_interest_needs_an_email_or_phone_unless_anonymised():
    with pytest.raises(IntegrityError):
        InterestFactory(email="", phone="")


def test_interest_str_is_only_its_reference_so_the_admin_log_holds_no_personal_data():
    interest = InterestFactory(name="Jo Bloggs", email="jo@example.com")

    assert str(interest) == interest.reference
    assert "Jo" not in str(interest)


def test_partner_contacts_see_only_their_organisations_roles_interests_and_hours(
    partner_contact, partner_organisation, officer
):
    own = VolunteerHoursFactory(interest__role__organisation=partner_organisation)
    other = VolunteerHoursFactory()
    general = InterestFactory(role=None)

    assert set(Role.objects.for_user(partner_contact)) == {own.interest.role}
    assert set(Interest.objects.for_user(partner_contact)) == {own.interest}
    assert list(own.__class__.objects.for_user(partner_contact)) == [own]
    assert set(Interest.objects.for_user(officer)) == {own.interest, other.interest, general}
    assert Interest.objects.for_user(UserFactory(groups=["Hub coordinator"])).count() == 0
