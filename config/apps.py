from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "config.admin.StaffAdminSite"

    def ready(self):
        super().ready()
        import config.checks  # noqa: F401  (check --deploy: a cache every worker shares)
        import config.flatpages_admin  # noqa: F401  (statements start from the built-in text)
        import config.middleware  # noqa: F401  (connects the sign-in time receiver)
        import config.otp_admin  # noqa: F401  (device secrets are never shown again)
