import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partners.models import Agreement, KpiReturn, overdue_returns, waiting_returns
from partners.performance import (
    Direction,
    Quarter,
    Rating,
    due_quarters,
    financial_year_label,
    missing_quarters,
    quarters_between,
    rate,
)
from tests.factories import AgreementFactory, KpiFactory, KpiReturnFactory

D = Decimal


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 4, 1), Quarter(2026, 1)),
        (dt.date(2026, 6, 30), Quarter(2026, 1)),
        (dt.date(2026, 7, 1), Quarter(2026, 2)),
        (dt.date(2026, 12, 31), Quarter(2026, 3)),
        (dt.date(2027, 1, 1), Quarter(2026, 4)),
        (dt.date(2027, 3, 31), Quarter(2026, 4)),
    ],
)
def test_quarters_are_uk_financial_year_quarters_starting_in_april(day, expected):
    assert Quarter.containing(day) == expected


def test_quarter_dates_and_label():
    q4 = Quarter(2026, 4)

    assert (q4.start, q4.end) == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert Quarter(2026, 1).start == dt.date(2026, 4, 1)
    assert Quarter(2026, 1).end == dt.date(2026, 6, 30)
    assert q4.label == "2026-27 Q4"
    assert str(Quarter(2099, 2)) == "2099-00 Q2"
    assert financial_year_label(2009) == "2009-10"
    assert q4.next() == Quarter(2027, 1)
    assert Quarter(2027, 1).previous() == q4


def test_quarter_number_must_be_one_to_four():
    with pytest.raises(ValueError):
        Quarter(2026, 5)


def test_quarters_between_covers_partial_quarters():
    quarters = quarters_between(dt.date(2026, 5, 15), dt.date(2026, 10, 1))

    assert quarters == [Quarter(2026, 1), Quarter(2026, 2), Quarter(2026, 3)]
    assert quarters_between(dt.date(2026, 5, 1), dt.date(2026, 4, 1)) == []


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("120", Rating.GOOD),
        ("100", Rating.GOOD),
        ("99.99", Rating.APPROACHING),
        ("90", Rating.APPROACHING),
        ("89.99", Rating.REQUIRES_IMPROVEMENT),
        ("75", Rating.REQUIRES_IMPROVEMENT),
        ("74.99", Rating.INADEQUATE),
        ("0", Rating.INADEQUATE),
    ],
)
def test_rating_when_higher_is_better(actual, expected):
    assert rate(D(actual), D("100"), Direction.HIGHER) == expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("5", Rating.GOOD),
        ("10", Rating.GOOD),
        ("10.01", Rating.APPROACHING),
        ("11.11", Rating.APPROACHING),  # 90% of 11.11 is within target
        ("11.12", Rating.REQUIRES_IMPROVEMENT),
        ("13.33", Rating.REQUIRES_IMPROVEMENT),
        ("13.34", Rating.INADEQUATE),
    ],
)
def test_rating_when_lower_is_better(actual, expected):
    assert rate(D(actual), D("10"), Direction.LOWER) == expected


def test_zero_targets_rate_sensibly():
    assert rate(D("0"), D("0"), Direction.HIGHER) == Rating.GOOD
    assert rate(D("0"), D("0"), Direction.LOWER) == Rating.GOOD
    assert rate(D("1"), D("0"), Direction.LOWER) == Rating.INADEQUATE


def test_ratings_use_procurement_act_wording_and_rag_colours():
    assert [r.label for r in Rating] == [
        "Good",
        "Approaching target",
        "Requires improvement",
        "Inadequate",
    ]
    assert [r.colour for r in Rating] == ["green", "amber", "amber", "red"]


def test_thresholds_come_from_settings(settings):
    settings.PARTNERS_RAG_THRESHOLDS = (95, 50)

    assert rate(D("94"), D("100"), Direction.HIGHER) == Rating.REQUIRES_IMPROVEMENT
    assert rate(D("50"), D("100"), Direction.HIGHER) == Rating.REQUIRES_IMPROVEMENT
    assert rate(D("49"), D("100"), Direction.HIGHER) == Rating.INADEQUATE


