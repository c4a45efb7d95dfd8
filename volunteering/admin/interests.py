"""Interests: the pipeline from a volunteer's interest to a placement."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html

from core.admin import refusals
from core.scope import scope_of
from partners.services import contact_ids, current_contacts
from volunteering import pipeline, services
from volunteering.admin.base import ScopedMixin
from volunteering.models import (
    Interest,
    InterestEvent,
    VolunteerHours,
)


class FlagFilter(admin.SimpleListFilter):
    title = "waiting past target"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            ("any", "Amber or red"),
            (pipeline.AMBER, "Amber: past the target"),
            (pipeline.RED, "Red: past twice the target"),
        ]

    def queryset(self, request, queryset):
        if self.value() in ("any", pipeline.AMBER, pipeline.RED):
            return queryset.waiting(self.value())
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("role", "Interest in a role"), ("general", "General offer of help")]

    def queryset(self, request, queryset):
        if self.value() == "role":
            return queryset.filter(role__isnull=False)
        if self.value() == "general":
            return queryset.filter(role__isnull=True)
        return queryset


class InterestEventInline(admin.TabularInline):
    model = InterestEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "by"]
    readonly_fields = fields
    verbose_name = "pipeline change"
    verbose_name_plural = "Pipeline history (the date of each change)"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("by")


class HoursInline(admin.TabularInline):
    model = VolunteerHours
    extra = 0
    can_delete = False
    fields = ["date", "hours", "confirmed_hours", "confirmed_at"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InterestAdminForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["status", "name", "email", "phone", "message", "skills", "areas"]
        help_texts = {"status": "Saving a new status records the date of the change"}


@admin.register(Interest)
class InterestAdmin(ScopedMixin, admin.ModelAdmin):
    form = InterestAdminForm
    list_display = [
        "reference",
        "name",
        "role_title",
        "organisation",
        "status",
        "in_stage_since",
        "waiting",
        "created",
    ]
    list_filter = [FlagFilter, "status", KindFilter]
    search_fields = ["reference", "name", "email", "phone", "role__title"]
    list_select_related = ["role__organisation"]
    autocomplete_fields = ["skills"]
    officer_autocomplete_fields = ("areas",)
    readonly_fields = [
        "reference",
        "role",
        "availability_text",
        "consent_at",
        "created",
        "status_changed_at",
        "last_activity_at",
        "anonymised_at",
        "hours_link",
    ]
    inlines = [InterestEventInline, HoursInline]
    actions = [
        "mark_contacted",
        "mark_placed",
        "mark_not_progressed",
        "export_person",
        "erase_person",
    ]
    date_hierarchy = "created"

    class Media:
        css = {"all": ["partners/admin.css"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["reference", "role", "status", "status_changed_at"]}),
            ("Contact details", {"fields": ["name", "email", "phone", "message"]}),
            ("Offer of help", {"fields": ["skills", "areas", "availability_text"]}),
            ("Hours", {"fields": ["hours_link"]}),
            (
                "Personal data",
                {"fields": ["consent_at", "created", "last_activity_at", "anonymised_at"]},
            ),
        ]

    def get_list_filter(self, request):
        extra = [("role__organisation", admin.RelatedOnlyFieldListFilter)]
        return [*self.list_filter, *(extra if scope_of(request.user).is_officer else [])]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_anonymised:  # nothing to edit, nothing to re-identify
            return [*self.readonly_fields, *InterestAdminForm.Meta.fields]
        return self.readonly_fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not scope_of(request.user).is_officer:  # subject access and erasure are for officers
            actions.pop("export_person", None)
            actions.pop("erase_person", None)
        if not self.has_change_permission(request):
            for name in ("mark_contacted", "mark_placed", "mark_not_progressed"):
                actions.pop(name, None)
        return actions

    def has_add_permission(self, request):
        return False  # interests come from the public forms

    def changelist_view(self, request, extra_context=None):
        interests = self.get_queryset(request)
        extra_context = {
            **(extra_context or {}),
            "pipeline_counts": [
                (Interest.Status(status).label, n)
                for status, n in services.pipeline_counts(interests.personal()).items()
            ],
            "amber_count": interests.waiting(pipeline.AMBER).count(),
            "red_count": interests.waiting(pipeline.RED).count(),
            "targets": pipeline.stage_targets(),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="role", ordering="role__title")
    def role_title(self, obj):
        return obj.role.title if obj.role else "General offer of help"

    @admin.display(description="organisation", ordering="role__organisation__name")
    def organisation(self, obj):
        return obj.role.organisation.name if obj.role else "–"

    @admin.display(description="in this stage since", ordering="status_changed_at")
    def in_stage_since(self, obj):
        return date_format(obj.status_changed_at, "j M Y")

    @admin.display(description="waiting")
    def waiting(self, obj):
        if obj.is_anonymised:
            return "–"
        flag = pipeline.flag(obj)
        due = pipeline.due_by(obj)
        if flag == pipeline.RED:
            return format_html('<span class="rag rag--red">Red: due {}</span>', _day(due))
        if flag == pipeline.AMBER:
            return format_html('<span class="rag rag--amber">Amber: due {}</span>', _day(due))
        return f"Due {_day(due)}" if due else "–"

    @admin.display(description="availability")
    def availability_text(self, obj):
        return ", ".join(obj.availability_labels()) or "–"

    @admin.display(description="hours")
    def hours_link(self, obj):
        if obj.role_id is None or obj.status != Interest.Status.PLACED or obj.is_anonymised:
            return "Hours can be recorded once someone is placed in a role."
        url = reverse("admin:volunteering_volunteerhours_add") + f"?interest={obj.pk}"
        return format_html('<a class="button" href="{}">Record hours</a>', url)

    def save_model(self, request, obj, form, change):
        # A new status is made as a pipeline move, recorded with who made it.
        with refusals():
            services.update_interest(interest=obj, by=request.user)

    def _move(self, request, queryset, to_status):
        moved = skipped = 0
        for interest in queryset:
            try:
                services.move_interest(interest=interest, to_status=to_status, by=request.user)
                moved += 1
            except ValidationError:
                skipped += 1
        label = Interest.Status(to_status).label.lower()
        self.message_user(request, f"Moved {moved} to {label}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} were already {label} or have been anonymised.",
                messages.WARNING,
            )

    @admin.action(description="Mark selected as contacted", permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._move(request, queryset, Interest.Status.CONTACTED)

    @admin.action(description="Mark selected as placed", permissions=["change"])
    def mark_placed(self, request, queryset):
        self._move(request, queryset, Interest.Status.PLACED)

    @admin.action(description="Mark selected as not progressed", permissions=["change"])
    def mark_not_progressed(self, request, queryset):
        self._move(request, queryset, Interest.Status.NOT_PROGRESSED)

    def _one_person(self, request, queryset):
        if not scope_of(request.user).is_officer:
            raise PermissionDenied
        people = list(queryset.personal()[:2])
        if len(people) != 1:
            self.message_user(
                request,
                "Select one interest (not anonymised): every record with the same email "
                "address or phone number is included.",
                messages.ERROR,
            )
            return None
        return people[0]

    @admin.action(description="Export this person's data (subject access request)")
    def export_person(self, request, queryset):
        person = self._one_person(request, queryset)
        if person is None:
            return None
        data = services.export_personal_data(email=person.email, phone=person.phone)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False),
            content_type="application/json; charset=utf-8",
        )
        name = f"personal-data-{person.reference}.json"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @admin.action(description="Erase this person's data (right to erasure)")
    def erase_person(self, request, queryset):
        person = self._one_person(request, queryset)
        if person is None:
            return None
        matching = Interest.objects.personal().for_person(email=person.email, phone=person.phone)
        if request.POST.get("confirm") == "yes":
            record = services.erase_personal_data(
                email=person.email, phone=person.phone, by=request.user
            )
            self.message_user(
                request,
                f"Erased. Erasure reference {record.reference}: "
                f"{record.interests_deleted} deleted, {record.interests_anonymised} anonymised "
                f"(their {record.hours_kept_anonymously} hours still count, attached to no one); "
                f"sender cleared on {record.suggestion_senders_cleared} directory suggestions; "
                f"{record.contacts_erased} organisation contact records deleted with their "
                "history.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/volunteering/interest/erase_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": "Erase this person's data?",
                "person": person,
                "matching": matching.select_related("role__organisation"),
                # Erasure also removes copies of past versions (partners.services).
                "contacts": current_contacts(contact_ids(email=person.email, phone=person.phone)),
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def _day(value):
    return date_format(value, "j M Y") if value else ""
