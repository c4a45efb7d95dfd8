"""Benchmark: KPI figures computed from the records for every agreement in a quarter.

Gives an agreement to each organisation that leads a hub or runs an activity, then to others
up to --agreements, with one KPI linked to every measure, and times `compute_all()` for the
last quarter (the returns being pre-filled) and the current one (the figures so far). The
agreements are made inside a transaction that is rolled back: the database is left as it was.

    .venv/bin/python bench/kpis.py [--agreements 1000] [--repeat 20]
"""

import argparse
import datetime

from common import Report, median, ms, p95, setup_django, timed

setup_django()

from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from hubs.models import Engagement  # noqa: E402
from partners.measures import compute_all  # noqa: E402
from partners.models import Agreement, Kpi, Organisation  # noqa: E402
from partners.performance import Measure, Quarter  # noqa: E402
from volunteering.models import VolunteerHours  # noqa: E402

TARGET_MS = 200


def make_agreements(count, today):
    busy = list(
        Organisation.objects.filter(Q(led_hubs__isnull=False) | Q(hub_activities__isnull=False))
        .distinct()
        .values_list("pk", flat=True)[:count]
    )
    others = list(
        Organisation.objects.exclude(pk__in=busy).values_list("pk", flat=True)[
            : max(0, count - len(busy))
        ]
    )
    start = Quarter.containing(today).previous().previous().start
    agreements = Agreement.objects.bulk_create(
        Agreement(
            organisation_id=org,
            reference=f"BENCH-KPI-{n:05d}",
            title="Benchmark agreement",
            start_date=start,
            end_date=start + datetime.timedelta(days=3 * 365),
            status=Agreement.Status.ACTIVE,
        )
        for n, org in enumerate(busy + others)
    )
    Kpi.objects.bulk_create(
        Kpi(agreement=a, name=m.label, unit="people", target=100, measure=m.value)
        for a in agreements
        for m in Measure
    )
    return len(busy), len(agreements)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    today = timezone.localdate()
    with transaction.atomic():
        busy, made = make_agreements(args.agreements, today)
        report = Report(
            f"KPI figures from the records: {made:,} agreements ({busy:,} with hubs or "
            f"activities) x {len(Measure)} linked KPIs, {Engagement.objects.count():,} "
            f"engagements, {VolunteerHours.objects.count():,} volunteer hour entries on "
            f"{connection.vendor}"
        )
        this_quarter = Quarter.containing(today)
        for label, quarter in (
            ("last quarter (returns pre-filled)", this_quarter.previous()),
            ("this quarter so far", this_quarter),
        ):
            with CaptureQueriesContext(connection) as queries:
                figures = compute_all(quarter, today=today)
            times = timed(lambda q=quarter: compute_all(q, today=today), args.repeat)
            report.add(
                f"{label}: {len(figures):,} figures",
                f"median {ms(median(times))}, p95 {ms(p95(times))}",
                f"< {TARGET_MS} ms",
                median(times) < TARGET_MS,
            )
            report.add(f"queries, {label}", len(queries))
        if not VolunteerHours.objects.exists():
            report.note("The scale data has no volunteering records: those measures count none.")
        transaction.set_rollback(True)
    report.print()


if __name__ == "__main__":
    main()
