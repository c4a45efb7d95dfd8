"""Uploaded figures and boundaries in the admin: to look at and to delete. They are added and
replaced only by uploading a file (/staff/wards/upload/), which checks every row."""

from django.contrib import admin

from wards.models import Indicator, WardBoundary, WardFigure


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WardFigureInline(admin.TabularInline):
    model = WardFigure
    fields = ["ward", "value"]
    readonly_fields = ["ward", "value"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ward")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "year", "source", "from_lsoas", "made_up", "modified"]
    list_filter = ["kind", "year", "made_up"]
    search_fields = ["name", "source"]
    list_select_related = ["uploaded_by"]
    autocomplete_fields = ["uploaded_by"]
    readonly_fields = ["created", "modified"]
    inlines = [WardFigureInline]


@admin.register(WardBoundary)
class WardBoundaryAdmin(ReadOnlyAdmin):
    list_display = ["ward", "source", "year", "made_up", "modified"]
    list_filter = ["year", "made_up"]
    search_fields = ["ward__name", "ward__ons_code", "source"]
    list_select_related = ["ward"]
    autocomplete_fields = ["ward"]
    exclude = ["geometry"]  # thousands of coordinates: the map shows it
    readonly_fields = ["modified"]
