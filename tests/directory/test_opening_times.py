"""The search's "Open now" and time-of-day filters, and the bank holidays they respect."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from directory.models import TIMES_OF_DAY, BankHoliday, Schedule
from directory.search import ServiceSearch
from directory.search.filters import TIME_OF_DAY_CHOICES
from tests.factories import ScheduleFactory, ServiceFactory
from tests.searching import search_services

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
FRIDAY = Schedule.Weekday.FRIDAY
MONDAY = Schedule.Weekday.MONDAY


def names(qs):
    return [s.name for s in qs]


def at(*args):
    """Freeze the clock at a UTC moment (the way tests/directory/oruk/test_profile.py does)."""
    moment = datetime.datetime(*args, tzinfo=UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def session(name, weekday, opens, closes, **kwargs):
    service = ServiceFactory(name=name)
    ScheduleFactory(
        service=service,
        weekday=weekday,
        opens_at=datetime.time(*opens),
        closes_at=datetime.time(*closes),
        **kwargs,
    )
    return service


def test_open_now_finds_sessions_running_in_uk_time():
    session("Morning club", MONDAY, (10, 0), (12, 0))
    session("Afternoon club", MONDAY, (13, 0), (15, 0))
    session("Friday club", FRIDAY, (10, 0), (12, 0))

    # 09:30 UTC on Monday 1 June 2026 is 10:30 British Summer Time.
    with at(2026, 6, 1, 9, 30):
        assert names(search_services(open_now=True)) == ["Morning club"]


def test_open_now_counts_opening_time_but_not_closing_time():
    session("Club", MONDAY, (10, 0), (12, 0))

    with at(2026, 11, 2, 10, 0):  # 10am on a Monday in winter (UK time is UTC)
        assert names(search_services(open_now=True)) == ["Club"]
    with at(2026, 11, 2, 12, 0):
        assert names(search_services(open_now=True)) == []


def test_open_now_on_a_bank_holiday_leaves_out_sessions_closed_on_bank_holidays():
    call_command("load_bank_holidays", verbosity=0)
    session("Closes on holidays", FRIDAY, (10, 0), (12, 0), closed_on_bank_holidays=True)
    session("Open every Friday", FRIDAY, (10, 0), (12, 0))

    with at(2026, 12, 25, 11, 0):  # Christmas Day 2026, a Friday
        assert names(search_services(open_now=True)) == ["Open every Friday"]
    with at(2026, 12, 18, 11, 0):  # the Friday before: not a bank holiday
        assert names(search_services(open_now=True)) == ["Closes on holidays", "Open every Friday"]


def test_a_bank_holiday_officers_add_counts_too():
    session("Closes on holidays", MONDAY, (10, 0), (12, 0), closed_on_bank_holidays=True)
    BankHoliday.objects.create(date=datetime.date(2028, 5, 1), name="Early May bank holiday")

    with at(2028, 5, 1, 10, 30):  # BST: 11:30 UK time
        assert names(search_services(open_now=True)) == []


def test_a_bank_holiday_added_in_the_admin_changes_open_now_pages_at_once(officer_client):
    session("Closes on holidays", MONDAY, (10, 0), (12, 0), closed_on_bank_holidays=True)
    search = reverse("directory:search")
    client = Client()  # a resident, without the officer's session
    with at(2028, 5, 1, 10, 30):
        assert "Closes on holidays" in client.get(search, {"open": "now"}).content.decode()

    added = officer_client.post(
        reverse("admin:directory_bankholiday_add"),
        {"date": "2028-05-01", "name": "Early May bank holiday"},
    )

    assert added.status_code == 302 and BankHoliday.objects.filter(date="2028-05-01").exists()
    with at(2028, 5, 1, 10, 31):
        # The resident's page was cached; the new bank holiday shows all the same.
        assert "Closes on holidays" not in client.get(search, {"open": "now"}).content.decode()


def test_load_bank_holidays_has_gov_uk_dates_for_2026_and_2027_and_can_run_again():
    call_command("load_bank_holidays", verbosity=0)
    call_command("load_bank_holidays", verbosity=0)

    assert BankHoliday.objects.count() == 16
    assert BankHoliday.objects.get(date=datetime.date(2027, 3, 26)).name == "Good Friday"
    assert BankHoliday.objects.filter(date=datetime.date(2027, 12, 27)).exists()


def test_time_of_day_boundaries_are_midday_and_5pm():
    session("Until midday", MONDAY, (9, 0), (12, 0))
    session("From midday", MONDAY, (12, 0), (13, 0))
    session("Until 5pm", MONDAY, (15, 0), (17, 0))
    session("From 5pm", MONDAY, (17, 0), (19, 0))
    session("All day", MONDAY, (9, 0), (18, 0))

    assert names(search_services(times=["morning"])) == ["All day", "Until midday"]
    assert names(search_services(times=["afternoon"])) == ["All day", "From midday", "Until 5pm"]
    assert names(search_services(times=["evening"])) == ["All day", "From 5pm"]
    assert len(search_services(times=["morning", "evening"])) == 3


def test_day_and_time_of_day_must_be_the_same_session():
    service = session("Monday morning, Friday evening", MONDAY, (9, 0), (11, 0))
    ScheduleFactory(
        service=service,
        weekday=FRIDAY,
        opens_at=datetime.time(18),
        closes_at=datetime.time(20),
    )

    assert names(search_services(days=[MONDAY], times=["evening"])) == []
    assert len(search_services(days=[FRIDAY], times=["evening"])) == 1
    assert len(search_services(days=[MONDAY], times=["morning"])) == 1


def _errors(**params):
    query = QueryDict(mutable=True)
    for name, value in params.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    search = ServiceSearch(query, terms=[], areas=[])
    assert not search.is_valid()
    return search.errors


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("open", "\x00", "Select ‘Open now’ or leave it empty"),
        ("open", "yes", "Select ‘Open now’ or leave it empty"),
        ("open", "9" * 400, "Select ‘Open now’ or leave it empty"),
        ("time", "\x00", "Select times of day from the list"),
        ("time", "midnight", "Select times of day from the list"),
        ("time", ["morning", "9" * 400], "Select times of day from the list"),
    ],
)
def test_hostile_open_and_time_values_are_field_errors(name, value, message):
    assert _errors(**{name: value})[name] == [message]


def test_hostile_values_on_the_page_are_a_message_not_a_server_error(client):
    # NUL and numbers past 64 bits are refused before any view, with a message (core.querycheck).
    assert client.get("/directory/", {"open": "now\x00"}).status_code == 400
    assert client.get("/directory/", {"time": "evening\x00"}).status_code == 400
    assert client.get("/directory/", {"time": "9" * 400}).status_code == 400

    response = client.get("/directory/", {"open": "soon" * 500, "time": ["morning", "noon"]})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Select ‘Open now’ or leave it empty" in page
    assert "Select times of day from the list" in page
    assert response.context["cards"] == []


def test_open_now_and_time_of_day_show_as_removable_filters_and_in_the_title(client):
    session("Club", MONDAY, (10, 0), (12, 0))

    with at(2026, 11, 2, 10, 30):
        response = client.get("/directory/", {"open": "now", "time": "morning"})

    labels = [a["label"] for a in response.context["applied"]]
    assert labels == ["Open now", "Time of day: Morning (before midday)"]
    assert response.context["applied"][0]["remove_url"] == "/directory/?time=morning"
    title = response.content.decode().split("<title>")[1].split("</title>")[0]
    assert title.strip().startswith("1 result, 2 filters")
    assert "Evening (from 5pm)" in response.content.decode()


def test_time_of_day_choices_state_their_hours_and_match_the_queries():
    assert [value for value, _ in TIME_OF_DAY_CHOICES] == list(TIMES_OF_DAY)
    assert [label for _, label in TIME_OF_DAY_CHOICES] == [
        "Morning (before midday)",
        "Afternoon (midday to 5pm)",
        "Evening (from 5pm)",
    ]
