"""Figures the system already records, for KPIs linked to them.

A KPI on an agreement can name a `Measure`; its quarterly return is then pre-filled with the
figure computed from hub engagement logs, volunteering records or the directory, with a note
of how it was counted, for the officer or partner to confirm or correct.

`compute()` works out every linked KPI's figure for a quarter in at most one query per kind of
record (engagements twice), grouped by organisation, however many agreements there are.

Partners knows the measures' names, not how they are counted: the apps that keep the records
(hubs, volunteering, directory) register a counter for their measures in their `ready()`
(`register_counter`), as they depend on partners and not the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone
from django.utils.formats import date_format

from partners.models import Agreement, Kpi
from partners.performance import Quarter


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


@dataclass(frozen=True)
class Period:
    """What a counter counts over: the quarter's first day, the last day counted, and today
    (directory measures are counts on the day)."""

    start: dt.date
    until: dt.date
    today: dt.date


# A counter takes the organisations' ids and the period, and returns
# {(measure, organisation id): Computed} for its measures, in one or two queries.
Counter = Callable[[set[int], Period], dict[tuple[str, int], Computed]]
_COUNTERS: list[tuple[frozenset[str], Counter]] = []


def register_counter(measures: Collection[str], counter: Counter) -> Counter:
    """Called by the app that keeps the records, in its AppConfig.ready()."""
    entry = (frozenset(measures), counter)
    if entry not in _COUNTERS:
        _COUNTERS.append(entry)
    return counter


def day(value: dt.date) -> str:
    return date_format(value, "j F Y")


def period_text(period: Period) -> str:
    return f"from {day(period.start)} to {day(period.until)}"


def number(value) -> str:
    """1234 -> "1,234"; 12.50 -> "12.5"."""
    value = Decimal(value or 0)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def plural(count, one: str, many: str) -> str:
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

    period = Period(start=start, until=until, today=today)
    figures: dict[tuple[str, int], Computed] = {}
    for measures, count in _COUNTERS:
        ids = set().union(*(orgs_by_measure[m] for m in measures))
        if ids:
            figures.update(count(ids, period))
    return {
        kpi.pk: figures[(kpi.measure, kpi.agreement.organisation_id)]
        for kpi in linked
        if (kpi.measure, kpi.agreement.organisation_id) in figures
    }


def compute_all(quarter: Quarter, agreements=None, today: dt.date | None = None):
    """{kpi pk: Computed} for every linked KPI of live agreements (all, or `agreements`):
    one query for the KPIs, then compute()."""
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
