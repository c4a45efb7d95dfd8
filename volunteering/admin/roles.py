"""Skills and volunteer roles."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.admin import refusals
from core.scope import scope_of
from directory.models import Area
from hubs.models import Hub
from partners.models import Organisation
from volunteering import services
from volunteering.admin.base import ScopedMixin
from volunteering.models import (
    Role,
    Skill,
)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    list_filter = []
    list_select_related = []
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Role)
class RoleAdmin(ScopedMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "organisation",
        "hub",
        "area",
        "commitment",
        "status",
        "closing_date",
        "is_remote",
    ]
    list_filter = ["status", "commitment", "is_remote", "dbs_check_needed", "area"]
    search_fields = ["title", "organisation__name", "description"]
    list_select_related = ["organisation", "hub", "area"]
    autocomplete_fields = ["skills"]
    officer_autocomplete_fields = ("organisation", "hub", "area")
    readonly_fields = ["uuid", "created", "modified"]
    fieldsets = [
        (None, {"fields": ["organisation", "title", "summary", "description", "status"]}),
        ("Where", {"fields": ["hub", "area", "is_remote"]}),
        ("Time", {"fields": ["commitment", "hours_per_week", "when", "closing_date"]}),
        ("Who", {"fields": ["skills", "minimum_age", "dbs_check_needed", "accessibility"]}),
        ("Record", {"fields": ["uuid", "created", "modified"], "classes": ["collapse"]}),
    ]

    def get_list_filter(self, request):
        extra = [("organisation", admin.RelatedOnlyFieldListFilter)]
        return [*self.list_filter, *(extra if scope_of(request.user).is_officer else [])]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.for_user(request.user).filter(is_active=True)
        elif db_field.name == "hub":
            kwargs["queryset"] = Hub.objects.all()
        elif db_field.name == "area":
            kwargs["queryset"] = Area.objects.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The service checks the role is one of the user's organisations'.
        with refusals():
            services.save_role(user=request.user, role=obj)

    def history_view(self, request, object_id, extra_context=None):
        self.get_object(request, object_id)  # 404 for another organisation's role
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self.get_object(request, object_id)
        if not scope_of(request.user).is_officer:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
