"""The volunteering section."""

import datetime

import pytest
from django.db.models import Sum
from django.utils import timezone

from tests.dashboard.pages import (
    URL,
    D,
    figure,
    follow_every_link,
    month_start,
    months_back,
    row,
    section,
    table,
    today,
)
from tests.factories import (
    InterestFactory,
    RoleFactory,
    VolunteerHoursFactory,
)
from volunteering import pipeline
from volunteering.models import Interest, VolunteerHours

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteering_world(partner_organisation):
    now = timezone.now()
    day = today()
    role = RoleFactory(organisation=partner_organisation)
    long_ago = now - datetime.timedelta(days=70)
    InterestFactory(role=role)  # new, this month
    InterestFactory(role=role, created=long_ago, status_changed_at=long_ago)  # new, red
    InterestFactory(role=None, created=long_ago, status="contacted", status_changed_at=long_ago)
    placed = InterestFactory(role=role, status="placed", created=long_ago)
    other = InterestFactory(status="placed")
    InterestFactory(role=role, status="not_progressed")
    VolunteerHoursFactory(interest=placed, date=day, hours=D("3"), confirmed_hours=D("2.5"))
    VolunteerHoursFactory(interest=placed, date=day, hours=D("1.5"))
    VolunteerHoursFactory(
        interest=other, date=months_back(day, 3), hours=D("4"), confirmed_hours=D("4")
    )
    VolunteerHoursFactory(
        interest=other, date=months_back(day, 13), hours=D("6"), confirmed_hours=D("6")
    )


def test_officer_sees_the_volunteering_pipeline_and_hours(officer_client, volunteering_world):
    day = today()
    interests = list(Interest.objects.all())
    hours = list(VolunteerHours.objects.all())
    this_month = [i for i in interests if timezone.localtime(i.created).date() >= month_start(day)]
    waiting = [i for i in interests if pipeline.flag(i, day) and i.anonymised_at is None]

    response = officer_client.get(URL)

    volunteering = section(response, "volunteering")
    assert figure(volunteering, "new interests").value == len(this_month) == 3
    assert figure(volunteering, "waiting past").value == len(waiting) >= 2
    assert figure(volunteering, "people placed").value == 2
    stages = table(volunteering, "interests-stage")
    for status in Interest.Status:
        assert row(stages, status.label)[1].value == sum(1 for i in interests if i.status == status)
    confirmed_month = [
        h for h in hours if h.confirmed_hours is not None and h.date >= month_start(day)
    ]
    month_figure = figure(volunteering, "hours confirmed in " + day.strftime("%B"))
    assert month_figure.value == sum(h.confirmed_hours for h in confirmed_month) == 2.5
    assert month_figure.rows == len(confirmed_month)
    year = figure(volunteering, "hours confirmed in the last 12")
    assert year.value == 2.5 + 4
    assert figure(volunteering, "hours logged, awaiting").value == 1.5
    page = officer_client.get(year.url)
    assert page.context["cl"].queryset.aggregate(n=Sum("confirmed_hours"))["n"] == D("6.5")
    follow_every_link(officer_client, response)
