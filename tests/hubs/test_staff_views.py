"""Custom staff pages: log a session, reports and CSV exports, scoped to one's own hubs."""

import csv
import datetime
import io

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from hubs import staff_urls
from hubs.models import Engagement, Referral
from tests.factories import ActivityFactory, EngagementFactory, OrganisationFactory, UserFactory
from tests.hubs import date_parts

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def log_data(at_hub, with_activity=None, **overrides):
    data = {
        "hub": at_hub.pk,
        "activity": with_activity.pk if with_activity else "",
        **date_parts("date", TODAY().isoformat()),
        "people": "14",
        "new_people": "3",
    }
    if "date" in overrides:
        data.update(date_parts("date", overrides.pop("date")))
    data.update(overrides)
    return data


# --- every staff URL, every role ------------------------------------------------------------


def staff_urls_to_walk():
    for pattern in staff_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"table": "monthly"} if "table" in pattern.pattern.converters else {}
        if "pk" in pattern.pattern.converters:
            kwargs["pk"] = 2**31  # no such session: the door is checked before the record
        yield reverse(f"hubs_staff:{pattern.name}", kwargs=kwargs)


def test_every_staff_url_needs_sign_in_and_a_hubs_permission(client, coordinator_a, officer):
    urls = list(staff_urls_to_walk())
    assert len(urls) == len(staff_urls.urlpatterns) >= 5
    nobody = UserFactory(username="no-role")

    for url in urls:
        client.logout()
        anonymous = client.get(url)
        assert anonymous.status_code == 302, url
        assert anonymous["Location"].startswith(reverse("two_factor:login")), url

        client.force_login(nobody)
        assert client.get(url).status_code == 403, url

        for user in (coordinator_a, officer):
            client.force_login(user)
            # Undo is a POST only (tested below).
            assert client.get(url).status_code == (405 if "/undo/" in url else 200), (url, user)


def test_staff_pages_are_mounted_under_staff_hubs():
    resolver = get_resolver()
    assert resolver.resolve("/staff/hubs/log/").url_name == "log"


# --- log today's session --------------------------------------------------------------------


def test_coordinator_logs_a_session_and_sees_it_in_this_months_figures(
    client, coordinator_a, hub_a
):
    activity = ActivityFactory(hub=hub_a, name="Coffee morning")
    advice = OrganisationFactory(name="Citizens Advice Basildon")
    client.force_login(coordinator_a)

    form_page = client.get(reverse("hubs_staff:log"))
    response = client.post(
        reverse("hubs_staff:log"),
        log_data(hub_a, activity, age_26_64="10", referral_org_1=advice.pk, referral_count_1="2"),
        follow=True,
    )

    assert form_page.status_code == 200
    assert form_page.context["form"]["date"].value() == TODAY()
    assert response.redirect_chain == [(reverse("hubs_staff:home"), 302)]
    engagement = Engagement.objects.get()
    assert (engagement.hub, engagement.activity, engagement.people) == (hub_a, activity, 14)
    assert engagement.created_by == coordinator_a
    assert engagement.age_26_64 == 10
    assert Referral.objects.get().count == 2
    html = response.content.decode()
    assert "Saved: 14 people at Coffee morning" in html
    assert response.context["figures"][0]["people"] == 14
    assert response.context["figures"][0]["sessions"] == 1


