from django.contrib import admin

from partners.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_active", "modified"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["uuid", "created", "modified"]
    list_select_related = []
