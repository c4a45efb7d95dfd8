"""Records of personal data erased (proof without the data)."""

from django.contrib import admin

from volunteering.models import (
    ErasureRecord,
)


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """Read-only: proof that an erasure was done, holding no personal data."""

    list_display = [
        "reference",
        "at",
        "by",
        "by_description",
        "interests_deleted",
        "interests_anonymised",
        "hours_kept_anonymously",
        "suggestion_senders_cleared",
        "contacts_erased",
    ]
    list_filter = [("at", admin.DateFieldListFilter)]
    search_fields = ["reference"]
    list_select_related = ["by"]
    readonly_fields = [
        "reference",
        "at",
        "by",
        "by_description",
        "interests_deleted",
        "interests_anonymised",
        "events_deleted",
        "hours_kept_anonymously",
        "suggestion_senders_cleared",
        "contacts_erased",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
