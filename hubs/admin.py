"""Staff admin for hubs. Coordinators see and change only their own hubs' records.

Scoping is enforced in the queryset, the foreign-key choices, the object permission checks and
on save; a record outside the user's hubs is a 404, never a redirect that confirms it exists.
"""

from django.contrib import admin
from django.http import Http404
from django.utils.html import format_html

from core.admin import refusals
from core.scope import scope_of
from hubs import services
from hubs.models import (
    Activity,
    Engagement,
    Hub,
    HubCoordinator,
    Referral,
)
from partners.models import Organisation


def _is_officer(request):
    return scope_of(request.user).is_officer


class HubScopedMixin:
    """For admins of models that belong to a hub (through `hub_field`)."""

    hub_field = "hub_id"
    officer_autocomplete_fields = ()

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such record")
        return obj

    def get_autocomplete_fields(self, request):
        # Coordinators hold no partners permissions, so they get plain (scoped) selects.
        return list(self.officer_autocomplete_fields) if _is_officer(request) else []

    def _in_scope(self, request, obj):
        return obj is None or scope_of(request.user).sees_hub(getattr(obj, self.hub_field))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "hub":
            kwargs["queryset"] = Hub.objects.for_user(request.user)
        elif db_field.name == "activity":
            kwargs["queryset"] = Activity.objects.for_user(request.user).select_related("hub")
        elif db_field.related_model is Organisation:
            kwargs["queryset"] = Organisation.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ActivityListFilter(admin.RelatedOnlyFieldListFilter):
    """Only activities at the user's hubs, labelled with their hub in one query."""

    def field_choices(self, field, request, model_admin):
        activities = Activity.objects.for_user(request.user).select_related("hub")
        return [(a.pk, str(a)) for a in activities]


class HubCoordinatorInline(admin.TabularInline):
    model = HubCoordinator
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created"]


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "venue_kind", "area", "lead_partner", "status", "opened"]
    list_filter = ["status", "venue_kind", "area"]
    search_fields = ["name", "slug"]
    list_select_related = ["area", "lead_partner"]
    autocomplete_fields = ["location", "area", "lead_partner"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["uuid", "created", "modified"]
    inlines = [HubCoordinatorInline]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such hub")
        return obj

    def get_inlines(self, request, obj):
        # Only officers manage who coordinates a hub.
        return self.inlines if _is_officer(request) else []

    def save_model(self, request, obj, form, change):
        # The service also updates what the directory lists for the hub's activities.
        with refusals():
            services.save_hub(user=request.user, hub=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not HubCoordinator:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)  # fills in what the admin log reports
        with refusals():
            services.save_coordinators(
                user=request.user,
                hub=form.instance,
                memberships=memberships,
                deleted=formset.deleted_objects,
            )
        return None


@admin.register(Activity)
class ActivityAdmin(HubScopedMixin, admin.ModelAdmin):
    list_display = ["name", "hub", "category", "weekday", "start_time", "end_time", "is_active"]
    list_filter = [
        "category",
        "weekday",
        "is_active",
        ("hub", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "hub__name"]
    list_select_related = ["hub", "run_by"]
    officer_autocomplete_fields = ("hub", "run_by", "location")
    readonly_fields = ["directory_listing", "uuid", "created", "modified"]

    @admin.display(description="In the directory")
    def directory_listing(self, obj):
        service = obj.service if obj and obj.pk else None
        if service is None or service.publication != service.Publication.PUBLISHED:
            return (
                "Not listed. Listed when published, at an open hub, and run by an "
                "organisation (or the hub has a lead partner)."
            )
        return format_html('<a href="{}">{}</a>', service.get_absolute_url(), service.name)

    def save_model(self, request, obj, form, change):
        with refusals():
            services.save_activity(user=request.user, activity=obj)

    def delete_model(self, request, obj):
        services.delete_activities(user=request.user, activities=[obj])

    def delete_queryset(self, request, queryset):
        services.delete_activities(user=request.user, activities=queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "location" and not _is_officer(request):
            # Coordinators may place an activity at one of their hubs' venues only.
            kwargs["queryset"] = db_field.related_model.objects.filter(
                hubs__in=Hub.objects.for_user(request.user)
            ).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReferralInline(admin.TabularInline):
    model = Referral
    extra = 1
    verbose_name = "referral or signposting"
    verbose_name_plural = "referrals and signposting"

    def get_autocomplete_fields(self, request):
        return ["organisation"] if _is_officer(request) else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Engagement)
class EngagementAdmin(HubScopedMixin, admin.ModelAdmin):
    list_display = ["date", "hub", "activity", "people", "new_people", "partner_present"]
    list_filter = [
        ("hub", admin.RelatedOnlyFieldListFilter),
        ("activity", ActivityListFilter),
        ("partner_present", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["hub__name", "activity__name", "notes"]
    list_select_related = ["hub", "activity__hub", "partner_present"]
    officer_autocomplete_fields = ("hub", "activity", "partner_present")
    date_hierarchy = "date"
    readonly_fields = ["created_by", "created", "modified"]
    inlines = [ReferralInline]
    fieldsets = [
        (None, {"fields": ["hub", "activity", "date", "people", "new_people"]}),
        (
            "Age bands (optional)",
            {
                "fields": [
                    "age_under_5",
                    "age_5_11",
                    "age_12_17",
                    "age_18_25",
                    "age_26_64",
                    "age_65_plus",
                ]
            },
        ),
        (None, {"fields": ["partner_present", "notes"]}),
        ("Record", {"fields": ["created_by", "created", "modified"]}),
    ]

    def save_model(self, request, obj, form, change):
        # The service checks the user may log at that hub, and records who created it.
        with refusals():
            services.record_engagement(user=request.user, engagement=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Referral:
            return super().save_formset(request, form, formset, change)
        referrals = formset.save(commit=False)  # fills in what the admin log reports
        with refusals():
            services.save_referrals(
                user=request.user,
                engagement=form.instance,
                referrals=referrals,
                deleted=formset.deleted_objects,
            )
        return None
