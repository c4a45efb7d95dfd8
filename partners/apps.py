from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and agreements"

    def ready(self):
        from core import roles

        post_migrate.connect(roles.grant_app_permissions, sender=self)

        from core.scope import register_scope_part
        from partners.models import membership_organisation_ids

        register_scope_part("organisation_ids", membership_organisation_ids)
