"""Load idempotent demo data for a Basildon-like borough.

The demo app holds a module per product app with `seed(command)`; they run lowest app first
(partners, directory, hubs, volunteering, then wards), each building on what came before.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import directory, hubs, partners, volunteering, wards

SEEDS = [
    ("partners", partners),
    ("directory", directory),
    ("hubs", hubs),
    ("volunteering", volunteering),
    ("wards", wards),
]


class Command(BaseCommand):
    help = "Create or refresh demo data (safe to run again). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with DEBUG off. Demo logins have published passwords: never on live data.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates logins with published passwords. Run it with DEBUG=true, "
                "or pass --allow-production on a demo server."
            )
        self.logins = []
        with transaction.atomic():
            for label, module in SEEDS:
                module.seed(self)
                self.stdout.write(f"  {apps.get_app_config(label).verbose_name}: demo data ready")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /admin/ with:"))
        for role, username, password in self.logins:
            self.stdout.write(f"  {role}: username {username!r}, password {password!r}")

    def add_login(self, role, username, password):
        """Record a demo login for the summary printed at the end."""
        self.logins.append((role, username, password))
