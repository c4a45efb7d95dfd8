from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = "Community hubs"

    def ready(self):
        from core import roles

        post_migrate.connect(roles.grant_app_permissions, sender=self)

        from core.scope import register_scope_part
        from hubs.models import coordinated_hub_ids

        register_scope_part("hub_ids", coordinated_hub_ids)

        from hubs import cache, measures
        from partners.measures import register_counter
        from partners.performance import Measure

        cache.connect_signals()
        register_counter(measures.ENGAGEMENT_MEASURES, measures.engagements)
        register_counter({Measure.HUB_REFERRALS}, measures.referrals)
