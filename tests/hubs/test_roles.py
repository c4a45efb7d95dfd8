import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import COORDINATOR, OFFICER
from hubs.roles import COORDINATOR_PERMISSIONS

pytestmark = pytest.mark.django_db


def test_coordinators_get_the_declared_hubs_permissions_and_no_more():
    perms = set(
        Group.objects.get(name=COORDINATOR)
        .permissions.filter(content_type__app_label="hubs")
        .values_list("codename", flat=True)
    )

    assert perms == COORDINATOR_PERMISSIONS
    assert "delete_activity" not in perms
    assert "change_hub" not in perms
    assert "add_hubcoordinator" not in perms


def test_officers_may_manage_hubs_and_coordinators():
    perms = set(Group.objects.get(name=OFFICER).permissions.values_list("codename", flat=True))

    assert {"add_hub", "change_hub", "add_hubcoordinator", "delete_engagement"} <= perms


def test_engagement_changelist_links_to_the_staff_pages(client, coordinator_a):
    client.force_login(coordinator_a)

    html = client.get(reverse("admin:hubs_engagement_changelist")).content.decode()

    for name in ("log", "import", "reports"):
        assert f'href="{reverse(f"hubs_staff:{name}")}"' in html


def test_only_officers_manage_who_coordinates_a_hub(client, coordinator_a, officer, hub_a):
    client.force_login(coordinator_a)
    as_coordinator = client.get(reverse("admin:hubs_hub_change", args=[hub_a.pk]))
    client.force_login(officer)
    as_officer = client.get(reverse("admin:hubs_hub_change", args=[hub_a.pk]))

    assert as_coordinator.context["inline_admin_formsets"] == []
    assert len(as_officer.context["inline_admin_formsets"]) == 1
