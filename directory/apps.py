from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Community directory"

    def ready(self):
        from core import roles

        post_migrate.connect(roles.grant_app_permissions, sender=self)

        from directory import measures, signals
        from partners.measures import register_counter

        signals.connect()

        from django.db.backends.signals import connection_created

        from directory.search import ranking

        connection_created.connect(ranking.look_for_rum, dispatch_uid="directory-rum")

        from core.home import register_home_panel
        from directory.browse import home_panel

        register_home_panel(home_panel)
        register_counter(measures.DIRECTORY_MEASURES, measures.services)
