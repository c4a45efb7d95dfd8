from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The staff dashboard: figures from every app, so it stands above them all."""

    name = "dashboard"
    verbose_name = "Staff dashboard"
