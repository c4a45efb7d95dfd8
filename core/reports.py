"""What every staff report is made of: a `Table` (the rows its page, bar chart and CSV download
show), the dates filter, and the CSV download of one table.

The page renders each table with templates/components/report_table.html.
"""

import csv
import datetime
from dataclasses import dataclass, field

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from core.csvfiles import safe_cell
from core.forms import GovUKForm
from core.widgets import GovUKDateInput

ROW_HEIGHT = 46  # pixels per bar in the SVG charts
MAX_SPAN_DAYS = 366 * 10


def is_number(value) -> bool:
    return isinstance(value, int | float)


@dataclass
class Table:
    slug: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Which column the chart draws, and the column holding each bar's label.
    chart_column: int = 1
    caption: str = ""

    @property
    def wide(self):
        """Many columns: the table goes under its chart rather than beside it."""
        return len(self.columns) > 4

    @property
    def chart(self):
        """What the bar chart draws: the table itself."""
        return self

    @property
    def headers(self):
        """Column names for the template; a column of text (a hub's name) is not numeric."""
        return [
            {
                "name": column,
                "numeric": i > 0 and not any(isinstance(row[i], str) for row in self.rows),
            }
            for i, column in enumerate(self.columns)
        ]

    @property
    def display_rows(self):
        """Rows for the template: the first cell labels the row, numbers align right."""
        return [
            {
                "label": row[0],
                "cells": [{"value": value, "numeric": is_number(value)} for value in row[1:]],
            }
            for row in self.rows
        ]

    @property
    def chart_bars(self):
        """Bar geometry for the SVG: a label line above each bar, widths in percent."""
        values = [row[self.chart_column] or 0 for row in self.rows]
        top = max(values, default=0)
        bars = []
        for i, (row, value) in enumerate(zip(self.rows, values, strict=True)):
            # 80% of the width for the longest bar, leaving room for its value.
            width = round(value * 80 / top, 2) if top else 0
            if value and width < 0.5:
                width = 0.5  # a sliver, so a small non-zero value still shows
            bars.append(
                {
                    "label": row[0],
                    "value": value,
                    "label_y": i * ROW_HEIGHT + 15,
                    "bar_y": i * ROW_HEIGHT + 21,
                    "width": width,
                    "value_x": round(width + 1.5, 2),
                    "value_y": i * ROW_HEIGHT + 35,
                }
            )
        return bars

    @property
    def chart_height(self):
        return max(1, len(self.rows)) * ROW_HEIGHT + 4


def months_between(start: datetime.date, end: datetime.date):
    """First days of every month from start's month to end's month, inclusive."""
    month = start.replace(day=1)
    months = []
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


class ReportFilterForm(GovUKForm):
    """A report's dates, from and to; the last twelve months when left empty. A report that
    also filters by something else (hubs' hub) adds its own field."""

    start = forms.DateField(
        label="From",
        required=False,
        widget=GovUKDateInput(),
        error_messages={"invalid": "Enter a real start date"},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=GovUKDateInput(),
        error_messages={"invalid": "Enter a real end date"},
    )

    @staticmethod
    def default_range(today):
        start = (today.replace(day=1) - datetime.timedelta(days=335)).replace(day=1)
        return start, today

    @classmethod
    def default_data(cls, today):
        """The default range as the date boxes' data, so people see what they are looking at."""
        start, end = cls.default_range(today)
        return {
            **{f"start_{k}": getattr(start, k) for k in ("day", "month", "year")},
            **{f"end_{k}": getattr(end, k) for k in ("day", "month", "year")},
        }

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        default_start, default_end = self.default_range(today)
        if "start" not in self.errors and not cleaned.get("start"):
            cleaned["start"] = default_start
        if "end" not in self.errors and not cleaned.get("end"):
            cleaned["end"] = default_end
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if start > end:
                self.add_error("end", "The end date must be the same as or after the start date")
            elif (end - start).days > MAX_SPAN_DAYS:
                self.add_error("start", "Choose a range of 10 years or less")
        return cleaned


class TableExportMixin:
    """CSV of one report table, with exactly the rows and columns shown on the page.

    For report views with `get_report()` returning (filter form, tables or None)."""

    filename_prefix = ""

    def get(self, request, table):
        form, tables = self.get_report()
        if tables is None:
            return HttpResponseBadRequest("Check the dates in the report filters.")
        found = next((t for t in tables if t.slug == table), None)
        if found is None:
            raise Http404("No such table")
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        name = f"{self.filename_prefix}-{found.slug}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        writer = csv.writer(response)
        writer.writerow(found.columns)
        for row in found.rows:
            writer.writerow([safe_cell(cell) for cell in row])
        return response
