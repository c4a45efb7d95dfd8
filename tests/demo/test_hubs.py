from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from hubs.models import Activity, Engagement, Hub, HubCoordinator, Referral
from partners.models import Organisation
from tests.hubs import referrals_out_of_step

pytestmark = pytest.mark.django_db


def seed(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())


def test_demo_has_two_open_school_hubs_three_in_development_and_a_coordinator(settings):
    seed(settings)

    open_hubs = Hub.objects.filter(status=Hub.Status.OPEN)
    assert sorted(h.opened.isoformat() for h in open_hubs) == ["2020-01-13", "2022-03-07"]
    assert {h.venue_kind for h in open_hubs} == {Hub.VenueKind.SCHOOL}
    assert {h.lead_partner.slug for h in open_hubs} == {"basildon-cvs"}
    assert Hub.objects.filter(status=Hub.Status.IN_DEVELOPMENT).count() == 3
    assert Hub.objects.values("area").distinct().count() == 5
    membership = HubCoordinator.objects.get(user__username="coordinator")
    assert membership.hub == open_hubs.order_by("opened").first()
    advice = Activity.objects.filter(category=Activity.Category.ADVICE)
    assert {a.run_by.slug for a in advice} == {"citizens-advice-basildon"}


def test_demo_engagements_are_about_1500_people_a_month_for_two_years(settings):
    seed(settings)

    months = list(
        Engagement.objects.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(people=Sum("people"))
        .order_by("month")
    )
    assert len(months) == 25  # 24 whole months back, plus this month so far
    full = [m["people"] for m in months[:-1]]
    assert 1300 < sum(full) / len(full) < 1700
    assert Referral.objects.exists()
    assert not referrals_out_of_step().exists()


def test_demo_hubs_and_engagements_are_idempotent(settings):
    seed(settings)
    counts = (Hub.objects.count(), Engagement.objects.count(), Organisation.objects.count())

    seed(settings)

    assert (Hub.objects.count(), Engagement.objects.count(), Organisation.objects.count()) == (
        counts
    )
