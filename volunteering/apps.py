from django.apps import AppConfig
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
)


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = "Volunteering"

    def ready(self):
        from core import roles
        from core.cache import bump
        from directory.extensions import register_search_panel
        from hubs.extensions import register_hub_page_panel
        from partners.measures import register_counter
        from partners.models import Organisation
        from partners.performance import Measure
        from volunteering import measures, panels, signals
        from volunteering.models import Role, Skill

        post_migrate.connect(roles.grant_app_permissions, sender=self)
        register_hub_page_panel(panels.hub_page_panel)
        register_search_panel(panels.directory_search_panel)
        register_counter({Measure.VOLUNTEER_HOURS}, measures.hours)
        register_counter({Measure.PLACEMENTS}, measures.placements)
        # Role.search_text first, so a page rendered after the change finds the new words.
        for signal, receiver, sender in (
            (m2m_changed, signals.skills_changed, Role.skills.through),
            (post_save, signals.organisation_saved, Organisation),
            (post_save, signals.skill_saved, Skill),
            (pre_delete, signals.skill_deleting, Skill),
            (post_delete, signals.skill_deleted, Skill),
        ):
            uid = f"role-search-text-{receiver.__name__}"
            signal.connect(receiver, sender=sender, dispatch_uid=uid)
        # Cached search pages show matching roles: a saved or deleted role is a new version
        # (skills and organisations renamed change roles' text: services.refresh_search_text).
        post_save.connect(bump, sender=Role, dispatch_uid="public-version-role-save")
        post_delete.connect(bump, sender=Role, dispatch_uid="public-version-role-delete")
