from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = "Community hubs"

    def ready(self):
        from partners import roles

        post_migrate.connect(roles.grant_app_permissions, sender=self)

        from hubs import cache

        cache.connect_signals()
