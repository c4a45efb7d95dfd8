"""What every dashboard section is made of: figures that link to the records behind them,
tables of them, and the permissions that decide which sections a user sees."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from core.reports import Table

HUBS_PERMISSION = "hubs.view_engagement"
PARTNERS_PERMISSION = "partners.view_agreement"
DIRECTORY_PERMISSION = "directory.view_service"
SUGGESTIONS_PERMISSION = "directory.view_suggestion"
INTERESTS_PERMISSION = "volunteering.view_interest"
HOURS_PERMISSION = "volunteering.view_volunteerhours"
SECTION_PERMISSIONS = (
    HUBS_PERMISSION,
    PARTNERS_PERMISSION,
    DIRECTORY_PERMISSION,
    INTERESTS_PERMISSION,
    HOURS_PERMISSION,
)
DUE_SOON_SHOWN = 10  # agreements listed by name; the figure links to all of them
NO_RETURNS = "No KPI returns yet"


@dataclass
class Figure:
    """A number on the dashboard and the admin list of the records behind it.

    `rows` is how many records that list shows when it is not the figure itself: a headcount
    of people links to the sessions it adds up, a total of hours to the entries."""

    value: int | float | Decimal
    url: str = ""
    rows: int | None = None

    @property
    def list_count(self):
        return self.value if self.rows is None else self.rows


@dataclass
class DashTable:
    """A table whose cells (after the first column) are Figures; `chart` is the plain
    core.reports.Table the SVG bar chart include draws from the `chart_column`."""

    slug: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart_column: int | None = None
    total: list | None = None  # a last row, in the table's foot

    @property
    def chart(self):
        if self.chart_column is None:
            return None
        return Table(
            slug=self.slug,
            title=self.title,
            columns=[self.columns[0], self.columns[self.chart_column]],
            rows=[[row[0], row[self.chart_column].value] for row in self.rows],
            caption=self.caption,
        )

    @property
    def headers(self):
        return [{"name": column, "numeric": i > 0} for i, column in enumerate(self.columns)]

    @property
    def display_rows(self):
        """Rows for components/report_table.html: the row's label (and tag), and each cell's
        figure with its link and column's name (for the link's hidden text: "12" alone says
        little out of context)."""
        return [self._display(row) for row in self.rows]

    @property
    def display_total(self):
        return self._display(self.total) if self.total else None

    def _display(self, row):
        head = row[0]
        return {
            "label": head["label"] if isinstance(head, dict) else head,
            "tag": head.get("tag", "") if isinstance(head, dict) else "",
            "cells": [
                {"value": cell.value, "url": cell.url, "column": column, "numeric": True}
                for cell, column in zip(row[1:], self.columns[1:], strict=True)
            ],
        }

    def figures(self):
        for row in [*self.rows, *([self.total] if self.total else [])]:
            yield from (cell for cell in row[1:] if isinstance(cell, Figure))


def changelist(model: str, **params) -> str:
    """The admin list of `app_model`, filtered by these query parameters."""
    url = reverse(f"admin:{model}_changelist")  # Django caches the resolver: cheap
    return f"{url}?{urlencode(params)}" if params else url


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def twelve_months_from(today: datetime.date) -> datetime.date:
    """The first day of the month eleven months back: this month and the eleven before it."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)
