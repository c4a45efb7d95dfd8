"""Data migrations run against rows made by today's models, then checked."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hubs.models import Referral
from tests.factories import EngagementFactory, OrganisationFactory
from tests.hubs import referrals_out_of_step


@pytest.mark.django_db(transaction=True)
def test_existing_referrals_get_their_sessions_hub_and_date(hub_a, hub_b):
    advice = OrganisationFactory()
    sessions = [
        EngagementFactory(hub=hub_a, activity=None, date=datetime.date(2026, 1, 5)),
        EngagementFactory(hub=hub_b, activity=None, date=datetime.date(2026, 2, 9)),
    ]
    for session in sessions:
        Referral.objects.create(engagement=session, organisation=advice, count=2)

    executor = MigrationExecutor(connection)
    executor.migrate([("hubs", "0004_engagement_period_index")])  # before the copies existed
    executor.loader.build_graph()
    executor.migrate([("hubs", "0006_referral_report_index")])

    assert list(Referral.objects.order_by("pk").values_list("hub", "date")) == [
        (hub_a.pk, datetime.date(2026, 1, 5)),
        (hub_b.pk, datetime.date(2026, 2, 9)),
    ]
    assert not referrals_out_of_step().exists()
