"""Dashboard: live agreements by KPI rating, overdue returns, agreements ending or due for
review, and the partner's reminder of returns due."""

import datetime

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.formats import date_format

from dashboard.figures import (
    DUE_SOON_SHOWN,
    NO_RETURNS,
    DashTable,
    Figure,
    changelist,
)
from partners.models import Agreement, Kpi
from partners.performance import RATING_RANKS, RATING_TAGS, reminding, return_deadline


def agreement_ratings(agreements):
    """Live agreements by their worst latest KPI rating: one aggregated query."""
    rows = agreements.live().with_rag().values("rag_rank").annotate(n=Count("pk")).order_by()
    counts = {r["rag_rank"]: r["n"] for r in rows}
    table = DashTable(
        slug="agreements-rating",
        title="Live agreements by KPI rating",
        caption="Live agreements by the worst rating among their KPIs' latest returns",
        columns=["Rating", "Agreements"],
    )
    for rating, rank in RATING_RANKS.items():
        table.rows.append(
            [
                {"label": rating.label, "tag": RATING_TAGS[rating]},
                Figure(counts.get(rank, 0), changelist("partners_agreement", rag=rating.value)),
            ]
        )
    table.rows.append(
        [
            {"label": NO_RETURNS, "tag": "govuk-tag--grey"},
            Figure(counts.get(None, 0), changelist("partners_agreement", rag="none")),
        ]
    )
    live = Figure(
        sum(counts.values()),
        changelist("partners_agreement", status__in="active,under_review"),
    )
    return live, table


def overdue(agreements, today):
    """Overdue KPI returns, and the agreements they belong to: two queries."""
    pairs = Kpi.objects.filter(agreement__in=agreements).overdue_returns(today)
    returns = Figure(len(pairs), reverse("admin:partners_kpireturn_overdue"))
    with_overdue = Figure(
        len({kpi.agreement_id for kpi, _ in pairs}),
        changelist("partners_agreement", overdue="yes"),
    )
    return returns, with_overdue


def coming_up(agreements, today):
    """Agreements ending or due for review soon: a count and the first few, two queries."""
    due = agreements.due_soon(today)
    count = Figure(due.count(), changelist("partners_agreement", due="soon"))
    until = today + datetime.timedelta(days=settings.PARTNERS_DUE_SOON_DAYS)
    shown = []
    for agreement in due.select_related("organisation").order_by("end_date", "reference")[
        :DUE_SOON_SHOWN
    ]:
        when = []
        if today <= agreement.end_date <= until:
            when.append(f"Ends on {date_format(agreement.end_date, 'j F Y')}")
        if agreement.review_date and today <= agreement.review_date <= until:
            review = date_format(agreement.review_date, "j F Y")
            when.append(f"{'review' if when else 'Review'} due on {review}")
        shown.append(
            {
                "agreement": agreement,
                "url": reverse("admin:partners_agreement_change", args=[agreement.pk]),
                "when": " and ".join(when),
            }
        )
    return count, shown


def returns_reminder(agreements, today):
    """Last quarter's returns still to submit, once reminders are due: one count query. The
    count links to the list of exactly those returns; once overdue, they are among the
    overdue returns the section's figure counts (the same KpiQuerySet definition)."""
    quarter = reminding(today)
    if quarter is None:
        return None
    waiting = Kpi.objects.filter(agreement__in=agreements).waiting_for(quarter).count()
    if not waiting:
        return None
    deadline = return_deadline(quarter)
    url = f"{reverse('admin:partners_kpireturn_overdue')}?quarter={quarter.year}-{quarter.number}"
    return {
        "figure": Figure(waiting, url),
        "count": waiting,
        "quarter": quarter,
        "due_by": deadline,
        "overdue": today > deadline,
    }


def partner_section(user, today):
    agreements = Agreement.objects.for_user(user)
    live, ratings = agreement_ratings(agreements)
    returns, with_overdue = overdue(agreements, today)
    due, shown = coming_up(agreements, today)
    return {
        "reminder": returns_reminder(agreements, today),
        "overdue_count": returns.value,
        "figures": [
            (live, "live agreements"),
            (returns, "KPI returns overdue, in all quarters"),
            (with_overdue, "agreements with overdue returns"),
            (due, f"ending or due for review in the next {settings.PARTNERS_DUE_SOON_DAYS} days"),
        ],
        "due": due,
        "due_shown": shown,
        "tables": [ratings],
        "days": settings.PARTNERS_DUE_SOON_DAYS,
    }
