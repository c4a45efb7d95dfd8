"""The hub engagements section."""

import pytest
from django.db.models import Sum

from core.roles import COORDINATOR
from hubs.models import Engagement
from tests.dashboard.pages import (
    URL,
    engagement_totals,
    follow_every_link,
    month_start,
    months_back,
    row,
    section,
    table,
    today,
    values,
)
from tests.factories import (
    EngagementFactory,
    HubCoordinatorFactory,
    HubFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_officer_sees_this_month_and_twelve_months_per_hub_and_borough_total(
    officer_client, engagements, hub_a, hub_b
):
    day = today()
    start = months_back(day, 11)
    all_rows = list(Engagement.objects.all())

    response = officer_client.get(URL)

    assert response.status_code == 200
    hubs = section(response, "hubs")
    people, new, sessions = engagement_totals(all_rows, month_start(day), day)
    assert [f.value for f, _ in hubs["figures"]] == [people, new, sessions] == [794, 74, 3]
    monthly = table(hubs, "engagements-monthly")
    assert len(monthly.rows) == 12
    assert values(monthly.rows[-1][1:]) == [people, new, sessions]
    assert values(monthly.rows[0][1:]) == list(
        engagement_totals(all_rows, start, start.replace(day=28))
    )
    by_hub = table(hubs, "engagements-hubs")
    for hub in (hub_a, hub_b):
        hub_rows = [e for e in all_rows if e.hub_id == hub.pk]
        m_people, _, m_sessions = engagement_totals(hub_rows, month_start(day), day)
        y_people, _, y_sessions = engagement_totals(hub_rows, start, day)
        assert values(row(by_hub, hub.name)[1:]) == [m_people, m_sessions, y_people, y_sessions]
    y_people, _, y_sessions = engagement_totals(all_rows, start, day)
    assert values(row(by_hub, "Borough total")[1:]) == [people, sessions, y_people, y_sessions]
    assert y_people == 12 + 5 + 8 + 777 + 9  # the 1,000 a year ago are not counted
    content = response.content.decode()
    assert "Borough total" in content
    assert '<svg class="cc-chart__svg"' in content
    assert "People at hub sessions each month: Borough total" in content


def test_engagement_links_list_exactly_the_sessions_and_people(officer_client, engagements, hub_a):
    response = officer_client.get(URL)
    by_hub = table(section(response, "hubs"), "engagements-hubs")
    people = row(by_hub, hub_a.name)[3]  # people at hub A, 12 months

    page = officer_client.get(people.url)

    assert page.context["cl"].result_count == people.rows == 3
    assert page.context["cl"].queryset.aggregate(n=Sum("people"))["n"] == people.value == 25


def test_coordinator_sees_only_their_hub(client, coordinator_a, engagements, hub_a, hub_b):
    client.force_login(coordinator_a)

    response = client.get(URL)

    assert response.status_code == 200
    assert set(response.context["sections"]) == {"hubs"}
    hubs = section(response, "hubs")
    assert [h.pk for h in hubs["hubs"]] == [hub_a.pk]
    assert [f.value for f, _ in hubs["figures"]] == [17, 4, 2]
    by_hub = table(hubs, "engagements-hubs")
    assert [r[0] for r in by_hub.rows] == [hub_a.name]
    assert by_hub.total is None
    content = response.content.decode()
    assert hub_b.name not in content
    assert "777" not in content and "Borough total" not in content
    for name in ("Partner agreements", "Directory coverage", "Volunteering"):
        assert name not in content
    follow_every_link(client, response)


def test_coordinator_of_two_hubs_gets_a_total_of_theirs_only(client, engagements, hub_a, hub_b):
    hub_c = HubFactory(name="Hub C", slug="hub-c")
    EngagementFactory(hub=hub_c, date=today(), people=40, new_people=0)
    user = UserFactory(username="two-hubs", groups=[COORDINATOR])
    HubCoordinatorFactory(user=user, hub=hub_a)
    HubCoordinatorFactory(user=user, hub=hub_c)
    client.force_login(user)

    response = client.get(URL)

    by_hub = table(section(response, "hubs"), "engagements-hubs")
    assert values(row(by_hub, "Your hubs")[1:3]) == [17 + 40, 3]
    assert hub_b.name not in response.content.decode()
    follow_every_link(client, response)


def test_coordinator_without_a_hub_is_told_so(client, coordinator):
    client.force_login(coordinator)

    response = client.get(URL)

    assert response.status_code == 200
    assert "You are not a coordinator of any hub yet" in response.content.decode()
