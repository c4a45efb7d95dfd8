"""Dashboard: hub engagements this month and over twelve months, per hub and month."""

import datetime
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils.formats import date_format

from core.cache import version
from core.functions import MonthStart
from core.reports import months_between
from core.scope import scope_of
from dashboard.figures import (
    DashTable,
    Figure,
    changelist,
    first_of_month,
    next_month,
    twelve_months_from,
)
from hubs.models import ENGAGEMENTS_VERSION_KEY, Engagement, Hub


def engagement_rows(engagements, *, start, until):
    """People, new people and sessions per hub per month from `start` to before `until`:
    one aggregated query (PostgreSQL reads it from the (hub, date) index)."""
    return list(
        engagements.filter(date__gte=start, date__lt=until)
        .annotate(month=MonthStart("date"))
        .values("month", "hub_id")
        .annotate(people=Sum("people"), new=Sum("new_people"), sessions=Count("pk"))
        .order_by()
    )


def _engagement_figures(rows, **params):
    """(people, new people, sessions) Figures over these rows, each linking to the sessions."""
    people = sum(r["people"] or 0 for r in rows)
    new = sum(r["new"] or 0 for r in rows)
    sessions = sum(r["sessions"] for r in rows)
    url = changelist("hubs_engagement", **params)
    return (
        Figure(people, url, rows=sessions),
        Figure(new, url, rows=sessions),
        Figure(sessions, url),
    )


def hub_section(user, today):
    """This month and the last twelve, per month and per hub: three queries, or two while the
    months that have ended are cached."""
    officer = scope_of(user).is_officer
    hubs = list(Hub.objects.for_user(user).only("pk", "name"))
    if not hubs:
        return {"hubs": [], "figures": [], "tables": []}
    start, month, until = (
        twelve_months_from(today),
        first_of_month(today),
        today + datetime.timedelta(days=1),
    )
    # Months that have ended, for every hub: cached until an engagement changes. This month:
    # counted now, for their hubs (PostgreSQL reads it from the covering (hub, date) index).
    past = cache.get_or_set(
        f"dashboard-months:{version(ENGAGEMENTS_VERSION_KEY)}:{start}:{month}",
        lambda: engagement_rows(Engagement.objects.all(), start=start, until=month),
        600,
    )
    engagements = Engagement.objects.for_user(user).filter(hub__in=[hub.pk for hub in hubs])
    rows = [*past, *engagement_rows(engagements, start=month, until=until)]
    mine = {hub.pk for hub in hubs}
    rows = [r for r in rows if r["hub_id"] in mine]  # never a figure from a hub not theirs
    mine_label = hubs[0].name if len(hubs) == 1 else "Your hubs"
    total_label = "Borough total" if officer else mine_label

    def dates(first):
        return {"date__gte": first.isoformat(), "date__lt": until.isoformat()}

    def month_dates(first):
        return {
            "date__gte": first.isoformat(),
            "date__lt": min(next_month(first), until).isoformat(),
        }

    by_month, by_hub_rows = defaultdict(list), defaultdict(list)
    for row in rows:
        by_month[row["month"]].append(row)
        by_hub_rows[row["hub_id"]].append(row)
    this_month = by_month[month]
    people, new, sessions = _engagement_figures(this_month, **month_dates(month))

    monthly = DashTable(
        slug="engagements-monthly",
        title="People each month",
        caption=f"People at hub sessions each month: {total_label}",
        columns=["Month", "People", "New people", "Sessions"],
        chart_column=1,
    )
    for first in months_between(start, today):
        in_month = by_month[first]
        monthly.rows.append(
            [date_format(first, "F Y"), *_engagement_figures(in_month, **month_dates(first))]
        )

    by_hub = DashTable(
        slug="engagements-hubs",
        title="By hub",
        caption=f"People and sessions at each hub in {date_format(month, 'F Y')} and the last "
        "12 months",
        columns=[
            "Hub",
            f"People in {date_format(month, 'F')}",
            f"Sessions in {date_format(month, 'F')}",
            "People, 12 months",
            "Sessions, 12 months",
        ],
    )
    for hub in hubs:
        hub_rows = by_hub_rows[hub.pk]
        hub_month = [r for r in hub_rows if r["month"] == month]
        m_people, _, m_sessions = _engagement_figures(
            hub_month, hub__id__exact=hub.pk, **month_dates(month)
        )
        y_people, _, y_sessions = _engagement_figures(
            hub_rows, hub__id__exact=hub.pk, **dates(start)
        )
        by_hub.rows.append([hub.name, m_people, m_sessions, y_people, y_sessions])
    if len(hubs) > 1:
        y_people, _, y_sessions = _engagement_figures(rows, **dates(start))
        by_hub.total = [total_label, people, sessions, y_people, y_sessions]
    return {
        "hubs": hubs,
        "total_label": total_label,
        "month": date_format(month, "F Y"),
        "figures": [(people, "people"), (new, "new to a hub"), (sessions, "sessions")],
        "tables": [monthly, by_hub],
    }
