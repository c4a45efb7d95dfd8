"""Data that more than one section's tests read."""

import pytest

from tests.dashboard.pages import (
    month_start,
    months_back,
    today,
)
from tests.factories import (
    EngagementFactory,
)


@pytest.fixture
def engagements(hub_a, hub_b):
    day = today()
    last_month = months_back(day, 1)
    return [
        EngagementFactory(hub=hub_a, date=day, people=12, new_people=3),
        EngagementFactory(hub=hub_a, date=month_start(day), people=5, new_people=1),
        EngagementFactory(hub=hub_a, date=last_month, people=8, new_people=0),
        EngagementFactory(hub=hub_b, date=day, people=777, new_people=70),
        EngagementFactory(hub=hub_b, date=months_back(day, 11), people=9, new_people=2),
        # Outside the 12 months: a month too old.
        EngagementFactory(hub=hub_b, date=months_back(day, 12), people=1000, new_people=0),
    ]
