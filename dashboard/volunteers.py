"""Dashboard: volunteering (new interests, the pipeline and its waits, confirmed hours)."""

import datetime

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format

from dashboard.figures import (
    HOURS_PERMISSION,
    INTERESTS_PERMISSION,
    DashTable,
    Figure,
    changelist,
    first_of_month,
    next_month,
    twelve_months_from,
)
from partners.performance import aware_midnight
from volunteering import pipeline
from volunteering.models import Interest, VolunteerHours
from volunteering.reports import number


def interest_figures(interests, today):
    """Interests by stage, and new this month: one aggregated query; waiting past the target:
    one more."""
    month = first_of_month(today)
    created_this_month = Q(
        created__gte=aware_midnight(month), created__lt=aware_midnight(next_month(month))
    )
    rows = (
        interests.values("status")
        .annotate(n=Count("pk"), new=Count("pk", filter=created_this_month))
        .order_by()
    )
    counts = {r["status"]: r["n"] for r in rows}
    new = Figure(
        sum(r["new"] for r in rows),
        changelist("volunteering_interest", created__year=month.year, created__month=month.month),
    )
    waiting = Figure(
        interests.waiting("any", today).count(),
        changelist("volunteering_interest", waiting="any"),
    )
    table = DashTable(
        slug="interests-stage",
        title="Pipeline",
        caption="Expressions of interest at each stage",
        columns=["Stage", "Interests"],
    )
    for status in Interest.Status:
        table.rows.append(
            [
                status.label,
                Figure(
                    counts.get(status.value, 0),
                    changelist("volunteering_interest", status__exact=status.value),
                ),
            ]
        )
    placed = table.rows[list(Interest.Status).index(Interest.Status.PLACED)][1]
    return new, waiting, placed, table


def hours_figures(hours, today):
    """Confirmed hours this month and in the last 12 months, and hours awaiting confirmation:
    one aggregated query."""
    month, start = first_of_month(today), twelve_months_from(today)
    until = today + datetime.timedelta(days=1)
    confirmed = Q(confirmed_hours__isnull=False)
    in_month = confirmed & Q(date__gte=month, date__lt=until)
    in_year = confirmed & Q(date__gte=start, date__lt=until)
    awaiting = Q(confirmed_hours__isnull=True)
    totals = hours.aggregate(
        month=Sum("confirmed_hours", filter=in_month),
        month_entries=Count("pk", filter=in_month),
        year=Sum("confirmed_hours", filter=in_year),
        year_entries=Count("pk", filter=in_year),
        awaiting=Sum("hours", filter=awaiting),
        awaiting_entries=Count("pk", filter=awaiting),
    )

    def url(**params):
        return changelist("volunteering_volunteerhours", **params)

    return [
        (
            Figure(
                number(totals["month"]),
                url(confirmed="yes", date__gte=month.isoformat(), date__lt=until.isoformat()),
                rows=totals["month_entries"],
            ),
            f"hours confirmed in {date_format(month, 'F')}",
        ),
        (
            Figure(
                number(totals["year"]),
                url(confirmed="yes", date__gte=start.isoformat(), date__lt=until.isoformat()),
                rows=totals["year_entries"],
            ),
            "hours confirmed in the last 12 months",
        ),
        (
            Figure(
                number(totals["awaiting"]), url(confirmed="no"), rows=totals["awaiting_entries"]
            ),
            "hours logged, awaiting confirmation",
        ),
    ]


def volunteering_section(user, today):
    figures, tables = [], []
    if user.has_perm(INTERESTS_PERMISSION):
        new, waiting, placed, table = interest_figures(Interest.objects.for_user(user), today)
        figures += [
            (new, f"new interests in {date_format(today, 'F')}"),
            (waiting, "waiting past their target time"),
            (placed, "people placed"),
        ]
        tables.append(table)
    if user.has_perm(HOURS_PERMISSION):
        figures += hours_figures(VolunteerHours.objects.for_user(user), today)
    return {"figures": figures, "tables": tables, "targets": pipeline.stage_targets()}
