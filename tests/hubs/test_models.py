import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hubs.models import Activity, Engagement, Hub, Referral
from tests.factories import (
    ActivityFactory,
    EngagementFactory,
    HubFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.hubs import referrals_out_of_step

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [
        {"people": 0, "new_people": 0},
        {"people": 5, "new_people": 6},
        {"people": 5, "new_people": 0, "age_under_5": 3, "age_65_plus": 3},
    ],
    ids=["no-people", "new-more-than-total", "age-bands-more-than-total"],
)
def test_database_refuses_impossible_headcounts(hub_a, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Engagement.objects.create(hub=hub_a, date=datetime.date(2026, 1, 5), **fields)

    assert not Engagement.objects.exists()


def test_database_refuses_an_activity_that_ends_before_it_starts(hub_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(hub=hub_a, start_time=datetime.time(10), end_time=datetime.time(9))


def test_database_refuses_an_open_hub_without_an_opened_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        HubFactory(status=Hub.Status.OPEN, opened=None)


def test_clean_explains_each_bad_figure(hub_a, hub_b):
    other_activity = ActivityFactory(hub=hub_b)
    engagement = Engagement(
        hub=hub_a,
        activity=other_activity,
        date=timezone.localdate() + datetime.timedelta(days=1),
        people=4,
        new_people=5,
        age_26_64=5,
    )

    with pytest.raises(ValidationError) as caught:
        engagement.full_clean()

    errors = caught.value.message_dict
    assert errors["date"] == ["The date must be today or in the past"]
    assert errors["activity"] == ["Choose an activity at Hub A"]
    assert errors["new_people"] == ["The number of new people cannot be more than the total"]
    assert "add up to 5, which is more than the 4 people" in errors["age_under_5"][0]


def test_clean_refuses_a_session_before_the_hub_opened(hub_a):
    engagement = Engagement(hub=hub_a, date=hub_a.opened - datetime.timedelta(days=1), people=3)

    with pytest.raises(ValidationError, match="when the hub opened"):
        engagement.full_clean()


def test_zero_people_gets_a_clear_message(hub_a):
    engagement = Engagement(hub=hub_a, date=datetime.date(2026, 1, 5), people=0)

    with pytest.raises(ValidationError) as caught:
        engagement.full_clean()

    assert caught.value.message_dict["people"] == ["Enter at least 1 person"]


def test_coordinators_see_only_their_hubs_records(coordinator_a, hub_a, hub_b):
    mine = EngagementFactory(hub=hub_a)
    theirs = EngagementFactory(hub=hub_b)
    advice = OrganisationFactory()
    my_referral = Referral.objects.create(engagement=mine, organisation=advice)
    Referral.objects.create(engagement=theirs, organisation=advice)

    assert list(Hub.objects.for_user(coordinator_a)) == [hub_a]
    assert list(Engagement.objects.for_user(coordinator_a)) == [mine]
    assert list(Activity.objects.for_user(coordinator_a)) == [mine.activity]
    assert list(Referral.objects.for_user(coordinator_a)) == [my_referral]


def test_referrals_follow_their_session_to_another_hub_or_date(hub_a, hub_b):
    session = EngagementFactory(hub=hub_a, activity=None, date=datetime.date(2026, 1, 5))
    referral = Referral(engagement=session, organisation=OrganisationFactory(), count=2)
    referral.full_clean()  # the copies are filled in, not reported missing
    referral.save()
    assert (referral.hub, referral.date) == (hub_a, session.date)

    session.hub, session.date = hub_b, datetime.date(2026, 3, 2)
    session.save()

    referral.refresh_from_db()
    assert (referral.hub, referral.date) == (hub_b, datetime.date(2026, 3, 2))
    assert not referrals_out_of_step().exists()


def test_officers_see_every_hub(officer, hub_a, hub_b):
    assert set(Hub.objects.for_user(officer)) == {hub_a, hub_b}


def test_users_without_a_hub_or_inactive_see_nothing(coordinator, hub_a, coordinator_a):
    EngagementFactory(hub=hub_a)
    coordinator_a.is_active = False

    assert not Engagement.objects.for_user(coordinator).exists()
    assert not Engagement.objects.for_user(coordinator_a).exists()
    assert not Hub.objects.for_user(UserFactory(is_staff=False)).exists()


def test_published_activities_are_active_ones_at_open_hubs(hub_a):
    shown = ActivityFactory(hub=hub_a)
    ActivityFactory(hub=hub_a, is_active=False)
    ActivityFactory(hub=HubFactory(status=Hub.Status.IN_DEVELOPMENT, opened=None))

    assert list(Activity.objects.published()) == [shown]


def test_activity_venue_defaults_to_the_hubs_location(hub_a):
    activity = ActivityFactory(hub=hub_a, location=None)

    assert activity.venue == hub_a.location
