"""Import services from a CSV file in the officers' export format, without the admin's limits.

The same checks and all-or-nothing save as the admin's "Import from CSV" (10,000 rows, 5 MB),
for the large files a county-wide directory needs: 100,000 rows take about a minute
(README, "Scale and benchmarks").
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory import csv_io, services


class Command(BaseCommand):
    help = "Import services from a CSV file (the admin export's columns). One bad row: nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as handle:
            parsed = csv_io.parse_services(handle, max_rows=None)
        if parsed.errors:
            for number, message in parsed.errors[:50]:
                self.stderr.write(f"row {number}: {message}")
            more = len(parsed.errors) - 50
            raise CommandError(
                f"Nothing imported: {len(parsed.errors):,} problems"
                + (f" ({more:,} more not shown)" if more > 0 else "")
            )
        if not parsed.rows:
            raise CommandError("The file has no rows to import.")
        created, updated = services.import_services(rows=parsed.rows)
        self.stdout.write(self.style.SUCCESS(f"Imported {created:,} new and {updated:,} updated."))
