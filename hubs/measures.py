"""How the hubs count the KPI measures their records answer (registered in HubsConfig.ready)."""

from collections import defaultdict
from decimal import Decimal
from functools import partial

from django.db.models import Count, Sum

from hubs.models import Activity, Engagement, Hub, Referral
from partners.measures import Computed, Period, number, period_text, plural
from partners.performance import Measure

ENGAGEMENT_MEASURES = {Measure.HUB_PEOPLE, Measure.HUB_NEW_PEOPLE, Measure.HUB_SESSIONS}


def engagements(org_ids: set[int], period: Period) -> dict:
    """Sessions at hubs the organisation leads, plus sessions of activities it runs at hubs
    led by someone else (so no session is counted twice).

    The sessions are added up per hub and activity in one query on the engagements alone
    (an index-only scan on PostgreSQL: hubs_engagement_period_idx), and credited here using
    each hub's lead partner and each activity's organisation (two small queries). No list of
    organisation ids goes to the database: thousands of them cost more than the counting."""
    rows = (
        Engagement.objects.filter(date__range=(period.start, period.until))
        .order_by()
        .values_list("hub_id", "activity_id")
        .annotate(Sum("people"), Sum("new_people"), Count("pk"))
    )
    hubs = (
        Hub.objects.filter(lead_partner__isnull=False)
        .order_by()
        .values_list("id", "lead_partner_id")
    )
    leads = {hub: org for hub, org in hubs if org in org_ids}
    activities = (
        Activity.objects.filter(run_by__isnull=False).order_by().values_list("id", "run_by_id")
    )
    runners = {activity: org for activity, org in activities if org in org_ids}
    found = defaultdict(lambda: {"people": 0, "new": 0, "sessions": 0, "hubs": set(), "other": 0})
    for hub, activity, people, new, sessions in rows:
        lead, run_by = leads.get(hub), runners.get(activity)
        credited = []
        if lead is not None:  # the hub's lead partner
            credited.append(found[lead])
            found[lead]["hubs"].add(hub)
        if run_by is not None and run_by != lead:  # it runs an activity at someone else's hub
            credited.append(found[run_by])
            found[run_by]["other"] += sessions
        for counted in credited:
            counted["people"] += people or 0
            counted["new"] += new or 0
            counted["sessions"] += sessions
    text = period_text(period)
    figures = {}
    for org in org_ids:
        c = found[org]
        describe = partial(_engagement_note, c, text)
        figures[(Measure.HUB_PEOPLE, org)] = Computed(Decimal(c["people"]), describe)
        figures[(Measure.HUB_NEW_PEOPLE, org)] = Computed(Decimal(c["new"]), describe)
        figures[(Measure.HUB_SESSIONS, org)] = Computed(Decimal(c["sessions"]), describe)
    return figures


def _engagement_note(c, text):
    parts = []
    if c["hubs"]:
        parts.append(
            f"{plural(c['sessions'] - c['other'], 'session', 'sessions')} at the "
            f"{plural(len(c['hubs']), 'hub', 'hubs')} it leads"
        )
    if c["other"]:
        parts.append(
            f"{plural(c['other'], 'session', 'sessions')} of activities it runs at other hubs"
        )
    where = " and ".join(parts) or "no sessions logged at hubs it leads or activities it runs"
    return (
        f"{plural(c['people'], 'person', 'people')} ({number(c['new'])} new) at "
        f"{plural(c['sessions'], 'session', 'sessions')} {text}: {where}."
    )


def referrals(org_ids: set[int], period: Period) -> dict:
    rows = (
        Referral.objects.filter(
            organisation_id__in=org_ids, date__range=(period.start, period.until)
        )
        .order_by()
        .values("organisation_id")
        # One referral row per session and organisation (a unique constraint): no DISTINCT.
        .annotate(people=Sum("count"), sessions=Count("engagement"))
    )
    found = {row["organisation_id"]: row for row in rows}
    text = period_text(period)
    figures = {}
    for org in org_ids:
        row = found.get(org, {"people": 0, "sessions": 0})
        figures[(Measure.HUB_REFERRALS, org)] = Computed(
            Decimal(row["people"] or 0),
            lambda row=row: (
                f"{plural(row['people'] or 0, 'person', 'people')} referred or signposted to "
                f"the organisation from "
                f"{plural(row['sessions'], 'hub session', 'hub sessions')} {text}."
            ),
        )
    return figures