def test_log_form_with_one_hub_fixes_the_hub_and_offers_only_its_activities(
    client, coordinator_a, hub_a, hub_b
):
    mine = ActivityFactory(hub=hub_a, name="Gardening")
    ActivityFactory(hub=hub_b, name="Their fitness")
    client.force_login(coordinator_a)

    html = client.get(reverse("hubs_staff:log")).content.decode()

    assert f'type="hidden" name="hub" value="{hub_a.pk}"' in html
    assert mine.name in html
    assert "Their fitness" not in html
    assert "Hub B" not in html


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"date": "2999-01-01"}, "date", "The date must be today or in the past"),
        ({"date_day": "31", "date_month": "2", "date_year": "2026"}, "date", "Enter a real date"),
        ({"date_day": "1", "date_month": "", "date_year": "2026"}, "date", "Enter a real date"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "date", "Enter the date"),
        ({"people": "-3"}, "people", "Enter a number that is 0 or more"),
        ({"people": "0"}, "people", "Enter at least 1 person"),
        ({"people": "lots"}, "people", "whole number"),
        ({"people": ""}, "people", "Enter how many people came"),
        ({"people": "5", "new_people": "6"}, "new_people", "cannot be more than the total"),
        ({"people": "5", "age_65_plus": "6"}, "age_under_5", "add up to 6"),
        ({"hub": "999999"}, "hub", "Choose one of your hubs"),
        ({"activity": "999999"}, "activity", "Choose an activity at one of your hubs"),
        ({"referral_count_1": "2"}, "referral_org_1", "Choose the organisation"),
        ({"referral_count_1": "0"}, "referral_count_1", "at least 1"),
    ],
)
def test_log_form_explains_bad_input_and_saves_nothing(
    client, coordinator_a, hub_a, overrides, field, message
):
    client.force_login(coordinator_a)

    data = log_data(hub_a, **overrides)

    response = client.post(reverse("hubs_staff:log"), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert not Engagement.objects.exists()


def test_coordinator_cannot_log_at_another_hub_or_with_its_activity(
    client, coordinator_a, hub_a, hub_b
):
    theirs = ActivityFactory(hub=hub_b)
    client.force_login(coordinator_a)

    at_other_hub = client.post(reverse("hubs_staff:log"), log_data(hub_b))
    with_their_activity = client.post(reverse("hubs_staff:log"), log_data(hub_a, theirs))

    assert "Choose one of your hubs" in at_other_hub.context["form"].errors["hub"]
    assert with_their_activity.context["form"].errors["activity"]
    assert not Engagement.objects.exists()


def test_coordinator_of_several_hubs_chooses_the_hub(client, coordinator_a, hub_b):
    from tests.factories import HubCoordinatorFactory

    HubCoordinatorFactory(user=coordinator_a, hub=hub_b)
    client.force_login(coordinator_a)

    html = client.get(reverse("hubs_staff:log")).content.decode()

    assert '<select name="hub"' in html
    assert "Hub A" in html
    assert "Hub B" in html


# --- reports --------------------------------------------------------------------------------


@pytest.fixture
def figures(hub_a, hub_b):
    advice = OrganisationFactory(name="Citizens Advice Basildon")
    coffee = ActivityFactory(hub=hub_a, name="Coffee morning")
    fitness = ActivityFactory(hub=hub_b, name="Fitness")
    a1 = EngagementFactory(
        hub=hub_a, activity=coffee, date=datetime.date(2026, 1, 5), people=10, age_65_plus=4
    )
    EngagementFactory(hub=hub_a, activity=coffee, date=datetime.date(2026, 2, 2), people=20)
    EngagementFactory(
        hub=hub_b,
        activity=fitness,
        date=datetime.date(2026, 1, 6),
        people=7,
        partner_present=advice,
    )
    Referral.objects.create(engagement=a1, organisation=advice, count=3)
    return {"advice": advice}


REPORT_RANGE = {**date_parts("start", "2026-01-01"), **date_parts("end", "2026-03-31")}


def tables(response):
    return {t.slug: t for t in response.context["tables"]}


def test_officer_report_has_borough_total_and_every_hub(officer_client, figures):
    response = officer_client.get(reverse("hubs_staff:reports"), REPORT_RANGE)

    monthly = tables(response)["monthly"]
    assert monthly.columns == ["Month", "Borough total", "New people", "Sessions", "Hub A", "Hub B"]
    assert monthly.rows[0] == ["January 2026", 17, 4, 2, 10, 7]
    assert monthly.rows[1] == ["February 2026", 20, 2, 1, 20, 0]
    assert monthly.rows[2] == ["March 2026", 0, 0, 0, 0, 0]
    html = response.content.decode()
    assert "<svg" in html
    assert 'aria-labelledby="chart-monthly-title chart-monthly-desc"' in html
    assert '<title id="chart-monthly-title">' in html
    assert "style=" not in html


def test_report_tables_by_activity_age_partner_and_referrals(officer_client, figures):
    found = tables(officer_client.get(reverse("hubs_staff:reports"), REPORT_RANGE))

    assert found["activity"].rows == [
        ["Coffee morning", 30, 2, "Hub A"],
        ["Fitness", 7, 1, "Hub B"],
    ]
    age = dict(found["age"].rows)
    assert age["65 and over"] == 4
    assert age["Age not recorded"] == 37 - 4
    assert ["Citizens Advice Basildon", 1, 7] in found["partner"].rows
    assert found["referrals"].rows == [["Citizens Advice Basildon", 3, 1]]


def test_coordinator_report_shows_only_their_hub(client, coordinator_a, figures, hub_b):
    theirs = EngagementFactory(hub=hub_b, activity=None, date=datetime.date(2026, 1, 8))
    Referral.objects.create(engagement=theirs, organisation=figures["advice"], count=5)
    client.force_login(coordinator_a)

    response = client.get(reverse("hubs_staff:reports"), REPORT_RANGE)

    found = tables(response)
    assert found["monthly"].columns == ["Month", "Hub A", "New people", "Sessions"]
    assert found["monthly"].rows[0][1] == 10
    assert [row[0] for row in found["activity"].rows] == ["Coffee morning"]
    assert found["partner"].rows == [["No partner present", 2, 30]]
    assert found["referrals"].rows == [["Citizens Advice Basildon", 3, 1]]
    assert "Hub B" not in response.content.decode()
    assert "Borough total" not in response.content.decode()


def test_coordinator_cannot_report_or_export_another_hub_by_id(
    client, coordinator_a, hub_b, figures
):
    client.force_login(coordinator_a)
    params = {**REPORT_RANGE, "hub": hub_b.pk}

    page = client.get(reverse("hubs_staff:reports"), params)
    export = client.get(reverse("hubs_staff:export", args=["monthly"]), params)

    assert page.status_code == 404
    assert export.status_code == 404
    assert b"Fitness" not in page.content + export.content


def test_export_csv_matches_the_table_on_the_page(officer_client, figures, hub_a):
    params = {**REPORT_RANGE, "hub": hub_a.pk}
    page = officer_client.get(reverse("hubs_staff:reports"), params)

    for table in page.context["tables"]:
        response = officer_client.get(reverse("hubs_staff:export", args=[table.slug]), params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == table.columns
        assert rows[1:] == [[str(cell) for cell in row] for row in table.rows]


def test_export_of_an_unknown_table_is_404_and_bad_dates_are_400(officer_client):
    assert officer_client.get(reverse("hubs_staff:export", args=["nope"])).status_code == 404
    bad = officer_client.get(
        reverse("hubs_staff:export", args=["monthly"]), {"start_day": "x", "start_year": "1"}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    "params,message",
    [
        ({"start_day": "1", "start_month": "13", "start_year": "2026"}, "Enter a real start"),
        (
            {**date_parts("start", "2026-03-01"), **date_parts("end", "2026-01-01")},
            "must be the same as or after",
        ),
        (
            {**date_parts("start", "1900-01-01"), **date_parts("end", "2026-01-01")},
            "10 years or less",
        ),
        ({"start_day": "1", "start_month": "1", "start_year": "9" * 18}, "Enter a real start"),
        ({"start_day": "\u00b2", "start_month": "1", "start_year": "2026"}, "Enter a real start"),
        ({"end_day": "1", "end_month": "\u00b3", "end_year": "2026"}, "Enter a real end"),
    ],
)
def test_report_explains_bad_filters_without_data(officer_client, params, message):
    response = officer_client.get(reverse("hubs_staff:reports"), params)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["tables"] is None
    assert "<title>Error: " in response.content.decode()


def test_report_is_a_constant_number_of_queries(
    officer_client, figures, hub_a, django_assert_num_queries, django_assert_max_num_queries
):
    officer_client.get(reverse("hubs_staff:reports"), REPORT_RANGE)
    with django_assert_max_num_queries(50) as first:
        officer_client.get(reverse("hubs_staff:reports"), REPORT_RANGE)
    EngagementFactory.create_batch(25, hub=hub_a, date=datetime.date(2026, 3, 3))
    EngagementFactory.create_batch(5, hub=hub_a, activity=None, date=datetime.date(2026, 1, 9))

    with django_assert_num_queries(len(first.captured_queries)):
        response = officer_client.get(reverse("hubs_staff:reports"), REPORT_RANGE)

    assert tables(response)["monthly"].rows[2][1] == 250
    # Session, user, second-factor device, two for permissions, officer check, hubs (twice:
    # the columns and the filter's select), three aggregated queries (monthly, which also
    # makes the age band table; activity and partner together; referrals), three for activity
    # and organisation names, then the sliding
    # idle timeout's session save (a savepoint, the update, its release).
    assert len(first.captured_queries) <= 17, [q["sql"] for q in first.captured_queries]


def test_staff_home_shows_this_month_for_my_hubs_only(client, coordinator_a, hub_a, hub_b):
    EngagementFactory(hub=hub_a, date=TODAY(), people=9, activity=None)
    EngagementFactory(hub=hub_b, date=TODAY(), people=50, activity=None)
    client.force_login(coordinator_a)

    response = client.get(reverse("hubs_staff:home"))

    assert [(f["hub"], f["people"]) for f in response.context["figures"]] == [(hub_a, 9)]
    assert "Hub B" not in response.content.decode()


def test_coordinator_without_a_hub_is_told_and_cannot_log(client, coordinator, hub_a):
    client.force_login(coordinator)

    page = client.get(reverse("hubs_staff:log"))
    post = client.post(reverse("hubs_staff:log"), log_data(hub_a))

    assert "not a coordinator of any hub yet" in page.content.decode()
    assert post.context["form"].errors["hub"]
    assert not Engagement.objects.exists()
