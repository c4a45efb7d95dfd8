"""Load the ONS Postcode Directory (ONSPD) CSV into the Postcode lookup table.

Works offline on the full file (about 2.7 million rows) or a sample; safe to run again:
existing postcodes are updated in place. Rows without coordinates (ONSPD puts 99.999999)
or with an invalid postcode are skipped and counted.
"""

import csv
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.cache import bump
from directory.models import Postcode
from directory.postcodes import normalise_postcode

# Our field -> column names used by ONSPD editions (first one present wins).
COLUMNS = {
    "postcode": ["pcds", "pcd", "pcd2", "pcd7", "pcd8", "postcode"],
    "latitude": ["lat", "latitude"],
    "longitude": ["long", "longitude", "lng"],
    "ward_code": ["osward", "wd25cd", "wd24cd", "wd23cd", "ward_code"],
    "district_code": ["oslaua", "lad25cd", "lad24cd", "lad23cd", "district_code"],
}
NO_LOCATION = Decimal("99.999999")


class Command(BaseCommand):
    help = "Import postcodes from an ONS Postcode Directory CSV file (e.g. ONSPD_*_UK.csv)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="path to the ONSPD CSV file")
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, file, batch_size, verbosity=1, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        with file.open(newline="", encoding="utf-8-sig") as handle:
            total = max(sum(1 for _ in handle) - 1, 0)
        try:
            self._import(file, batch_size, total, verbosity)
        finally:
            # Saved batches are committed: cached pages near the old coordinates go.
            bump()

    def _import(self, file, batch_size, total, verbosity):
        with file.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            columns = self._columns(reader.fieldnames or [])
            imported = skipped = done = 0
            batch = []
            for row in reader:
                done += 1
                postcode = self._postcode(row, columns)
                if postcode is None:
                    skipped += 1
                else:
                    batch.append(postcode)
                if len(batch) >= batch_size:
                    imported += self._save(batch)
                    batch = []
                    self._progress(done, total, verbosity)
            imported += self._save(batch)
            self._progress(done, total, verbosity)
        if verbosity:
            self.stdout.write("")
            self.stdout.write(
                self.style.SUCCESS(f"Imported {imported:,} postcodes; skipped {skipped:,} rows.")
            )

    def _columns(self, fieldnames):
        lower = {name.strip().lower(): name for name in fieldnames}
        found = {}
        for field, names in COLUMNS.items():
            found[field] = next((lower[n] for n in names if n in lower), None)
        missing = [f for f in ("postcode", "latitude", "longitude") if not found[f]]
        if missing:
            raise CommandError(
                f"This does not look like an ONS Postcode Directory file: no {', '.join(missing)}"
                " column."
            )
        return found

    def _postcode(self, row, columns):
        try:
            postcode = normalise_postcode(row[columns["postcode"]])
            latitude = Decimal(row[columns["latitude"]].strip()).quantize(Decimal("0.000001"))
            longitude = Decimal(row[columns["longitude"]].strip()).quantize(Decimal("0.000001"))
        except (ValidationError, InvalidOperation, AttributeError, KeyError):
            return None
        if latitude == NO_LOCATION or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return None
        return Postcode(
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            ward_code=(row.get(columns["ward_code"]) or "")[:9] if columns["ward_code"] else "",
            district_code=(row.get(columns["district_code"]) or "")[:9]
            if columns["district_code"]
            else "",
        )

    @transaction.atomic
    def _save(self, batch):
        if not batch:
            return 0
        # A file may repeat a postcode; the last row wins, as it would row by row.
        unique = list({p.postcode: p for p in batch}.values())
        Postcode.objects.bulk_create(
            unique,
            update_conflicts=True,
            unique_fields=["postcode"],
            update_fields=["latitude", "longitude", "ward_code", "district_code"],
        )
        return len(unique)

    def _progress(self, done, total, verbosity):
        if not verbosity:
            return
        width = 30
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        ending = "\r" if getattr(sys.stdout, "isatty", lambda: False)() else "\n"
        self.stdout.write(
            f"[{'#' * filled}{'.' * (width - filled)}] {percent:3d}% {done:,}/{total:,} rows",
            ending=ending,
        )
