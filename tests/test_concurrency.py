"""Concurrency on PostgreSQL: 8 clients at once, logging engagements and moving volunteer
interests through the pipeline. Zero lost or duplicated rows; totals exact."""

import datetime
import os
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum

from core.roles import COORDINATOR
from hubs.models import Engagement
from hubs.services import record_engagement
from tests.factories import HubCoordinatorFactory, HubFactory, InterestFactory, UserFactory
from volunteering.models import Interest, InterestEvent
from volunteering.services import move_interest

CLIENTS = 8
PER_CLIENT = int(os.environ.get("CONCURRENCY_ENGAGEMENTS", "1000"))
INTERESTS = 40

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent writers"
    ),
]


def run_clients(work):
    errors = []

    def client(n):
        try:
            work(n)
        except Exception as exc:  # reported below, with the client's number
            errors.append((n, repr(exc)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_eight_clients_logging_engagements_lose_and_duplicate_nothing():
    hub = HubFactory()
    users = []
    for n in range(CLIENTS):
        user = UserFactory(username=f"coord{n}", groups=[COORDINATOR])
        HubCoordinatorFactory(user=user, hub=hub)
        users.append(user)
    day = datetime.date(2026, 1, 15)

    def log_sessions(n):
        for i in range(PER_CLIENT):
            engagement = Engagement(
                hub=hub, date=day, people=n + 1, new_people=0, notes=f"client {n} row {i}"
            )
            record_engagement(user=users[n], engagement=engagement, referrals=[])

    assert run_clients(log_sessions) == []

    assert Engagement.objects.count() == CLIENTS * PER_CLIENT
    assert Engagement.objects.values("notes").distinct().count() == CLIENTS * PER_CLIENT
    expected_people = sum((n + 1) * PER_CLIENT for n in range(CLIENTS))
    assert Engagement.objects.aggregate(total=Sum("people"))["total"] == expected_people


def test_eight_clients_moving_the_same_interests_move_each_exactly_once():
    interests = [InterestFactory() for _ in range(INTERESTS)]
    moved = [0] * CLIENTS

    def contact_everyone(n):
        for interest in interests:
            try:
                move_interest(interest=interest, to_status=Interest.Status.CONTACTED)
            except ValidationError:
                continue  # another client got there first: told, not a crash
            moved[n] += 1

    assert run_clients(contact_everyone) == []

    assert sum(moved) == INTERESTS
    assert InterestEvent.objects.count() == INTERESTS
    assert set(Interest.objects.values_list("status", flat=True)) == {Interest.Status.CONTACTED}
