"""Benchmark 4: the officers' CSV import of services, at the size of the benchmark database.

Exports every service to CSV (the officers' export format), blanks the uuid column so each
row becomes a new service, then times the admin's import path: parse and check every row
(csv_io.parse_services), save (services.import_services, with ANALYZE on PostgreSQL) and the
admin log entries. It all runs in a transaction that is rolled back: the database is unchanged.

    .venv/bin/python bench/importing.py [--rows 100000]
"""

import argparse
import csv
import io
import time

from common import Report, setup_django

setup_django()

from django.contrib.admin.models import CHANGE, LogEntry  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from directory import csv_io, services  # noqa: E402
from directory.models import Schedule, Service  # noqa: E402

TARGET_SECONDS = 60


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    out = io.StringIO()
    ids = Service.objects.order_by("pk").values_list("pk", flat=True)
    last = ids[min(args.rows, ids.count()) - 1]
    csv_io.export_services(Service.objects.filter(pk__lte=last), out)
    exported = time.perf_counter() - started
    text = out.getvalue()
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    for row in rows:
        row["uuid"] = ""
    blanked = io.StringIO()
    writer = csv.DictWriter(blanked, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    data = blanked.getvalue().encode()
    report = Report(f"Import: {len(rows):,} services as new ({len(data) / 1e6:.1f} MB CSV)")
    report.add("export (not the target)", f"{exported:.1f} s")
    user = User.objects.filter(is_superuser=True).first() or User.objects.create(
        username="bench-importer", is_staff=True, is_superuser=True
    )
    timings = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            parsed = csv_io.parse_services(io.BytesIO(data), max_rows=None)
            timings["parse and check"] = time.perf_counter() - started
            if parsed.errors:
                raise SystemExit(f"import errors: {parsed.errors[:5]}")
            started = time.perf_counter()
            created, _ = services.import_services(rows=parsed.rows)
            timings["save (with ANALYZE)"] = time.perf_counter() - started
            started = time.perf_counter()
            LogEntry.objects.log_actions(
                user.pk, [r.service for r in parsed.rows], CHANGE, "Imported from CSV"
            )
            timings["admin log"] = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    tidy_up_after_rollback()
    total = sum(timings.values())
    for name, seconds in timings.items():
        report.add(name, f"{seconds:.1f} s")
    report.add(
        f"import {created:,} services on {connection.vendor}",
        f"{total:.1f} s ({created / total:,.0f} rows/s)",
        f"< {TARGET_SECONDS} s",
        total < TARGET_SECONDS,
    )
    report.print()


def tidy_up_after_rollback():
    """The rolled-back rows stay in the tables as dead versions (the services table twice its
    size) until a vacuum: clear them now, so benchmarks run after this one measure the
    database as it was."""
    if connection.vendor != "postgresql":
        return
    tables = [
        Service,
        Service.categories.through,
        Service.locations.through,
        Schedule,
        LogEntry,
    ]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


if __name__ == "__main__":
    main()
