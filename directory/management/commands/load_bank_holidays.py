"""Load England and Wales bank holidays (date,name CSV) for the "Open now" search filter.

With no file, loads the dates kept in the code (directory/data, from gov.uk's published
list). Safe to run again: existing dates are renamed, none removed. Officers can add or
correct dates in the admin.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from directory.services import BANK_HOLIDAYS_FILE, load_bank_holidays


class Command(BaseCommand):
    help = "Load England and Wales bank holidays from a date,name CSV (default: the 2026-27 list)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, default=BANK_HOLIDAYS_FILE)

    def handle(self, *args, path, verbosity=1, **options):
        count = load_bank_holidays(path=path)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{count:,} bank holidays loaded."))
