"""Rebuild the search vocabulary that corrects misspelt search words.

Saving a listing adds its words as it goes; this recounts them from every listed service and
drops words no listing uses any more (after edits, withdrawals or deletions). Run it daily.
"""

from django.core.management.base import BaseCommand

from directory.services import rebuild_search_words


class Command(BaseCommand):
    help = "Rebuild the words that keyword search corrects spelling from (daily)."

    def handle(self, *args, verbosity=1, **options):
        words = rebuild_search_words()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{words:,} words in the search vocabulary."))
