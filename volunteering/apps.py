from django.apps import AppConfig
from django.db.models.signals import post_migrate


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = "Volunteering"

    def ready(self):
        from directory.extensions import register_search_panel
        from hubs.extensions import register_hub_page_panel
        from partners import roles
        from volunteering import panels

        post_migrate.connect(roles.grant_app_permissions, sender=self)
        register_hub_page_panel(panels.hub_page_panel)
        register_search_panel(panels.directory_search_panel)
