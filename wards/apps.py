from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WardsConfig(AppConfig):
    """Figures and boundaries per ward, uploaded from public data sets (ONS, IMD)."""

    name = "wards"
    verbose_name = "Ward figures and boundaries"

    def ready(self):
        from core import roles

        post_migrate.connect(roles.grant_app_permissions, sender=self)
