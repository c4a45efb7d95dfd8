"""core.scope: one access scope per request, and every app's `for_user()` reading it.

The guards at the end would each fail if the scoping were taken out of that app's
`for_user()`: a coordinator or partner contact would then see the other side's records.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import COORDINATOR, OFFICER, PARTNER_CONTACT
from core.scope import NOBODY, Scope, register_scope_part, scope_of
from directory.models import Service
from hubs.models import Activity, Engagement, Hub, Referral
from partners.models import Agreement, Grant, Kpi, KpiReturn, Organisation
from tests.factories import (
    ActivityFactory,
    AgreementFactory,
    EngagementFactory,
    GrantFactory,
    HubCoordinatorFactory,
    InterestFactory,
    KpiReturnFactory,
    OrganisationFactory,
    PartnerMembershipFactory,
    RoleFactory,
    ServiceFactory,
    UserFactory,
    VolunteerHoursFactory,
)
from volunteering.models import Interest, Role, VolunteerHours

pytestmark = pytest.mark.django_db

User = get_user_model()


def fresh(user):
    """The user as the next request loads it: a new object, with nothing cached."""
    return User.objects.get(pk=user.pk)


# --- The scope of each persona --------------------------------------------------------------


def test_an_officer_sees_everything_for_one_query(officer, django_assert_num_queries):
    user = fresh(officer)

    with django_assert_num_queries(1):  # the groups; no memberships
        scope = scope_of(user)

    assert scope.everything and scope.is_officer
    assert scope.groups == {OFFICER}
    assert scope.hub_ids == frozenset() and scope.organisation_ids == frozenset()
    assert scope.sees_hub(12345) and scope.sees_organisation(12345)


def test_a_superuser_sees_everything_without_a_group(superuser, django_assert_num_queries):
    user = fresh(superuser)

    with django_assert_num_queries(1):
        scope = scope_of(user)

    assert scope.everything and scope.is_officer
    assert scope.groups == frozenset()


def test_a_coordinator_sees_their_hubs_only(coordinator_a, hub_a, hub_b, django_assert_num_queries):
    user = fresh(coordinator_a)

    with django_assert_num_queries(2):  # the groups, then their hubs
        scope = scope_of(user)

    assert not scope.everything and not scope.is_officer
    assert scope.is_coordinator and not scope.is_partner_contact
    assert scope.hub_ids == {hub_a.pk}
    assert scope.organisation_ids == frozenset()
    assert scope.sees_hub(hub_a.pk) and not scope.sees_hub(hub_b.pk)


def test_a_partner_contact_sees_their_organisations_only(
    partner_contact, partner_organisation, django_assert_num_queries
):
    other = OrganisationFactory()

    user = fresh(partner_contact)

    with django_assert_num_queries(2):  # the groups, then their organisations
        scope = scope_of(user)

    assert scope.is_partner_contact and not scope.is_coordinator and not scope.is_officer
    assert scope.organisation_ids == {partner_organisation.pk}
    assert scope.hub_ids == frozenset()
    assert scope.sees_organisation(partner_organisation.pk)
    assert not scope.sees_organisation(other.pk)


def test_anonymous_sees_nothing_and_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        scope = scope_of(AnonymousUser())

    assert scope == NOBODY == Scope()
    assert not scope.sees_hub(1) and not scope.sees_organisation(1)


def test_an_inactive_officer_sees_nothing_and_costs_no_query(django_assert_num_queries):
    user = UserFactory(groups=[OFFICER], is_active=False)

    user = fresh(user)

    with django_assert_num_queries(0):
        scope = scope_of(user)

    assert scope == NOBODY


def test_staff_with_no_group_see_nothing_for_one_query(hub_a, django_assert_num_queries):
    user = UserFactory(username="no-role")

    user = fresh(user)

    with django_assert_num_queries(1):
        scope = scope_of(user)

    assert scope == NOBODY


def test_a_membership_without_its_group_grants_nothing(hub_a, partner_organisation):
    user = UserFactory(username="no-group")
    HubCoordinatorFactory(user=user, hub=hub_a)
    PartnerMembershipFactory(user=user, organisation=partner_organisation)

    scope = scope_of(fresh(user))

    assert scope.hub_ids == frozenset() and scope.organisation_ids == frozenset()


def test_a_coordinator_who_is_also_a_partner_contact_has_both(hub_a, partner_organisation):
    user = UserFactory(username="both", groups=[COORDINATOR, PARTNER_CONTACT])
    HubCoordinatorFactory(user=user, hub=hub_a)
    PartnerMembershipFactory(user=user, organisation=partner_organisation)

    scope = scope_of(fresh(user))

    assert scope.hub_ids == {hub_a.pk}
    assert scope.organisation_ids == {partner_organisation.pk}


def test_an_unknown_scope_part_is_refused():
    with pytest.raises(ValueError):
        register_scope_part("area_ids", lambda user: [])


def test_the_scope_is_frozen(coordinator_a):
    scope = scope_of(coordinator_a)

    with pytest.raises(AttributeError):
        scope.everything = True


# --- Once per request -----------------------------------------------------------------------


def test_a_second_scope_of_the_same_user_makes_no_query(coordinator_a, django_assert_num_queries):
    user = fresh(coordinator_a)
    first = scope_of(user)

    with django_assert_num_queries(0):
        again = scope_of(user)
        Engagement.objects.for_user(user)
        Hub.objects.for_user(user)
        Agreement.objects.for_user(user)
        Role.objects.for_user(user)

    assert again is first


def test_a_hub_added_mid_request_counts_from_the_next_request(coordinator_a, hub_a, hub_b):
    EngagementFactory(hub=hub_b)
    user = fresh(coordinator_a)
    assert scope_of(user).hub_ids == {hub_a.pk}

    HubCoordinatorFactory(user=coordinator_a, hub=hub_b)

    # The same request still holds the scope it started with...
    assert not Engagement.objects.for_user(user).filter(hub=hub_b).exists()
    # ...and the next request, which loads the user afresh, sees the new hub.
    assert Engagement.objects.for_user(fresh(coordinator_a)).filter(hub=hub_b).exists()


@pytest.mark.parametrize("url_name", ["hubs_staff:home", "admin:hubs_engagement_changelist"])
def test_one_request_reads_the_groups_and_the_hubs_once(client, coordinator_a, hub_a, url_name):
    EngagementFactory(hub=hub_a)
    client.force_login(coordinator_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name))

    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if "hubs_hubcoordinator" in s]) == 1
    assert len([s for s in sql if '"auth_group"."name" IN' in s]) == 1


# --- Guards: each app's for_user keeps to the scope ------------------------------------------


def test_a_coordinator_cannot_see_another_hubs_records(coordinator_a, hub_a, hub_b):
    own, other = EngagementFactory(hub=hub_a), EngagementFactory(hub=hub_b)
    own_activity, other_activity = ActivityFactory(hub=hub_a), ActivityFactory(hub=hub_b)
    organisation = OrganisationFactory()
    own_referral = Referral.objects.create(engagement=own, organisation=organisation)
    Referral.objects.create(engagement=other, organisation=organisation)

    assert list(Engagement.objects.for_user(coordinator_a)) == [own]
    assert list(Hub.objects.for_user(coordinator_a)) == [hub_a]
    assert set(Activity.objects.for_user(coordinator_a)) == {own_activity, own.activity}
    assert list(Referral.objects.for_user(coordinator_a)) == [own_referral]
    assert other_activity not in Activity.objects.for_user(coordinator_a)
    assert other.activity not in Activity.objects.for_user(coordinator_a)


def test_a_partner_contact_cannot_see_another_organisations_agreements(
    partner_contact, partner_organisation
):
    other_organisation = OrganisationFactory()
    own = KpiReturnFactory(kpi__agreement__organisation=partner_organisation)
    other = KpiReturnFactory(kpi__agreement__organisation=other_organisation)
    own_grant = GrantFactory(organisation=partner_organisation)
    GrantFactory(organisation=other_organisation)

    assert list(Organisation.objects.for_user(partner_contact)) == [partner_organisation]
    assert list(Agreement.objects.for_user(partner_contact)) == [own.kpi.agreement]
    assert list(Kpi.objects.for_user(partner_contact)) == [own.kpi]
    assert list(KpiReturn.objects.for_user(partner_contact)) == [own]
    assert list(Grant.objects.for_user(partner_contact)) == [own_grant]
    assert other.kpi.agreement not in Agreement.objects.for_user(partner_contact)


def test_a_partner_contact_cannot_see_another_organisations_roles_or_interests(
    partner_contact, partner_organisation
):
    own_role = RoleFactory(organisation=partner_organisation)
    other_role = RoleFactory(organisation=OrganisationFactory())
    own_interest = InterestFactory(role=own_role)
    InterestFactory(role=other_role)
    InterestFactory(role=None)  # a general offer of help is for officers alone
    own_hours = VolunteerHoursFactory(interest__role=own_role)
    VolunteerHoursFactory(interest__role=other_role)

    assert list(Role.objects.for_user(partner_contact)) == [own_role]
    assert set(Interest.objects.for_user(partner_contact)) == {own_interest, own_hours.interest}
    assert list(VolunteerHours.objects.for_user(partner_contact)) == [own_hours]


def test_coordinators_and_partner_contacts_see_nothing_of_the_other_side(
    coordinator_a, partner_contact, partner_organisation, hub_a
):
    EngagementFactory(hub=hub_a)
    RoleFactory(organisation=partner_organisation)
    AgreementFactory(organisation=partner_organisation)

    assert not Engagement.objects.for_user(partner_contact).exists()
    assert not Hub.objects.for_user(partner_contact).exists()
    assert not Agreement.objects.for_user(coordinator_a).exists()
    assert not Role.objects.for_user(coordinator_a).exists()


def test_officers_and_superusers_see_every_side(officer, superuser, hub_a, hub_b):
    EngagementFactory(hub=hub_a), EngagementFactory(hub=hub_b)
    RoleFactory(), RoleFactory()
    AgreementFactory(), AgreementFactory()

    for user in (officer, superuser):
        assert Engagement.objects.for_user(user).count() == 2
        assert Role.objects.for_user(user).count() == 2
        assert Agreement.objects.for_user(user).count() == 2


def test_only_staff_who_may_view_services_see_unpublished_ones(officer, partner_contact):
    published = ServiceFactory()
    draft = ServiceFactory(publication=Service.Publication.DRAFT)

    assert set(Service.objects.for_user(officer)) == {published, draft}
    assert list(Service.objects.for_user(partner_contact)) == [published]
    assert list(Service.objects.for_user(AnonymousUser())) == [published]
