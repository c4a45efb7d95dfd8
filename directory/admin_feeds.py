"""The admin for harvested ORUK feeds, and what makes harvested records read-only."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from directory.models import FeedTermMapping, HarvestFeed


class HarvestedReadOnly:
    """A record harvested from another council's feed is shown, never changed or deleted here:
    the next harvest would silently overwrite a local edit (and re-create a deleted record)."""

    def _harvested(self, obj):
        return getattr(obj, "source_feed_id", None) is not None

    def has_change_permission(self, request, obj=None):
        return not self._harvested(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._harvested(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="Source")
    def harvested_from(self, obj):
        if obj is None or obj.source_feed_id is None:
            return "Listed here by the council"
        return format_html(
            "Listed by {} (their id {}). Read-only here: it comes from their ORUK feed, and "
            "the next harvest would overwrite any change made here. Ask {} to change it.",
            obj.source_feed,
            obj.source_id,
            obj.source_feed,
        )


class HarvestedInlineReadOnly:
    """Inlines of a harvested record (its times) are read-only with it."""

    def has_change_permission(self, request, obj=None):
        harvested = getattr(obj, "source_feed_id", None) is not None
        return not harvested and super().has_change_permission(request, obj)

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


class FeedTermMappingInline(admin.TabularInline):
    model = FeedTermMapping
    extra = 1
    autocomplete_fields = ["term"]


def _when(value):
    return timezone.localtime(value).strftime("%d %b %Y %H:%M") if value else "Never"


@admin.register(HarvestFeed)
class HarvestFeedAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "base_url",
        "frequency",
        "is_active",
        "last_good",
        "last_try",
        "has_error",
    ]
    list_filter = ["is_active", "frequency"]
    search_fields = ["name", "base_url"]
    list_select_related = []
    readonly_fields = [
        "last_good",
        "last_full",
        "last_try",
        "last_result",
        "error_in_words",
        "created",
        "modified",
    ]
    inlines = [FeedTermMappingInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "base_url", "frequency", "is_active"]}),
        (
            "Harvests",
            {
                "fields": ["last_good", "last_full", "last_try", "last_result", "error_in_words"],
                "description": "harvest_oruk runs each day and harvests the feeds that are due.",
            },
        ),
        ("Record", {"fields": ["created", "modified"]}),
    ]

    @admin.display(description="Last successful harvest", ordering="last_success_at")
    def last_good(self, obj):
        return _when(obj.last_success_at)

    @admin.display(description="Last full harvest (withdrawals checked)")
    def last_full(self, obj):
        return _when(obj.last_full_at)

    @admin.display(description="Last attempt", ordering="last_attempt_at")
    def last_try(self, obj):
        return _when(obj.last_attempt_at)

    @admin.display(description="Last result")
    def last_result(self, obj):
        return obj.last_summary or "No harvest yet"

    @admin.display(description="Last error")
    def error_in_words(self, obj):
        if not obj.last_error:
            return "None: the last attempt worked" if obj.last_attempt_at else "None"
        return obj.last_error

    @admin.display(boolean=True, description="Failing")
    def has_error(self, obj):
        return bool(obj.last_error)
