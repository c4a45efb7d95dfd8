"""Figures the system already records, for KPIs linked to them.

A KPI on an agreement can name a `Measure`; its quarterly return is then pre-filled with the
figure computed from hub engagement logs, volunteering records or the directory, with a note
of how it was counted, for the officer or partner to confirm or correct.

`compute()` works out every linked KPI's figure for a quarter in at most one query per kind of
record (engagements twice), grouped by organisation, however many agreements there are.

The hub, volunteering and directory models are imported inside the functions: those apps
depend on partners, not the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from types import SimpleNamespace

from django.db import models
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.formats import date_format

from partners.performance import Quarter, aware_midnight


class Measure(models.TextChoices):
    HUB_PEOPLE = "hub_people", "Hubs: people at sessions"
    HUB_NEW_PEOPLE = "hub_new_people", "Hubs: new people at sessions"
    HUB_SESSIONS = "hub_sessions", "Hubs: sessions held"
    HUB_REFERRALS = "hub_referrals", "Hubs: people referred to the partner"
    VOLUNTEER_HOURS = "volunteer_hours", "Volunteering: confirmed hours at the partner's roles"
    PLACEMENTS = "placements", "Volunteering: volunteers placed in the partner's roles"
    SERVICES_PUBLISHED = "services_published", "Directory: services the partner publishes"
    SERVICES_REVIEWED = (
        "services_reviewed",
        "Directory: % of the partner's services reviewed in the last 12 months",
    )


ENGAGEMENT_MEASURES = {Measure.HUB_PEOPLE, Measure.HUB_NEW_PEOPLE, Measure.HUB_SESSIONS}
DIRECTORY_MEASURES = {Measure.SERVICES_PUBLISHED, Measure.SERVICES_REVIEWED}


@dataclass(frozen=True)
class Computed:
    """A computed figure and how it was counted (kept on the return beside the confirmed one).

    The note is written when asked for: computing every agreement's figures for a quarter
    should not spend its time writing sentences nobody reads."""

    value: Decimal
    describe: Callable[[], str] = field(repr=False, compare=False)

    @property
    def note(self) -> str:
        return self.describe()


def counted_until(quarter: Quarter, today: dt.date | None = None) -> dt.date | None:
    """The last day counted: the quarter's end, or today while it is in progress; None before
    it starts."""
    today = today or timezone.localdate()
    if quarter.start > today:
        return None
    return min(quarter.end, today)


def _day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def _period(start: dt.date, until: dt.date) -> str:
    return f"from {_day(start)} to {_day(until)}"


def number(value) -> str:
    """1234 -> "1,234"; 12.50 -> "12.5"."""
    value = Decimal(value or 0)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def _plural(count, one: str, many: str) -> str:
    return f"{number(count)} {one if count == 1 else many}"


def compute(kpis: Iterable, quarter: Quarter, today: dt.date | None = None) -> dict[int, Computed]:
    """{kpi pk: Computed} for the linked KPIs among `kpis` (each with `agreement` loaded).

    Counts run from the quarter's first day to its last, or to today while the quarter is in
    progress. Directory measures are counts on the day they are computed (the directory keeps
    no history of what was published when).
    """
    today = today or timezone.localdate()
    until = counted_until(quarter, today)
    linked = [kpi for kpi in kpis if kpi.measure]
    if until is None or not linked:
        return {}
    start = quarter.start
    orgs_by_measure = defaultdict(set)
    for kpi in linked:
        orgs_by_measure[kpi.measure].add(kpi.agreement.organisation_id)

    figures: dict[tuple[str, int], Computed] = {}
    for measures, count in (
        (ENGAGEMENT_MEASURES, lambda ids: _engagements(ids, start, until)),
        ({Measure.HUB_REFERRALS}, lambda ids: _referrals(ids, start, until)),
        ({Measure.VOLUNTEER_HOURS}, lambda ids: _hours(ids, start, until)),
        ({Measure.PLACEMENTS}, lambda ids: _placements(ids, start, until)),
        (DIRECTORY_MEASURES, lambda ids: _services(ids, today)),
    ):
        ids = set().union(*(orgs_by_measure[m] for m in measures))
        if ids:
            figures.update(count(ids))
    return {
        kpi.pk: figures[(kpi.measure, kpi.agreement.organisation_id)]
        for kpi in linked
        if (kpi.measure, kpi.agreement.organisation_id) in figures
    }


def compute_all(quarter: Quarter, agreements=None, today: dt.date | None = None):
    """{kpi pk: Computed} for every linked KPI of live agreements (all, or `agreements`):
    one query for the KPIs, then compute()."""
    from partners.models import Agreement, Kpi

    agreements = Agreement.objects.all() if agreements is None else agreements
    rows = (
        Kpi.objects.filter(agreement__in=agreements.live())
        .exclude(measure="")
        .values_list("pk", "measure", "agreement__organisation_id")
    )
    # Plain rows, not model instances: thousands of KPIs cost no ORM object building.
    kpis = [
        SimpleNamespace(pk=pk, measure=measure, agreement=SimpleNamespace(organisation_id=org))
        for pk, measure, org in rows
    ]
    return compute(kpis, quarter, today)


def compute_one(kpi, quarter: Quarter, today: dt.date | None = None) -> Computed | None:
    return compute([kpi], quarter, today).get(kpi.pk)


def _engagements(org_ids, start, until):
    """Sessions at hubs the organisation leads, plus sessions of activities it runs at hubs
    led by someone else (so no session is counted twice).

    The sessions are added up per hub and activity in one query on the engagements alone
    (an index-only scan on PostgreSQL: hubs_engagement_period_idx), and credited here using
    each hub's lead partner and each activity's organisation (two small queries). No list of
    organisation ids goes to the database: thousands of them cost more than the counting."""
    from hubs.models import Activity, Engagement, Hub

    rows = (
        Engagement.objects.filter(date__range=(start, until))
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
    period = _period(start, until)
    figures = {}
    for org in org_ids:
        c = found[org]
        describe = partial(_engagement_note, c, period)
        figures[(Measure.HUB_PEOPLE, org)] = Computed(Decimal(c["people"]), describe)
        figures[(Measure.HUB_NEW_PEOPLE, org)] = Computed(Decimal(c["new"]), describe)
        figures[(Measure.HUB_SESSIONS, org)] = Computed(Decimal(c["sessions"]), describe)
    return figures


def _engagement_note(c, period):
    parts = []
    if c["hubs"]:
        parts.append(
            f"{_plural(c['sessions'] - c['other'], 'session', 'sessions')} at the "
            f"{_plural(len(c['hubs']), 'hub', 'hubs')} it leads"
        )
    if c["other"]:
        parts.append(
            f"{_plural(c['other'], 'session', 'sessions')} of activities it runs at other hubs"
        )
    where = " and ".join(parts) or "no sessions logged at hubs it leads or activities it runs"
    return (
        f"{_plural(c['people'], 'person', 'people')} ({number(c['new'])} new) at "
        f"{_plural(c['sessions'], 'session', 'sessions')} {period}: {where}."
    )


def _referrals(org_ids, start, until):
    from hubs.models import Referral

    rows = (
        Referral.objects.filter(organisation_id__in=org_ids, date__range=(start, until))
        .order_by()
        .values("organisation_id")
        # One referral row per session and organisation (a unique constraint): no DISTINCT.
        .annotate(people=Sum("count"), sessions=Count("engagement"))
    )
    found = {row["organisation_id"]: row for row in rows}
    period = _period(start, until)
    figures = {}
    for org in org_ids:
        row = found.get(org, {"people": 0, "sessions": 0})
        figures[(Measure.HUB_REFERRALS, org)] = Computed(
            Decimal(row["people"] or 0),
            lambda row=row: (
                f"{_plural(row['people'] or 0, 'person', 'people')} referred or signposted to "
                f"the organisation from "
                f"{_plural(row['sessions'], 'hub session', 'hub sessions')} {period}."
            ),
        )
    return figures


def _hours(org_ids, start, until):
    from volunteering.models import VolunteerHours

    rows = (
        VolunteerHours.objects.confirmed()
        .filter(interest__role__organisation_id__in=org_ids, date__range=(start, until))
        .order_by()
        .values(org=F("interest__role__organisation_id"))
        .annotate(
            hours=Sum("confirmed_hours"),
            volunteers=Count("interest", distinct=True),
            entries=Count("pk"),
        )
    )
    found = {row["org"]: row for row in rows}
    period = _period(start, until)
    figures = {}
    for org in org_ids:
        row = found.get(org, {"hours": 0, "volunteers": 0, "entries": 0})
        hours = Decimal(row["hours"] or 0)
        figures[(Measure.VOLUNTEER_HOURS, org)] = Computed(
            hours,
            lambda row=row, hours=hours: (
                f"{_plural(hours, 'confirmed hour', 'confirmed hours')} given by "
                f"{_plural(row['volunteers'], 'volunteer', 'volunteers')} in its roles "
                f"({_plural(row['entries'], 'entry', 'entries')}) {period}. Hours not yet "
                "confirmed by the organisation are not counted."
            ),
        )
    return figures


def _placements(org_ids, start, until):
    from volunteering.models import Interest, InterestEvent

    rows = (
        InterestEvent.objects.filter(
            to_status=Interest.Status.PLACED,
            interest__role__organisation_id__in=org_ids,
            at__gte=aware_midnight(start),
            at__lt=aware_midnight(until + dt.timedelta(days=1)),
        )
        .order_by()
        .values(org=F("interest__role__organisation_id"))
        .annotate(placed=Count("interest", distinct=True))
    )
    found = {row["org"]: row["placed"] for row in rows}
    period = _period(start, until)
    figures = {}
    for org in org_ids:
        placed = found.get(org, 0)
        figures[(Measure.PLACEMENTS, org)] = Computed(
            Decimal(placed),
            lambda placed=placed: (
                f"{_plural(placed, 'volunteer', 'volunteers')} moved to “placed” in its roles "
                f"{period} (each volunteer counted once)."
            ),
        )
    return figures


def _services(org_ids, today):
    from directory.models import Service, stale_condition

    rows = (
        Service.objects.published()
        .filter(organisation_id__in=org_ids)
        .order_by()
        .values("organisation_id")
        .annotate(listed=Count("pk"), reviewed=Count("pk", filter=~stale_condition(today)))
    )
    found = {row["organisation_id"]: row for row in rows}
    on = _day(today)
    figures = {}
    for org in org_ids:
        row = found.get(org, {"listed": 0, "reviewed": 0})
        listed, reviewed = row["listed"], row["reviewed"]
        figures[(Measure.SERVICES_PUBLISHED, org)] = Computed(
            Decimal(listed),
            lambda listed=listed: (
                f"{_plural(listed, 'service', 'services')} published in the directory on {on} "
                "(a count on the day: the directory keeps no history of earlier days)."
            ),
        )
        percent = (
            (Decimal(reviewed) * 100 / listed).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if listed
            else Decimal(0)
        )
        figures[(Measure.SERVICES_REVIEWED, org)] = Computed(
            percent,
            lambda listed=listed, reviewed=reviewed: (
                f"{number(reviewed)} of "
                f"{_plural(listed, 'published service', 'published services')} reviewed in the "
                f"12 months to {on}."
            ),
        )
    return figures
