"""Figures and money written one way on every staff page and list (core.formats and the
govuk template filters)."""

from decimal import Decimal

import pytest

from core.formats import figure, money
from core.templatetags.govuk import cell


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (4416, "4,416"),
        (Decimal("55.80"), "55.8"),
        (Decimal("12.25"), "12.25"),
        (Decimal("4416.00"), "4,416"),
        (0, "0"),
        (None, ""),
    ],
)
def test_figure(value, shown):
    assert figure(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12000.00"), "£12,000"),
        (Decimal("12000.50"), "£12,000.50"),
        (Decimal("-250"), "-£250"),
        (None, ""),
    ],
)
def test_money(value, shown):
    assert money(value) == shown


def test_report_cells_separate_thousands_in_whole_and_decimal_numbers():
    assert (cell(4416), cell(1234.5), cell("Basildon"), cell(True)) == (
        "4,416",
        "1,234.5",
        "Basildon",
        True,
    )
    # Figures stored as decimals (ward figures have three places) read the same way.
    assert [cell(Decimal(v)) for v in ("2000.000", "1234.500", "0.333")] == [
        "2,000",
        "1,234.5",
        "0.333",
    ]
