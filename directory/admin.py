from django.contrib import admin

from directory.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "ons_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
