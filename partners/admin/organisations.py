"""Organisations (with their contacts and logins) and policy outcomes."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from simple_history.admin import SimpleHistoryAdmin

from core.roles import PARTNER_CONTACT
from core.scope import scope_of
from partners.admin.base import PartnersAdminMixin
from partners.forms import (
    OrganisationForm,
)
from partners.models import (
    Contact,
    Organisation,
    PartnerMembership,
    PolicyOutcome,
)


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "is_primary"]


class MembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0
    verbose_name = "partner contact login"
    verbose_name_plural = "Partner contact logins (they see only this organisation's records)"
    fields = ["user", "created"]
    readonly_fields = ["created"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(is_active=True, groups__name=PARTNER_CONTACT)
                .order_by("username")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Organisation)
class OrganisationAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    form = OrganisationForm
    list_display = ["name", "kind", "charity_number", "company_number", "is_active", "modified"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "email", "charity_number", "company_number", "contacts__name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["uuid", "created", "modified"]
    list_select_related = []
    inlines = [ContactInline, MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "description", "is_active"]}),
        ("Registration", {"fields": ["charity_number", "company_number"]}),
        ("Contact details", {"fields": ["website", "email", "phone", "address", "postcode"]}),
        ("Record", {"fields": ["uuid", "created", "modified"], "classes": ["collapse"]}),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"  # "example.org" means https://example.org
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        if scope_of(request.user).is_officer:
            return self.inlines
        return [ContactInline]


@admin.register(PolicyOutcome)
class PolicyOutcomeAdmin(admin.ModelAdmin):
    list_display = ["name", "focus_area", "position"]
    list_editable = ["position"]
    list_filter = ["focus_area"]
    search_fields = ["name", "focus_area", "description"]
    list_select_related = []
