"""hubs.services called directly: every guard refuses what it is there to refuse."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from directory.models import Service
from hubs import services
from hubs.models import Activity, Engagement, HubCoordinator, Referral
from tests.factories import (
    ActivityFactory,
    EngagementFactory,
    HubCoordinatorFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def new_session(hub, **fields):
    return Engagement(hub=hub, activity=None, date=datetime.date(2026, 1, 5), people=8, **fields)


# --- record_engagement ------------------------------------------------------------------------


def test_record_engagement_saves_a_coordinators_session_as_theirs(coordinator_a, hub_a):
    advice = OrganisationFactory()

    session = services.record_engagement(
        user=coordinator_a, engagement=new_session(hub_a), referrals=[(advice, 2)]
    )

    session.refresh_from_db()
    assert session.created_by == coordinator_a
    assert list(session.referrals.values_list("organisation", "count")) == [(advice.pk, 2)]


def test_record_engagement_refuses_a_coordinator_at_another_hub(coordinator_a, hub_b):
    with pytest.raises(PermissionDenied, match="Not one of your hubs"):
        services.record_engagement(user=coordinator_a, engagement=new_session(hub_b))

    assert not Engagement.objects.exists()


def test_record_engagement_refuses_to_move_another_hubs_session_to_theirs(
    coordinator_a, hub_a, hub_b
):
    theirs = EngagementFactory(hub=hub_b, activity=None)
    theirs.hub = hub_a

    with pytest.raises(PermissionDenied):
        services.record_engagement(user=coordinator_a, engagement=theirs)

    theirs.refresh_from_db()
    assert theirs.hub == hub_b


def test_record_engagement_keeps_who_created_a_session_when_another_changes_it(
    officer, coordinator_a, hub_a
):
    session = services.record_engagement(user=coordinator_a, engagement=new_session(hub_a))
    session.people = 9

    services.record_engagement(user=officer, engagement=session)

    session.refresh_from_db()
    assert (session.people, session.created_by) == (9, coordinator_a)


def test_record_engagement_refuses_bad_figures(coordinator_a, hub_a):
    with pytest.raises(ValidationError) as refused:
        services.record_engagement(user=coordinator_a, engagement=new_session(hub_a, new_people=20))

    assert "new_people" in refused.value.message_dict
    assert not Engagement.objects.exists()


def test_import_engagements_saves_none_when_one_row_is_at_another_hub(coordinator_a, hub_a, hub_b):
    class Row:
        def __init__(self, hub):
            self.hub = hub

        def save(self, commit):
            return new_session(self.hub)

        def referral_list(self):
            return []

    with pytest.raises(PermissionDenied):
        services.import_engagements(user=coordinator_a, forms=[Row(hub_a), Row(hub_b)])

    assert not Engagement.objects.exists()


# --- save_referrals -------------------------------------------------------------------------


def test_save_referrals_refuses_a_coordinator_at_another_hub(coordinator_a, hub_b):
    session = EngagementFactory(hub=hub_b, activity=None)
    referral = Referral(organisation=OrganisationFactory(), count=1)

    with pytest.raises(PermissionDenied):
        services.save_referrals(user=coordinator_a, engagement=session, referrals=[referral])

    assert not Referral.objects.exists()


def test_save_referrals_refuses_a_referral_from_another_session(coordinator_a, hub_a, hub_b):
    mine = EngagementFactory(hub=hub_a, activity=None)
    theirs = EngagementFactory(hub=hub_b, activity=None)
    other = Referral.objects.create(engagement=theirs, organisation=OrganisationFactory())

    with pytest.raises(PermissionDenied, match="Not a referral from this session"):
        services.save_referrals(user=coordinator_a, engagement=mine, referrals=[], deleted=[other])

    assert Referral.objects.filter(pk=other.pk, engagement=theirs).exists()


def test_save_referrals_saves_and_deletes(coordinator_a, hub_a):
    session = EngagementFactory(hub=hub_a, activity=None)
    gone = Referral.objects.create(engagement=session, organisation=OrganisationFactory())
    new = Referral(organisation=OrganisationFactory(), count=3)

    services.save_referrals(user=coordinator_a, engagement=session, referrals=[new], deleted=[gone])

    assert list(session.referrals.values_list("pk", "count", "hub", "date")) == [
        (new.pk, 3, hub_a.pk, session.date)
    ]


# --- activities -----------------------------------------------------------------------------


def test_save_activity_publishes_it_in_the_directory(coordinator_a, hub_a):
    activity = ActivityFactory.build(hub=hub_a)

    services.save_activity(user=coordinator_a, activity=activity)

    activity.refresh_from_db()
    assert activity.service.publication == Service.Publication.PUBLISHED


def test_save_activity_refuses_a_coordinator_at_another_hub(coordinator_a, hub_b):
    with pytest.raises(PermissionDenied):
        services.save_activity(user=coordinator_a, activity=ActivityFactory.build(hub=hub_b))

    assert not Activity.objects.exists()


def test_save_activity_refuses_to_move_another_hubs_activity(coordinator_a, hub_a, hub_b):
    theirs = ActivityFactory(hub=hub_b)
    theirs.hub = hub_a

    with pytest.raises(PermissionDenied):
        services.save_activity(user=coordinator_a, activity=theirs)

    assert Activity.objects.get(pk=theirs.pk).hub == hub_b


def test_save_activity_refuses_one_that_ends_before_it_starts(coordinator_a, hub_a):
    activity = ActivityFactory.build(
        hub=hub_a, start_time=datetime.time(10), end_time=datetime.time(9)
    )

    with pytest.raises(ValidationError):
        services.save_activity(user=coordinator_a, activity=activity)


def test_delete_activities_deletes_them_with_their_listings(officer, hub_a):
    activity = services.save_activity(user=officer, activity=ActivityFactory.build(hub=hub_a))
    listing = activity.service_id

    assert services.delete_activities(user=officer, activities=[activity]) == 1

    assert not Activity.objects.exists()
    assert not Service.objects.filter(pk=listing).exists()


def test_delete_activities_refuses_another_hubs_and_deletes_none(coordinator_a, hub_a, hub_b):
    mine, theirs = ActivityFactory(hub=hub_a), ActivityFactory(hub=hub_b)

    with pytest.raises(PermissionDenied):
        services.delete_activities(user=coordinator_a, activities=[mine, theirs])

    assert Activity.objects.count() == 2


# --- hubs and their coordinators ------------------------------------------------------------


def test_save_hub_refuses_a_coordinator_even_at_their_own_hub(coordinator_a, hub_a):
    hub_a.name = "Renamed"

    with pytest.raises(PermissionDenied):
        services.save_hub(user=coordinator_a, hub=hub_a)

    hub_a.refresh_from_db()
    assert hub_a.name == "Hub A"


def test_save_hub_refuses_an_open_hub_without_an_opening_date(officer, hub_a):
    hub_a.opened = None

    with pytest.raises(ValidationError):
        services.save_hub(user=officer, hub=hub_a)


def test_closing_a_hub_withdraws_its_activities_listings(officer, hub_a):
    activity = services.save_activity(user=officer, activity=ActivityFactory.build(hub=hub_a))
    hub_a.status = hub_a.Status.CLOSED

    services.save_hub(user=officer, hub=hub_a)

    activity.service.refresh_from_db()
    assert activity.service.publication == Service.Publication.DRAFT


def test_save_coordinators_refuses_a_coordinator(coordinator_a, hub_a):
    membership = HubCoordinator(user=UserFactory())

    with pytest.raises(PermissionDenied):
        services.save_coordinators(user=coordinator_a, hub=hub_a, memberships=[membership])

    assert hub_a.memberships.count() == 1


def test_save_coordinators_refuses_a_membership_of_another_hub(officer, hub_a, hub_b):
    theirs = HubCoordinatorFactory(hub=hub_b)

    with pytest.raises(PermissionDenied, match="Not a coordinator of this hub"):
        services.save_coordinators(user=officer, hub=hub_a, memberships=[], deleted=[theirs])

    assert HubCoordinator.objects.filter(pk=theirs.pk).exists()


def test_save_coordinators_adds_and_removes(officer, hub_a, coordinator_a):
    newcomer = UserFactory()
    leaving = HubCoordinator.objects.get(user=coordinator_a)

    services.save_coordinators(
        user=officer,
        hub=hub_a,
        memberships=[HubCoordinator(user=newcomer)],
        deleted=[leaving],
    )

    assert list(hub_a.memberships.values_list("user", flat=True)) == [newcomer.pk]
