"""Engagement reports: three aggregated queries (MonthStart + Sum/Count) make every table.

Python only reshapes the aggregated rows (a few per month or category), never engagements.
Each report returns a `Table` whose rows are exactly what the CSV export writes.

At county scale (a million engagements) the queries group by ids, not names, so PostgreSQL
aggregates straight from the covering indexes on (hub, date) without touching the tables or
joining a name onto every engagement; the few names are fetched afterwards. Referrals carry
their session's hub and date, so they are counted without joining the sessions.
"""

from django.db.models import Count, Sum
from django.utils.formats import date_format

from core.functions import MonthStart
from core.reports import Table, months_between
from hubs.models import AGE_BANDS, Activity
from partners.models import Organisation

NO_ACTIVITY = "Drop-in or other"
NO_PARTNER = "No partner present"


def filtered(rows, *, start, end, hubs):
    """Engagements, or referrals (which carry their session's hub and date)."""
    return rows.filter(date__gte=start, date__lte=end, hub__in=hubs)


def monthly_rows(engagements):
    """People, new people, sessions and each age band per hub per month: one query, whose
    rows make both the monthly table and the age band table."""
    return list(
        engagements.annotate(month=MonthStart("date"))
        .values("month", "hub_id")
        .annotate(
            people=Sum("people"),
            new=Sum("new_people"),
            sessions=Count("*"),
            **{name: Sum(name) for name, _ in AGE_BANDS},
        )
        .order_by()
    )


def monthly(rows, *, start, end, hubs, total_label):
    """People per hub per month, with sessions and new people in total."""
    by_month = {}
    for row in rows:
        by_month.setdefault(row["month"], {})[row["hub_id"]] = row
    table = Table(
        slug="monthly",
        title="Engagements per month",
        # With one hub its figures are the total; with several, a column per hub as well.
        columns=["Month", total_label, "New people", "Sessions"]
        + ([hub.name for hub in hubs] if len(hubs) > 1 else []),
        caption="People at hub sessions each month",
    )
    for month in months_between(start, end):
        cells = by_month.get(month, {})
        per_hub = [cells[hub.pk]["people"] if hub.pk in cells else 0 for hub in hubs]
        table.rows.append(
            [
                date_format(month, "F Y"),
                sum(per_hub),
                sum(c["new"] for c in cells.values()),
                sum(c["sessions"] for c in cells.values()),
                *(per_hub if len(hubs) > 1 else []),
            ]
        )
    return table


def _names(model, ids):
    """{pk: name}. Always one query (0 matches nothing), so a report's query count is constant."""
    ids = [pk for pk in ids if pk is not None] or [0]
    return dict(model.objects.filter(pk__in=ids).order_by().values_list("pk", "name"))


def activity_partner_rows(engagements):
    """(activity, hub, partner present, people, sessions) for each mix that happened: one
    pass over the engagements makes both the activity table and the partner table."""
    return list(
        engagements.values_list("activity_id", "hub_id", "partner_present_id")
        .annotate(people=Sum("people"), sessions=Count("*"))
        .order_by()
    )


def _totals(mixes, key):
    """{key(mix): [people, sessions]} over activity_partner_rows."""
    totals = {}
    for mix in mixes:
        total = totals.setdefault(key(mix), [0, 0])
        total[0] += mix[3]
        total[1] += mix[4]
    return totals


def by_activity(mixes, hubs):
    totals = _totals(mixes, lambda mix: (mix[0], mix[1]))
    hub_names = {hub.pk: hub.name for hub in hubs}
    activity_names = _names(Activity, {activity for activity, _ in totals})
    table = [
        [activity_names.get(activity) or NO_ACTIVITY, people, sessions, hub_names.get(hub, "")]
        for (activity, hub), (people, sessions) in totals.items()
    ]
    table.sort(key=lambda row: (-row[1], row[3], row[0]))
    return Table(
        slug="activity",
        title="By activity",
        columns=["Activity", "People", "Sessions", "Hub"],
        rows=table,
        caption="People by activity",
    )


def by_age_band(rows):
    totals = {
        name: sum(row[name] or 0 for row in rows) for name in ["people", *(n for n, _ in AGE_BANDS)]
    }
    recorded = sum(totals[name] for name, _ in AGE_BANDS)
    rows = [[label, totals[name]] for name, label in AGE_BANDS]
    rows.append(["Age not recorded", totals["people"] - recorded])
    return Table(
        slug="age",
        title="By age band",
        columns=["Age band", "People"],
        rows=rows,
        caption="People by age band",
    )


def by_partner(mixes):
    totals = _totals(mixes, lambda mix: mix[2])
    names = _names(Organisation, totals)
    table = [
        [names.get(partner) or NO_PARTNER, sessions, people]
        for partner, (people, sessions) in totals.items()
    ]
    table.sort(key=lambda row: (-row[1], row[0]))
    return Table(
        slug="partner",
        title="By partner present",
        columns=["Organisation present", "Sessions", "People"],
        rows=table,
        caption="Sessions by the VCS organisation present",
    )


def referrals(chosen):
    """`chosen`: the referrals of the report's sessions (by their copied hub and date)."""
    rows = list(
        chosen.values("organisation_id")
        # One row per session and organisation (a unique constraint): no DISTINCT.
        .annotate(people=Sum("count"), sessions=Count("*"))
        .order_by()
    )
    names = _names(Organisation, {r["organisation_id"] for r in rows})
    table = [[names.get(r["organisation_id"], ""), r["people"], r["sessions"]] for r in rows]
    table.sort(key=lambda row: (-row[1], row[0]))
    return Table(
        slug="referrals",
        title="Referrals and signposting",
        columns=["Referred or signposted to", "People", "Sessions"],
        rows=table,
        caption="People referred or signposted, by organisation",
    )


def build(user_engagements, user_referrals, *, start, end, hubs, total_label):
    """Every report table for these hubs and dates: three aggregate queries and up to three
    for names, whatever the data size. The two querysets hold what the user may see."""
    engagements = filtered(user_engagements, start=start, end=end, hubs=hubs)
    rows = monthly_rows(engagements)
    mixes = activity_partner_rows(engagements)
    return [
        monthly(rows, start=start, end=end, hubs=hubs, total_label=total_label),
        by_activity(mixes, hubs),
        by_age_band(rows),
        by_partner(mixes),
        referrals(filtered(user_referrals, start=start, end=end, hubs=hubs)),
    ]


def this_month(user_engagements, *, hubs, today):
    """People, new people and sessions this month per hub: one query (the staff home)."""
    rows = (
        user_engagements.filter(hub__in=hubs, date__gte=today.replace(day=1), date__lte=today)
        .values("hub_id")
        .annotate(people=Sum("people"), new=Sum("new_people"), sessions=Count("id"))
        .order_by()
    )
    found = {r["hub_id"]: r for r in rows}
    return [
        {"hub": hub, **found.get(hub.pk, {"people": 0, "new": 0, "sessions": 0})} for hub in hubs
    ]
