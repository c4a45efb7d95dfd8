"""Volunteers' hours and their confirmation."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from core.admin import refusals
from core.scope import scope_of
from volunteering import services
from volunteering.admin.base import ScopedMixin
from volunteering.models import (
    Interest,
    VolunteerHours,
)


class HoursAdminForm(forms.ModelForm):
    class Meta:
        model = VolunteerHours
        fields = ["interest", "date", "hours", "confirmed_hours"]

    def clean_interest(self):
        interest = self.cleaned_data["interest"]
        if interest.role_id is None or interest.status != Interest.Status.PLACED:
            raise ValidationError(
                f"{interest.reference} is not placed in a role: place them before logging hours"
            )
        return interest


class ConfirmedFilter(admin.SimpleListFilter):
    title = "confirmed"
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("no", "Awaiting confirmation"), ("yes", "Confirmed")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(confirmed_hours__isnull=True)
        if self.value() == "yes":
            return queryset.filter(confirmed_hours__isnull=False)
        return queryset


@admin.register(VolunteerHours)
class VolunteerHoursAdmin(ScopedMixin, admin.ModelAdmin):
    form = HoursAdminForm
    list_display = [
        "date",
        "volunteer",
        "role",
        "hours",
        "confirmed_hours",
        "confirmed",
    ]
    list_filter = [ConfirmedFilter, ("date", admin.DateFieldListFilter)]
    search_fields = ["interest__reference", "interest__name", "interest__role__title"]
    list_select_related = ["interest__role__organisation"]
    autocomplete_fields = ["interest"]
    readonly_fields = ["logged_by", "created", "confirmed_by", "confirmed_at"]
    actions = ["confirm_as_logged"]
    date_hierarchy = "date"

    def get_list_filter(self, request):
        extra = [("interest__role__organisation", admin.RelatedOnlyFieldListFilter)]
        return [*self.list_filter, *(extra if scope_of(request.user).is_officer else [])]

    @admin.display(description="volunteer", ordering="interest__name")
    def volunteer(self, obj):
        return f"{obj.interest.name} ({obj.interest.reference})"

    @admin.display(description="role", ordering="interest__role__title")
    def role(self, obj):
        return str(obj.interest.role) if obj.interest.role else "–"

    @admin.display(description="status", boolean=False)
    def confirmed(self, obj):
        return "Confirmed" if obj.is_confirmed else "Awaiting confirmation"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "interest":
            kwargs["queryset"] = Interest.objects.for_user(request.user).filter(role__isnull=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # The services check the volunteer is in one of the user's roles.
        with refusals():
            if change:
                services.update_hours(entry=obj, by=request.user)
                return
            confirmed, obj.confirmed_hours = obj.confirmed_hours, None
            services.log_hours(entry=obj, by=request.user)
            if confirmed is not None:
                services.confirm_hours(entries=[obj], by=request.user, hours=confirmed)

    @admin.action(description="Confirm selected hours as logged", permissions=["change"])
    def confirm_as_logged(self, request, queryset):
        count = services.confirm_hours(
            entries=queryset.filter(confirmed_hours__isnull=True), by=request.user
        )
        self.message_user(request, f"Confirmed {count} entries.", messages.SUCCESS)
