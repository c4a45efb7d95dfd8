"""The staff admin: coordinators reach only their own hubs' records, by any URL or id."""

import datetime

import pytest
from django.urls import reverse

from hubs.models import Activity, Engagement, Referral
from tests.factories import ActivityFactory, EngagementFactory, OrganisationFactory
from tests.hubs import date_parts, referrals_out_of_step

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:hubs_{name}", args=args)


def engagement_post(hub, activity=None, **overrides):
    data = {
        "hub": hub.pk,
        "activity": activity.pk if activity else "",
        "date": "2026-01-05",
        "people": "12",
        "new_people": "3",
        **dict.fromkeys(
            ("age_under_5", "age_5_11", "age_12_17", "age_18_25", "age_26_64", "age_65_plus"), "0"
        ),
        "partner_present": "",
        "notes": "",
        "referrals-TOTAL_FORMS": "0",
        "referrals-INITIAL_FORMS": "0",
        "referrals-MIN_NUM_FORMS": "0",
        "referrals-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_coordinator_changelist_lists_only_their_hubs_engagements(
    client, coordinator_a, hub_a, hub_b
):
    EngagementFactory(hub=hub_a, notes="mine")
    EngagementFactory(hub=hub_b, notes="theirs", people=77)
    client.force_login(coordinator_a)

    response = client.get(url("engagement_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    html = response.content.decode()
    assert "Hub B" not in html  # not in the rows, nor in the filters


@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_coordinator_cannot_open_another_hubs_engagement(client, coordinator_a, hub_b, view):
    theirs = EngagementFactory(hub=hub_b, notes="private note")
    client.force_login(coordinator_a)

    response = client.get(url(f"engagement_{view}", theirs.pk))

    assert response.status_code == 404
    assert b"private note" not in response.content


def test_coordinator_cannot_change_or_delete_another_hubs_engagement_by_post(
    client, coordinator_a, hub_b
):
    theirs = EngagementFactory(hub=hub_b, people=10)
    client.force_login(coordinator_a)

    change = client.post(url("engagement_change", theirs.pk), engagement_post(hub_b, people="99"))
    delete = client.post(url("engagement_delete", theirs.pk), {"post": "yes"})
    bulk = client.post(
        url("engagement_changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )

    assert change.status_code == 404
    assert delete.status_code == 404
    assert bulk.status_code in (200, 302)
    theirs.refresh_from_db()
    assert theirs.people == 10


def test_coordinator_cannot_add_an_engagement_at_another_hub(client, coordinator_a, hub_b):
    client.force_login(coordinator_a)

    response = client.post(url("engagement_add"), engagement_post(hub_b))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["hub"]
    assert not Engagement.objects.exists()


def test_coordinator_cannot_pick_another_hubs_activity(client, coordinator_a, hub_a, hub_b):
    client.force_login(coordinator_a)
    theirs = ActivityFactory(hub=hub_b)

    page = client.get(url("engagement_add"))
    response = client.post(url("engagement_add"), engagement_post(hub_a, theirs))

    form = page.context["adminform"].form
    assert list(form.fields["hub"].queryset) == [hub_a]
    assert theirs not in form.fields["activity"].queryset
    assert response.context["adminform"].form.errors["activity"]
    assert not Engagement.objects.exists()


def test_coordinator_logs_an_engagement_with_a_referral_in_the_admin(client, coordinator_a, hub_a):
    activity = ActivityFactory(hub=hub_a)
    advice = OrganisationFactory(name="Citizens Advice")
    client.force_login(coordinator_a)
    data = engagement_post(
        hub_a,
        activity,
        **{
            "referrals-TOTAL_FORMS": "1",
            "referrals-0-organisation": advice.pk,
            "referrals-0-count": "2",
        },
    )

    response = client.post(url("engagement_add"), data)

    assert response.status_code == 302
    engagement = Engagement.objects.get()
    assert engagement.created_by == coordinator_a
    assert engagement.referrals.get().count == 2
    assert not referrals_out_of_step().exists()


def test_a_session_moved_in_the_admin_takes_its_referrals_to_the_new_date(
    client, coordinator_a, hub_a
):
    session = EngagementFactory(hub=hub_a, activity=None, date=datetime.date(2026, 1, 5))
    advice = OrganisationFactory(name="Citizens Advice")
    referral = Referral.objects.create(engagement=session, organisation=advice, count=2)
    client.force_login(coordinator_a)
    data = engagement_post(
        hub_a,
        date="2026-02-09",
        **{
            "referrals-TOTAL_FORMS": "1",
            "referrals-INITIAL_FORMS": "1",
            "referrals-0-id": referral.pk,
            "referrals-0-engagement": session.pk,
            "referrals-0-organisation": advice.pk,
            "referrals-0-count": "2",
        },
    )

    response = client.post(url("engagement_change", session.pk), data)

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.date == datetime.date(2026, 2, 9)
    assert not referrals_out_of_step().exists()
    reports = reverse("hubs_staff:reports")
    january = client.get(
        reports, {**date_parts("start", "2026-01-01"), **date_parts("end", "2026-01-31")}
    )
    february = client.get(
        reports, {**date_parts("start", "2026-02-01"), **date_parts("end", "2026-02-28")}
    )
    assert {t.slug: t for t in january.context["tables"]}["referrals"].rows == []
    referrals = {t.slug: t for t in february.context["tables"]}["referrals"]
    assert referrals.rows == [["Citizens Advice", 2, 1]]


def test_coordinator_edits_their_own_engagement(client, coordinator_a, hub_a):
    mine = EngagementFactory(hub=hub_a, people=10)
    client.force_login(coordinator_a)

    response = client.post(
        url("engagement_change", mine.pk), engagement_post(hub_a, mine.activity, people="14")
    )

    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.people == 14


def test_admin_form_rejects_bad_figures(client, coordinator_a, hub_a):
    client.force_login(coordinator_a)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()

    response = client.post(
        url("engagement_add"), engagement_post(hub_a, date=future, people="4", new_people="9")
    )

    errors = response.context["adminform"].form.errors
    assert "date" in errors
    assert "new_people" in errors
    assert not Engagement.objects.exists()


def test_coordinator_activities_are_scoped_and_cannot_be_moved_to_another_hub(
    client, coordinator_a, hub_a, hub_b
):
    mine = ActivityFactory(hub=hub_a, name="Coffee")
    theirs = ActivityFactory(hub=hub_b, name="Their secret club")
    client.force_login(coordinator_a)

    listing = client.get(url("activity_changelist"))
    other = client.get(url("activity_change", theirs.pk))
    move = client.post(
        url("activity_change", mine.pk),
        {
            "hub": hub_b.pk,
            "name": "Coffee",
            "category": Activity.Category.COFFEE_MORNING,
            "weekday": 0,
            "start_time": "09:00",
            "end_time": "10:00",
            "is_active": "on",
        },
    )

    assert "Their secret club" not in listing.content.decode()
    assert other.status_code == 404
    assert move.status_code == 200  # the form refuses the other hub
    mine.refresh_from_db()
    assert mine.hub == hub_a


def test_coordinator_may_view_but_not_change_their_hub_or_see_others(
    client, coordinator_a, hub_a, hub_b
):
    client.force_login(coordinator_a)

    own = client.get(url("hub_change", hub_a.pk))
    other = client.get(url("hub_change", hub_b.pk))
    post = client.post(url("hub_change", hub_a.pk), {"name": "Renamed"})

    assert own.status_code == 200
    assert not own.context["has_change_permission"]
    assert other.status_code == 404
    assert post.status_code == 403
    hub_a.refresh_from_db()
    assert hub_a.name == "Hub A"


def test_officer_sees_and_changes_every_hubs_engagements(officer_client, hub_a, hub_b):
    EngagementFactory(hub=hub_a)
    theirs = EngagementFactory(hub=hub_b)

    listing = officer_client.get(url("engagement_changelist"))
    change = officer_client.get(url("engagement_change", theirs.pk))

    assert listing.context["cl"].result_count == 2
    assert change.status_code == 200


def test_engagement_changelist_query_count_does_not_grow_with_rows(
    client, coordinator_a, hub_a, django_assert_max_num_queries
):
    EngagementFactory.create_batch(3, hub=hub_a, partner_present=OrganisationFactory())
    client.force_login(coordinator_a)
    with django_assert_max_num_queries(20) as few:
        client.get(url("engagement_changelist"))
    EngagementFactory.create_batch(30, hub=hub_a, partner_present=OrganisationFactory())

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("engagement_changelist"))

    assert response.context["cl"].result_count == 33


def test_coordinator_filtering_or_autocompleting_for_another_hub_finds_nothing(
    client, coordinator_a, hub_a, hub_b
):
    EngagementFactory(hub=hub_b)
    ActivityFactory(hub=hub_b, name="Their club")
    client.force_login(coordinator_a)

    filtered = client.get(url("engagement_changelist"), {"hub__id__exact": hub_b.pk})
    hubs = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "hubs", "model_name": "engagement", "field_name": "hub"},
    )
    activities = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "hubs", "model_name": "engagement", "field_name": "activity", "term": "club"},
    )

    assert b"Their club" not in filtered.content
    assert filtered.status_code in (200, 302)
    if filtered.status_code == 200:
        assert filtered.context["cl"].result_count == 0
    assert [r["text"] for r in hubs.json()["results"]] == ["Hub A"]
    assert activities.json()["results"] == []
