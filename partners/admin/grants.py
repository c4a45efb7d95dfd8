"""Grants, with the 360Giving export."""

import json

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from partners import exports
from partners.admin.base import PartnersAdminMixin, csv_response
from partners.models import (
    Grant,
)


@admin.register(Grant)
class GrantAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "organisation", "programme", "amount", "award_date"]
    money_fields = ["amount"]
    list_filter = ["programme", "award_date", "organisation__kind"]
    search_fields = ["reference", "title", "programme", "organisation__name", "purpose"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["identifier_360g", "created", "modified"]
    date_hierarchy = "award_date"
    actions = ["export_360giving_json", "export_360giving_csv"]

    @admin.display(description="360Giving identifier")
    def identifier_360g(self, obj):
        return exports.grant_identifier(obj) if obj.reference else "–"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("360giving.json", view(self.all_json), name="partners_grant_360giving_json"),
            path("360giving.csv", view(self.all_csv), name="partners_grant_360giving_csv"),
            *super().get_urls(),
        ]

    @admin.action(description="Export selected grants as 360Giving JSON")
    def export_360giving_json(self, request, queryset):
        return self._json(queryset)

    @admin.action(description="Export selected grants as 360Giving CSV")
    def export_360giving_csv(self, request, queryset):
        return csv_response(exports.grants_360giving_csv(queryset), "grants-360giving.csv")

    def all_json(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._json(self.get_queryset(request))

    def all_csv(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        content = exports.grants_360giving_csv(self.get_queryset(request))
        return csv_response(content, "grants-360giving.csv")

    def _json(self, queryset):
        response = HttpResponse(
            json.dumps(exports.grants_360giving(queryset), indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="grants-360giving.json"'
        return response
