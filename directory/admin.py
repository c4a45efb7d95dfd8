from django.contrib import admin

from directory.models import Area, Location


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "ons_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "town", "postcode", "area"]
    list_filter = ["area"]
    search_fields = ["name", "address_1", "postcode"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]
    readonly_fields = ["uuid", "created", "modified"]
