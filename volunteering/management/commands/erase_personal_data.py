"""Right to erasure: erase one person's volunteering data and record that it was done."""

import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from volunteering.services import erase_personal_data


class Command(BaseCommand):
    help = (
        "Erase one person's volunteering data, matched by email and/or phone. Records with "
        "hours are anonymised (the hours still count); the rest are deleted. Directory "
        "suggestions they sent (by email) lose the sender's name and email. Organisations' "
        "contact records with the same email or phone are deleted, with every copy in the "
        "change history. An erasure record with counts and a reference, but no personal data, "
        "is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", default="", help="The person's email address")
        parser.add_argument("--phone", default="", help="The person's phone number")
        parser.add_argument(
            "--by", default="", help="Who asked for it to be run (default: the system user)"
        )

    def handle(self, *args, email="", phone="", by="", **options):
        try:
            record = erase_personal_data(
                email=email,
                phone=phone,
                by_description=by or f"command line ({_system_user()})",
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            f"Erasure {record.reference}: deleted {record.interests_deleted} interests "
            f"({record.events_deleted} pipeline changes), anonymised "
            f"{record.interests_anonymised} (their {record.hours_kept_anonymously} hours entries "
            "still count, attached to no one); cleared the sender on "
            f"{record.suggestion_senders_cleared} directory suggestions; deleted "
            f"{record.contacts_erased} organisation contact records with their history."
        )


def _system_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
