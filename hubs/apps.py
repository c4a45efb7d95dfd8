from functools import partial

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

        from django.db.models.signals import post_delete, post_save

        from core.cache import bump
        from hubs import measures
        from hubs.models import ENGAGEMENTS_VERSION_KEY, Engagement
        from partners.measures import register_counter
        from partners.performance import Measure

        # The dashboard keeps past months of engagements under their own version key: no
        # public page shows them, so logging a session leaves the public pages' cache alone.
        changed = partial(bump, ENGAGEMENTS_VERSION_KEY)
        post_save.connect(changed, sender=Engagement, weak=False, dispatch_uid="engagements-save")
        post_delete.connect(
            changed, sender=Engagement, weak=False, dispatch_uid="engagements-delete"
        )
        register_counter(measures.ENGAGEMENT_MEASURES, measures.engagements)
        register_counter({Measure.HUB_REFERRALS}, measures.referrals)
