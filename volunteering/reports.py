"""Hours report: confirmed hours per month, organisation, hub and area, in three aggregated
queries (the organisation, hub and area tables share two); the charts reuse the hubs
report's `Table` and its SVG bar chart include."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.formats import date_format

from core.reports import Table, months_between
from volunteering.models import Interest

NOT_AT_A_HUB = "Not at a hub"
REMOTE = "From home (remote)"


def number(value) -> int | float:
    """Hours for display: 12 rather than 12.00, 3.5 rather than 3.50."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def _per_volunteer(hours):
    """(organisation, hub, area, confirmed hours) for each volunteer (a placement: one
    interest) with confirmed hours among `hours`, in two queries. The entries are added up
    per volunteer before they meet roles and organisations: a grouped join of every entry
    for each table grew with the entries (bench/report.py times the report)."""
    confirmed = hours.confirmed().order_by()
    totals = dict(
        confirmed.values("interest")
        .annotate(total=Sum("confirmed_hours"))
        .values_list("interest", "total")
    )
    if not totals:
        return []
    places = Interest.objects.filter(pk__in=confirmed.values("interest")).values_list(
        "pk", "role__organisation__name", "role__hub__name", "role__area__name"
    )
    return [(org, hub, area, totals[pk]) for pk, org, hub, area in places if pk in totals]


def _grouped(per_volunteer, column, *, slug, title, heading, empty_label, caption):
    """Confirmed hours and volunteers by one column of _per_volunteer, most hours first."""
    found = defaultdict(lambda: [Decimal(0), 0])
    for row in per_volunteer:
        group = found[row[column]]
        group[0] += row[3]
        group[1] += 1
    ordered = sorted(found.items(), key=lambda item: (-item[1][0], item[0] is None, item[0] or ""))
    return Table(
        slug=slug,
        title=title,
        columns=[heading, "Confirmed hours", "Volunteers"],
        rows=[[name or empty_label, number(total), n] for name, (total, n) in ordered],
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
    per_volunteer = _per_volunteer(hours)
    return [
        monthly(hours, start=start, end=end),
        _grouped(
            per_volunteer,
            0,
            slug="organisation",
            title="By organisation",
            heading="Organisation",
            empty_label="",
            caption="Confirmed hours by organisation",
        ),
        _grouped(
            per_volunteer,
            1,
            slug="hub",
            title="By hub",
            heading="Hub",
            empty_label=NOT_AT_A_HUB,
            caption="Confirmed hours by community hub",
        ),
        _grouped(
            per_volunteer,
            2,
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
