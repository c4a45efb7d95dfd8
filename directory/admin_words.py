"""The words and dates officers keep for search: synonyms and bank holidays."""

from django.contrib import admin

from directory import services
from directory.models import BankHoliday, SearchSynonym


@admin.register(BankHoliday)
class BankHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name"]
    list_filter = [("date", admin.DateFieldListFilter)]
    search_fields = ["name"]
    list_select_related = []
    date_hierarchy = "date"


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    """Words residents search for that listings don't use ("toddler", "bills"): when such a
    search finds few services, it also looks for the words given here."""

    list_display = ["term", "search_for", "modified"]
    list_filter = ["modified"]
    search_fields = ["term", "search_for"]
    list_select_related = []
    readonly_fields = ["created", "modified"]
    fields = ["term", "search_for", "created", "modified"]

    def save_model(self, request, obj, form, change):
        services.save_synonym(synonym=obj)
