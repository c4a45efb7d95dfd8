from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "config.admin.StaffAdminSite"

    def ready(self):
        super().ready()
        import config.middleware  # noqa: F401  (connects the sign-in time receiver)
