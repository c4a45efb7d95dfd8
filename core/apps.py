from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """What every app shares: forms and template tags, dates, rate limits, staff roles and
    mixins, request hardening, and one-time form tokens (its only table)."""

    default = True
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core import roles

        post_migrate.connect(roles.grant_app_permissions, sender=self)
        import core.checks  # noqa: F401  (check --deploy: a cache every worker shares)
        import core.middleware  # noqa: F401  (connects the sign-in time receiver)


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site: branded, behind the second factor."""

    default = False
    default_site = "core.admin.StaffAdminSite"

    def ready(self):
        super().ready()
        import core.flatpages_admin  # noqa: F401  (statements start from the built-in text)
