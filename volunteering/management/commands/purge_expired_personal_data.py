"""Delete or anonymise personal data past its retention period (run it daily): volunteers'
interests, the senders of decided directory suggestions, and organisations' contact people."""

from django.conf import settings
from django.core.management.base import BaseCommand

from directory.services import forget_suggestion_senders
from partners.services import purge_expired_contacts
from volunteering.services import purge_expired_personal_data


class Command(BaseCommand):
    help = (
        "Delete interests whose last activity is older than VOLUNTEERING_RETENTION_MONTHS, or "
        "anonymise them where hours depend on them; clear the sender's name and email on "
        "suggestions decided more than SUGGESTION_RETENTION_MONTHS ago; delete the contacts of "
        "organisations inactive for CONTACT_RETENTION_MONTHS, and change-history copies of "
        "contact records older than that. Says what it did."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        outcome, cutoff = purge_expired_personal_data(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        verb2 = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"Retention: {settings.VOLUNTEERING_RETENTION_MONTHS} months; records with no "
            f"activity since {cutoff:%d %B %Y %H:%M} have expired."
        )
        self.stdout.write(
            f"{verb} {outcome.interests_deleted} interests (and {outcome.events_deleted} "
            f"pipeline changes) and {verb2} {outcome.interests_anonymised} interests whose "
            f"{outcome.hours_kept_anonymously} hours entries still count in totals."
        )
        senders, cutoff = forget_suggestion_senders(dry_run=dry_run)
        self.stdout.write(
            f"{'Would clear' if dry_run else 'Cleared'} the sender's name and email on "
            f"{senders} suggestions decided before {cutoff:%d %B %Y %H:%M} "
            f"({settings.SUGGESTION_RETENTION_MONTHS} months)."
        )
        contacts, copies, cutoff = purge_expired_contacts(dry_run=dry_run)
        self.stdout.write(
            f"{verb} {contacts} contacts of organisations inactive since before "
            f"{cutoff:%d %B %Y %H:%M} ({settings.CONTACT_RETENTION_MONTHS} months), and "
            f"{copies} copies of contact records in the change history older than that."
        )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
