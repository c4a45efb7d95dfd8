"""Hours report: confirmed hours per month, organisation, hub and area. Each table is one
aggregated query; the charts reuse the hubs report's `Table` and its SVG bar chart include."""

import datetime
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from hubs.reports import Table, months_between

NOT_AT_A_HUB = "Not at a hub"
REMOTE = "From home (remote)"


def number(value) -> int | float:
    """Hours for display: 12 rather than 12.00, 3.5 rather than 3.50."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def _grouped(hours, field, *, slug, title, heading, empty_label, caption):
    rows = (
        hours.confirmed()
        .values(field)
        .annotate(confirmed=Sum("confirmed_hours"), volunteers=Count("interest", distinct=True))
        .order_by("-confirmed", field)
    )
    return Table(
        slug=slug,
        title=title,
        columns=[heading, "Confirmed hours", "Volunteers"],
        rows=[[r[field] or empty_label, number(r["confirmed"]), r["volunteers"]] for r in rows],
        caption=caption,
    )


def monthly(hours, *, start, end):
    rows = (
        hours.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(
            confirmed=Sum("confirmed_hours"),
            logged=Sum("hours"),
            unconfirmed=Sum("hours", filter=Q(confirmed_hours__isnull=True)),
            volunteers=Count("interest", distinct=True, filter=Q(confirmed_hours__isnull=False)),
        )
        .order_by()
    )
    found = {}
    for row in rows:
        month = row["month"]
        found[month.date() if isinstance(month, datetime.datetime) else month] = row
    table = Table(
        slug="monthly",
        title="Confirmed hours per month",
        columns=["Month", "Confirmed hours", "Volunteers", "Logged, awaiting confirmation"],
        caption="Hours confirmed by organisations each month",
    )
    for month in months_between(start, end):
        row = found.get(month, {})
        table.rows.append(
            [
                date_format(month, "F Y"),
                number(row.get("confirmed")),
                row.get("volunteers", 0),
                number(row.get("unconfirmed")),
            ]
        )
    return table


def build(user_hours, *, start, end, hub=None):
    """The report's four tables for hours between two dates, optionally at one hub."""
    hours = user_hours.filter(date__gte=start, date__lte=end)
    if hub is not None:
        hours = hours.filter(interest__role__hub=hub)
    return [
        monthly(hours, start=start, end=end),
        _grouped(
            hours,
            "interest__role__organisation__name",
            slug="organisation",
            title="By organisation",
            heading="Organisation",
            empty_label="",
            caption="Confirmed hours by organisation",
        ),
        _grouped(
            hours,
            "interest__role__hub__name",
            slug="hub",
            title="By hub",
            heading="Hub",
            empty_label=NOT_AT_A_HUB,
            caption="Confirmed hours by community hub",
        ),
        _grouped(
            hours,
            "interest__role__area__name",
            slug="area",
            title="By area",
            heading="Area",
            empty_label=REMOTE,
            caption="Confirmed hours by area",
        ),
    ]


def totals(user_hours):
    """Logged and confirmed hours in all, for the summary figures."""
    result = user_hours.aggregate(
        logged=Sum("hours"),
        confirmed=Sum("confirmed_hours"),
        awaiting=Sum("hours", filter=Q(confirmed_hours__isnull=True)),
    )
    return {key: number(value) for key, value in result.items()}
