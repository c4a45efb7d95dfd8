"""Subject access: everything held about one person, as JSON."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from volunteering.services import export_personal_data


class Command(BaseCommand):
    help = "Export one person's volunteering data (subject access request) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="", help="The person's email address")
        parser.add_argument("--phone", default="", help="The person's phone number")
        parser.add_argument("--output", help="Write to this file instead of the screen")

    def handle(self, *args, email="", phone="", output=None, **options):
        try:
            data = export_personal_data(email=email, phone=phone)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            self.stderr.write(f"Wrote {len(data['records'])} records to {output}.")
        else:
            self.stdout.write(text)
            self.stderr.write(f"{len(data['records'])} records.")
