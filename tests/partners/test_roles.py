import pytest
from django.contrib.auth.models import Group

from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from core.scope import scope_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_data_migration_creates_the_staff_groups():
    names = set(Group.objects.values_list("name", flat=True))

    assert {OFFICER, COORDINATOR, PARTNER_CONTACT} <= names


def test_officers_may_manage_organisations_and_areas():
    perms = set(Group.objects.get(name=OFFICER).permissions.values_list("codename", flat=True))

    for codename in ("add_organisation", "change_organisation", "view_area", "delete_area"):
        assert codename in perms


def test_coordinators_get_no_partner_permissions_by_default():
    perms = Group.objects.get(name=COORDINATOR).permissions

    assert not perms.filter(content_type__app_label="partners").exists()


def test_is_officer_only_for_active_officers_and_superusers():
    assert scope_of(UserFactory(groups=[OFFICER])).is_officer
    assert scope_of(UserFactory(is_superuser=True)).is_officer
    assert not scope_of(UserFactory(groups=[COORDINATOR])).is_officer
    assert not scope_of(UserFactory(groups=[OFFICER], is_active=False)).is_officer
