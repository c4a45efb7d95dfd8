from django.conf import settings
from django.contrib import admin


class StaffAdminSite(admin.AdminSite):
    """The staff admin, branded from settings at request time (not import time)."""

    @property
    def site_header(self):
        return f"{settings.SITE_NAME} staff admin"

    @property
    def site_title(self):
        return settings.SITE_NAME

    @property
    def index_title(self):
        return f"{settings.COUNCIL_NAME}: manage {settings.SITE_NAME}"
