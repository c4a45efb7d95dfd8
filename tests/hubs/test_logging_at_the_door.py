"""Logging at the door: today's sessions first, a warning before a session is saved twice,
Change and Undo from the "Saved" banner."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hubs import services
from hubs.models import Engagement, HubCoordinator
from tests.factories import ActivityFactory, EngagementFactory, UserFactory
from tests.hubs.test_staff_views import log_data

pytestmark = pytest.mark.django_db
LOG = reverse("hubs_staff:log")


def _today(**kwargs):
    return timezone.localtime().weekday()


def _options(html):
    select = re.search(r'<select[^>]*name="activity".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', select)


def test_todays_sessions_come_first_and_the_one_on_now_is_chosen(client, coordinator_a, hub_a):
    today = _today()
    other_day = ActivityFactory(hub=hub_a, name="Art club", weekday=(today + 1) % 7)
    started = ActivityFactory(
        hub=hub_a, name="Breakfast", weekday=today, start_time=datetime.time(0, 0)
    )
    later = ActivityFactory(
        hub=hub_a,
        name="Zumba",
        weekday=today,
        start_time=datetime.time(23, 58),
        end_time=datetime.time(23, 59),
    )
    client.force_login(coordinator_a)

    options = _options(client.get(LOG).content.decode())

    assert [value for value, _, _ in options] == [
        "",
        str(started.pk),
        str(later.pk),
        str(other_day.pk),
    ]
    assert [label for _, _, label in options][1:] == [
        "Breakfast, today 00:00",
        "Zumba, today 23:58",
        "Art club",
    ]
    assert [value for value, selected, _ in options if selected] == [str(started.pk)]


def test_nothing_is_chosen_on_a_day_without_sessions(client, coordinator_a, hub_a):
    ActivityFactory(hub=hub_a, weekday=(_today() + 3) % 7)
    client.force_login(coordinator_a)
    options = _options(client.get(LOG).content.decode())
    assert [value for value, selected, _ in options if selected] == [""]


def test_a_session_like_one_saved_already_is_warned_about_then_saved_anyway(
    client, coordinator_a, hub_a
):
    activity = ActivityFactory(hub=hub_a, name="Coffee morning", weekday=_today())
    client.force_login(coordinator_a)
    assert client.post(LOG, log_data(hub_a, activity)).status_code == 302

    again = client.post(LOG, log_data(hub_a, activity, people="15"))

    html = again.content.decode()
    assert again.status_code == 200
    assert "looks like a session that is saved already: 14 people at Coffee morning" in html
    assert "by you" in html and 'name="save_anyway" value="True"' in html
    assert Engagement.objects.count() == 1

    anyway = client.post(LOG, {**log_data(hub_a, activity, people="15"), "save_anyway": "True"})

    assert anyway.status_code == 302
    assert sorted(Engagement.objects.values_list("people", flat=True)) == [14, 15]


def test_another_activity_or_day_is_not_warned_about(client, coordinator_a, hub_a):
    coffee = ActivityFactory(hub=hub_a, weekday=_today())
    lunch = ActivityFactory(hub=hub_a, weekday=_today())
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    client.force_login(coordinator_a)
    client.post(LOG, log_data(hub_a, coffee))

    assert client.post(LOG, log_data(hub_a, lunch)).status_code == 302
    assert client.post(LOG, log_data(hub_a, coffee, date=yesterday)).status_code == 302
    assert Engagement.objects.count() == 3


def test_the_saved_banner_offers_change_and_undo_and_undo_deletes_it(client, coordinator_a, hub_a):
    activity = ActivityFactory(hub=hub_a, weekday=_today())
    client.force_login(coordinator_a)

    home = client.post(LOG, log_data(hub_a, activity), follow=True).content.decode()

    engagement = Engagement.objects.get()
    undo = reverse("hubs_staff:undo", args=[engagement.pk])
    assert f'action="{undo}"' in home
    assert reverse("admin:hubs_engagement_change", args=[engagement.pk]) in home
    # Offered once, with the banner.
    assert f'action="{undo}"' not in client.get(reverse("hubs_staff:home")).content.decode()

    response = client.post(undo, follow=True)

    assert response.redirect_chain[-1][0] == LOG
    assert "Undone: the session of 14 people" in response.content.decode()
    assert not Engagement.objects.exists()


def test_undo_is_only_for_your_own_session_within_the_window(client, coordinator_a, hub_a):
    colleague = UserFactory(username="colleague")
    HubCoordinator.objects.create(user=colleague, hub=hub_a)
    theirs = EngagementFactory(hub=hub_a, created_by=colleague, date=timezone.localdate())
    mine = EngagementFactory(hub=hub_a, created_by=coordinator_a, date=timezone.localdate())
    Engagement.objects.filter(pk=mine.pk).update(
        created=timezone.now() - services.UNDO_WINDOW - datetime.timedelta(seconds=1)
    )
    client.force_login(coordinator_a)

    for engagement in (theirs, mine):
        response = client.post(reverse("hubs_staff:undo", args=[engagement.pk]), follow=True)
        assert "Only a session you saved in the last 15 minutes" in response.content.decode()
    assert Engagement.objects.count() == 2


def test_undo_of_another_hubs_session_is_a_404(client, coordinator_b, hub_a):
    engagement = EngagementFactory(hub=hub_a, created_by=coordinator_b)
    client.force_login(coordinator_b)
    assert client.post(reverse("hubs_staff:undo", args=[engagement.pk])).status_code == 404
    assert client.get(reverse("hubs_staff:undo", args=[engagement.pk])).status_code == 405
    assert Engagement.objects.filter(pk=engagement.pk).exists()


@pytest.mark.parametrize("pk", ["99999999999999999999", "9223372036854775808", "0"])
def test_undo_of_an_impossible_session_is_a_404(client, coordinator_a, pk):
    client.force_login(coordinator_a)
    assert client.post(f"/staff/hubs/sessions/{pk}/undo/").status_code == 404


def test_the_service_refuses_another_hub_and_someone_elses_session(coordinator_a, hub_a, hub_b):
    from django.core.exceptions import PermissionDenied

    elsewhere = EngagementFactory(hub=hub_b, created_by=coordinator_a)
    with pytest.raises(PermissionDenied):
        services.undo_engagement(user=coordinator_a, engagement=elsewhere)
    nobody = EngagementFactory(hub=hub_a, created_by=None)
    with pytest.raises(ValidationError):
        services.undo_engagement(user=coordinator_a, engagement=nobody)
    assert Engagement.objects.count() == 2


@pytest.mark.parametrize("value", ["\x00", "9" * 400, "<script>", ""])
def test_save_anyway_with_any_value_is_never_a_500(client, coordinator_a, hub_a, value):
    activity = ActivityFactory(hub=hub_a, weekday=_today())
    client.force_login(coordinator_a)
    response = client.post(LOG, {**log_data(hub_a, activity), "save_anyway": value})
    assert response.status_code in (200, 302, 400)


def test_the_people_field_carries_the_tally_and_works_without_it(client, coordinator_a, hub_a):
    client.force_login(coordinator_a)
    html = client.get(LOG).content.decode()
    assert re.search(r'<input[^>]*name="people"[^>]*data-tally="people"', html)
    assert 'src="/static/hubs/tally.mjs"' in html


def test_log_form_queries_stay_flat(client, coordinator_a, hub_a, django_assert_max_num_queries):
    for weekday in range(7):
        ActivityFactory.create_batch(3, hub=hub_a, weekday=weekday)
    client.force_login(coordinator_a)
    client.get(LOG)
    # 17 with 21 activities as with 1: sign-in and scope 7, hubs 1, activities 2 (today's
    # session, then the list), organisations 4 (present, three referral rows), session 3.
    with django_assert_max_num_queries(17):
        assert client.get(LOG).status_code == 200