@pytest.mark.django_db
def test_database_rating_matches_the_python_rating_for_every_value():
    """The SQL expression (for dashboards) and rate() never disagree, boundaries included."""
    higher = KpiFactory(target=D("100"), direction=Direction.HIGHER)
    lower = KpiFactory(target=D("10"), direction=Direction.LOWER)
    values = {
        higher: ["0", "74.99", "75", "89.99", "90", "99.99", "100", "150"],
        lower: ["0", "10", "10.01", "11.11", "11.12", "13.33", "13.34", "40"],
    }
    for kpi, kpi_values in values.items():
        for i, value in enumerate(kpi_values):
            KpiReturnFactory(kpi=kpi, financial_year=2000 + i, quarter=1, value=D(value))

    rows = KpiReturn.objects.with_rating().select_related("kpi")

    assert len(rows) == 16
    for row in rows:
        assert row.rating_value == row.rating.value, (row.kpi.direction, row.value)


def test_a_return_is_due_after_the_quarter_ends_plus_the_grace_period(settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 30
    start, end = dt.date(2026, 4, 1), dt.date(2027, 3, 31)

    # Q1 ends 30 June: due by 30 July, overdue from 31 July.
    assert due_quarters(start, end, dt.date(2026, 7, 30)) == []
    assert due_quarters(start, end, dt.date(2026, 7, 31)) == [Quarter(2026, 1)]
    assert missing_quarters(start, end, {Quarter(2026, 1)}, dt.date(2026, 7, 31)) == []


def test_quarters_outside_the_agreement_are_never_due():
    start, end = dt.date(2026, 7, 1), dt.date(2026, 9, 30)

    assert due_quarters(start, end, dt.date(2030, 1, 1)) == [Quarter(2026, 2)]


@pytest.mark.django_db
def test_overdue_returns_lists_missing_quarters_of_live_agreements_only(settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0
    today = dt.date(2026, 10, 5)
    live = KpiFactory(agreement=AgreementFactory(start_date=dt.date(2026, 4, 1)))
    KpiReturnFactory(kpi=live, financial_year=2026, quarter=1)
    KpiFactory(agreement=AgreementFactory(start_date=dt.date(2026, 4, 1), status="ended"))
    KpiFactory(agreement=AgreementFactory(start_date=dt.date(2026, 4, 1), status="draft"))

    overdue = overdue_returns(today=today)

    assert overdue == [(live, Quarter(2026, 2))]


@pytest.mark.django_db
def test_a_kpi_added_part_way_through_is_not_overdue_or_waiting_before_it_began(settings):
    settings.PARTNERS_RETURN_GRACE_DAYS = 0
    agreement = AgreementFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2028, 3, 31))
    original = KpiFactory(agreement=agreement, name="People helped")
    varied = KpiFactory(agreement=agreement, name="Volunteers", reported_from=dt.date(2026, 8, 15))

    overdue = overdue_returns(today=dt.date(2026, 11, 5))

    assert [q for kpi, q in overdue if kpi == original] == [
        Quarter(2025, n) for n in (1, 2, 3, 4)
    ] + [Quarter(2026, 1), Quarter(2026, 2)]
    assert [q for kpi, q in overdue if kpi == varied] == [Quarter(2026, 2)]  # July to September
    live = Agreement.objects.all()
    assert list(waiting_returns(live, Quarter(2026, 1))) == [original]
    assert set(waiting_returns(live, Quarter(2026, 2))) == {original, varied}
    assert not varied.covers(Quarter(2026, 1)) and varied.covers(Quarter(2026, 2))


@pytest.mark.django_db
def test_a_kpi_is_reported_from_a_day_within_its_agreement():
    agreement = AgreementFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2026, 3, 31))

    for day in (dt.date(2025, 3, 31), dt.date(2026, 4, 1)):
        kpi = KpiFactory.build(agreement=agreement, name="Late", reported_from=day)
        with pytest.raises(ValidationError) as error:
            kpi.full_clean()
        assert error.value.message_dict["reported_from"] == [
            "Choose a date within the agreement, which runs from 1 April 2025 to 31 March 2026"
        ]
    KpiFactory.build(
        agreement=agreement, name="Late", reported_from=dt.date(2026, 3, 31)
    ).full_clean()


@pytest.mark.django_db
def test_overdue_returns_takes_a_constant_number_of_queries(django_assert_num_queries):
    for _ in range(5):
        KpiFactory(agreement=AgreementFactory(start_date=dt.date(2024, 4, 1)))

    with django_assert_num_queries(2):
        overdue = overdue_returns(today=dt.date(2026, 11, 25))

    assert len(overdue) == 5 * 10  # 2024-25 Q1 to 2026-27 Q2 (due by 30 October)
