import datetime

import pytest
from django.utils import timezone

from core.dates import parse_closure_days
from tests.factories import InterestFactory
from volunteering import pipeline
from volunteering.models import Interest

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2026, 3, 2)


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_working_days_skip_weekends():
    friday = MONDAY + datetime.timedelta(days=4)
    next_monday = MONDAY + datetime.timedelta(days=7)

    assert pipeline.working_days_between(friday, next_monday) == 1
    assert pipeline.working_days_between(MONDAY, next_monday) == 5
    assert pipeline.working_days_between(MONDAY, MONDAY) == 0
    assert pipeline.working_days_between(next_monday, MONDAY) == 0


@pytest.mark.parametrize(
    "days_ago, expected",
    [
        (0, ""),
        (7, ""),  # exactly 5 working days: on target
        (8, "amber"),  # 6 working days
        (14, "amber"),  # 10 working days: twice the target, not past it
        (15, "red"),
    ],
)
def test_new_interests_turn_amber_after_five_working_days_and_red_after_ten(
    settings, days_ago, expected
):
    settings.VOLUNTEERING_STAGE_TARGETS = {"new": 5, "contacted": 10}
    today = MONDAY + datetime.timedelta(days=21)
    interest = InterestFactory(status_changed_at=at(today - datetime.timedelta(days=days_ago)))

    assert pipeline.flag(interest, today) == expected
    # The admin filter agrees with the flag shown on each row.
    for level in ("amber", "red"):
        found = Interest.objects.waiting(level, today).filter(pk=interest.pk).exists()
        assert found == (expected == level)
    assert Interest.objects.waiting("any", today).filter(pk=interest.pk).exists() == bool(expected)


def test_placed_and_closed_interests_are_never_flagged(settings):
    settings.VOLUNTEERING_STAGE_TARGETS = {"new": 5, "contacted": 10}
    long_ago = at(MONDAY - datetime.timedelta(days=100))
    for status in (Interest.Status.PLACED, Interest.Status.NOT_PROGRESSED):
        interest = InterestFactory(status=status, status_changed_at=long_ago)
        assert pipeline.flag(interest, MONDAY) == ""
    assert Interest.objects.waiting("any", MONDAY).count() == 0


def test_the_targets_are_a_setting(settings):
    settings.VOLUNTEERING_STAGE_TARGETS = {"new": 1, "contacted": 10}
    interest = InterestFactory(status_changed_at=at(MONDAY))

    assert pipeline.flag(interest, MONDAY + datetime.timedelta(days=2)) == "amber"
    assert pipeline.due_by(interest) == MONDAY + datetime.timedelta(days=1)


BEFORE_CHRISTMAS = datetime.date(2026, 12, 21)  # a Monday


def test_bank_holidays_are_not_working_days():
    # 25 December (Friday), 28 December (Boxing Day's substitute) and 1 January 2027.
    assert pipeline.working_days_between(BEFORE_CHRISTMAS, datetime.date(2027, 1, 4)) == 7
    christmas_eve, tuesday = datetime.date(2026, 12, 24), datetime.date(2026, 12, 29)
    assert pipeline.working_days_between(christmas_eve, tuesday) == 1


@pytest.mark.parametrize(
    "region, waited", [("ENG", 8), ("WLS", 8), ("SCT", 7), ("NIR", 8), ("", 11)]
)
def test_each_nation_keeps_its_own_bank_holidays(settings, region, waited):
    settings.BANK_HOLIDAYS = region
    # Scotland also has 2 January (a Saturday, so Monday 4 January) off.
    assert pipeline.working_days_between(BEFORE_CHRISTMAS, datetime.date(2027, 1, 5)) == waited


def test_an_interest_sent_before_christmas_is_not_red_when_the_office_reopens(settings):
    settings.VOLUNTEERING_STAGE_TARGETS = {"new": 5, "contacted": 10}
    interest = InterestFactory(status_changed_at=at(BEFORE_CHRISTMAS))
    reopened = datetime.date(2027, 1, 5)  # 11 weekdays later, 8 working days

    assert pipeline.flag(interest, reopened) == "amber"
    assert Interest.objects.waiting("amber", reopened).filter(pk=interest.pk).exists()
    assert not Interest.objects.waiting("red", reopened).exists()
    # Due on the fifth working day: 22, 23, 24, 29 and 30 December.
    assert pipeline.due_by(interest) == datetime.date(2026, 12, 30)


def test_the_councils_closure_days_are_not_working_days_either(settings):
    settings.VOLUNTEERING_STAGE_TARGETS = {"new": 5, "contacted": 10}
    settings.CLOSURE_DAYS = parse_closure_days("2026-12-29..2026-12-31")
    interest = InterestFactory(status_changed_at=at(BEFORE_CHRISTMAS))

    # 22, 23, 24 December, then 4 and 5 January: 25 and 28 December and 1 January are bank
    # holidays, 29 to 31 December closure days.
    assert pipeline.working_days_between(BEFORE_CHRISTMAS, datetime.date(2027, 1, 4)) == 4
    assert pipeline.due_by(interest) == datetime.date(2027, 1, 5)
    assert pipeline.flag(interest, datetime.date(2027, 1, 6)) == "amber"
    assert not Interest.objects.waiting("any", datetime.date(2027, 1, 5)).exists()
    # A closure day that is a weekend or a bank holiday already is not taken off twice.
    settings.CLOSURE_DAYS = parse_closure_days("2026-12-26..2026-12-31")
    assert pipeline.working_days_between(BEFORE_CHRISTMAS, datetime.date(2027, 1, 4)) == 4


def test_closure_days_are_dates_and_ranges():
    assert parse_closure_days(" 2026-12-30..2027-01-02 , 2027-04-06,,2026-12-31") == (
        datetime.date(2026, 12, 30),
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 1),
        datetime.date(2027, 1, 2),
        datetime.date(2027, 4, 6),
    )
    assert parse_closure_days("") == ()


@pytest.mark.parametrize(
    "text, message",
    [
        ("christmas", "'christmas' is not a date"),
        ("2026-12-31..2026-12-29", "a range runs forwards"),
        ("2026-01-01..2028-01-01", "for a year at most"),
        ("2026-02-30", "is not a date"),
    ],
)
def test_closure_days_that_are_not_dates_say_which(text, message):
    with pytest.raises(ValueError, match=message):
        parse_closure_days(text)
