"""Load idempotent demo data for a Basildon-like borough.

Each app that has demo data provides `<app>/demo.py` with `seed(command)`; they run in
INSTALLED_APPS order (lowest app first), so this command never names a higher app.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


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
            for app_config in apps.get_app_configs():
                try:
                    demo = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{app_config.name}.demo":
                        raise
                    continue
                demo.seed(self)
                self.stdout.write(f"  {app_config.verbose_name}: demo data ready")
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Sign in at /admin/ with:"))
        for role, username, password in self.logins:
            self.stdout.write(f"  {role}: username {username!r}, password {password!r}")

    def add_login(self, role, username, password):
        """Record a demo login for the summary printed at the end."""
        self.logins.append((role, username, password))
