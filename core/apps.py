from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app may use and that needs a table of its own: one-time form tokens."""

    name = "core"
    verbose_name = "Core"
