import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, Count, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from core.forms import valid_pk
from directory import (
    admin_words,  # noqa: F401 - registers bank holidays and synonyms
    csv_io,
    services,
)
from directory.admin_feeds import HarvestedInlineReadOnly, HarvestedReadOnly
from directory.models import (
    STALE_AFTER_DAYS,
    Area,
    Location,
    Postcode,
    Schedule,
    Service,
    ServiceFeedback,
    ServiceLanguage,
    Suggestion,
    TaxonomyTerm,
)
from partners.admin import OrganisationAdmin as PartnersOrganisationAdmin
from partners.models import Organisation


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "ons_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ons_code"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "organisations"]
    list_select_related = ["parent"]


class AreaServedInline(admin.TabularInline):
    model = Area.organisations.through
    autocomplete_fields = ["area"]
    extra = 0
    verbose_name = "area served"
    verbose_name_plural = "areas served"


# Areas served live in directory (partners sits below it), so extend partners' admin here.
admin.site.unregister(Organisation)


@admin.register(Organisation)
class OrganisationAdmin(PartnersOrganisationAdmin):
    inlines = [*PartnersOrganisationAdmin.inlines, AreaServedInline]


@admin.register(Location)
class LocationAdmin(HarvestedReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "town", "postcode", "area", "has_coordinates"]
    list_filter = ["area", "step_free_access", "accessible_toilet", "hearing_loop", "parking"]
    search_fields = ["name", "address_1", "postcode", "town"]
    autocomplete_fields = ["area"]
    list_select_related = ["area"]
    readonly_fields = ["uuid", "created", "modified", "harvested_from"]

    @admin.display(boolean=True, description="On the map")
    def has_coordinates(self, obj):
        return obj.latitude is not None


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "latitude", "longitude", "ward_code", "district_code"]
    search_fields = ["=postcode", "ward_code"]
    list_filter = []
    list_select_related = []
    show_full_result_count = False  # the full ONS file has 2.7 million rows


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "parent", "taxonomy"]
    list_filter = ["taxonomy", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    readonly_fields = ["uuid", "created", "modified"]


class ReviewFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("stale", "Needs review (not checked for 12 months)"),
            ("current", "Checked in the last 12 months"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.stale()
        if self.value() == "current":
            return queryset.exclude(pk__in=Service.objects.stale().values("pk"))
        return queryset


class PublicFilter(admin.SimpleListFilter):
    title = "in the public directory"
    parameter_name = "public"

    def lookups(self, request, model_admin):
        return [("yes", "Listed (published, active or temporarily closed)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.published()
        return queryset


class AreaFilter(admin.SimpleListFilter):
    """Services at a location in a town (or one of its wards), as the public search does."""

    title = "area"
    parameter_name = "area"
    NONE = "none"

    def lookups(self, request, model_admin):
        towns = Area.objects.filter(parent__isnull=True).order_by("name")
        return [*((str(a.pk), a.name) for a in towns), (self.NONE, "Not at a place in any area")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.without_area()
        if (pk := valid_pk(value)) is not None:
            return queryset.in_area(pk)
        return queryset


class ScheduleInline(HarvestedInlineReadOnly, admin.TabularInline):
    model = Schedule
    extra = 0
    autocomplete_fields = ["location"]


class ServiceLanguageInline(admin.TabularInline):
    model = ServiceLanguage
    extra = 0
    verbose_name = "language spoken"
    verbose_name_plural = "languages spoken (without an interpreter)"


class ServiceImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV in the export's format")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise ValidationError("The file must be smaller than 5 MB.")
        return upload


@admin.register(Service)
class ServiceAdmin(HarvestedReadOnly, admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "status",
        "publication",
        "source_feed",
        "last_reviewed",
        "needs_review",
        "feedback_summary",
    ]
    list_filter = [
        PublicFilter,
        ReviewFilter,
        "publication",
        "status",
        "cost",
        "access",
        "categories",
        AreaFilter,
        "source_feed",
    ]
    search_fields = ["name", "organisation__name", "uuid"]
    autocomplete_fields = ["organisation", "categories", "locations"]
    list_select_related = ["organisation", "source_feed"]
    readonly_fields = ["uuid", "created", "modified", "resident_feedback", "harvested_from"]
    inlines = [ScheduleInline, ServiceLanguageInline]
    actions = ["mark_reviewed", "export_csv"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "organisation", "description", "keywords", "categories"]}),
        ("Listing", {"fields": ["status", "publication", "last_reviewed", "resident_feedback"]}),
        (
            "Who, cost and access",
            {
                "fields": [
                    "eligibility",
                    ("minimum_age", "maximum_age"),
                    "cost",
                    "fees_description",
                    "access",
                    "access_description",
                ]
            },
        ),
        ("Where", {"fields": ["locations"]}),
        ("Contact", {"fields": ["contact_name", "phone", "email", "url"]}),
        ("Record", {"fields": ["harvested_from", "uuid", "created", "modified"]}),
    ]

    @admin.display(boolean=True, description="Needs review")
    def needs_review(self, obj):
        return obj.is_stale

    def get_queryset(self, request):
        # Counted per row by subqueries, so filters that join (categories) cannot repeat them.
        feedback = ServiceFeedback.objects.filter(service=OuterRef("pk")).order_by()
        counted = feedback.values("service").annotate(n=Count("pk")).values("n")
        return (
            super()
            .get_queryset(request)
            .annotate(
                feedback_yes=Coalesce(Subquery(counted.filter(useful=True)), 0),
                feedback_no=Coalesce(Subquery(counted.filter(useful=False)), 0),
            )
        )

    @admin.display(description="Was it useful?")
    def feedback_summary(self, obj):
        if not (obj.feedback_yes or obj.feedback_no):
            return "No answers"
        url = reverse("admin:directory_servicefeedback_changelist")
        url += f"?service__id__exact={obj.pk}"
        return format_html('<a href="{}">{} yes, {} no</a>', url, obj.feedback_yes, obj.feedback_no)

    @admin.display(description="Residents' feedback")
    def resident_feedback(self, obj):
        """Beside the review status: what residents said on the listing's page."""
        if obj.pk is None:
            return "None yet"
        latest = list(obj.feedback.all()[:5])
        if not latest:
            return "No one has answered “Was this page useful?” yet."
        summary = format_html("{}. ", self.feedback_summary(obj))
        rows = format_html_join(
            "",
            "<li>{} – {}{}</li>",
            (
                (
                    timezone.localtime(item.created).strftime("%d %b %Y"),
                    "Useful" if item.useful else "Not useful",
                    f": {item.comment}" if item.comment else "",
                )
                for item in latest
            ),
        )
        return format_html("{}Latest:<ul>{}</ul>", summary, rows)

    @admin.action(description="Mark selected services as reviewed today")
    def mark_reviewed(self, request, queryset):
        objects = list(queryset)
        count = services.mark_reviewed(services=queryset)
        for obj in objects:
            self.log_change(request, obj, "Marked as reviewed")
        self.message_user(request, f"{count} services marked as reviewed today.")

    @admin.action(description="Export selected services as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="services-{stamp}.csv"'
        csv_io.export_services(queryset, response)
        return response

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="directory_service_import",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "stale_cutoff": timezone.localdate() - datetime.timedelta(days=STALE_AFTER_DAYS),
        }
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        """Upload a CSV: every row is checked first; any error and nothing is saved."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ServiceImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            parsed = csv_io.parse_services(form.cleaned_data["file"])
            errors = parsed.errors
            if not errors and not parsed.rows:
                errors = [(0, "The file has no rows to import.")]
            if not errors:
                created, updated = services.import_services(rows=parsed.rows)
                LogEntry.objects.log_actions(  # one bulk INSERT, not one per row
                    request.user.pk,
                    [row.service for row in parsed.rows],
                    CHANGE,
                    "Imported from CSV",
                )
                self.message_user(
                    request, f"Imported {created} new and {updated} updated services."
                )
                return redirect("admin:directory_service_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import services from CSV",
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
            "columns": csv_io.COLUMNS,
        }
        return TemplateResponse(request, "admin/directory/service/import.html", context)


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "name", "status", "created", "service"]
    list_filter = ["status", "kind"]
    search_fields = ["=reference", "name", "organisation_name", "submitter_email"]
    autocomplete_fields = ["organisation", "service", "categories"]
    list_select_related = ["service"]
    readonly_fields = [
        "reference",
        "kind",
        "status",
        "decided_by",
        "decided_at",
        "created",
        "modified",
        "view_service",
        "listing_now",
    ]
    actions = ["approve", "reject"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    _decision = [
        ("Sent by", {"fields": ["submitter_name", "submitter_email", "created"]}),
        ("Decision", {"fields": ["decision_note", "decided_by", "decided_at", "modified"]}),
    ]
    fieldsets = [
        (None, {"fields": ["reference", "kind", "status", "service", "view_service"]}),
        (
            "Suggested",
            {
                "fields": [
                    "name",
                    "organisation_name",
                    "organisation",
                    "description",
                    "details",
                    "categories",
                    "when",
                    "address",
                    "postcode",
                    "cost",
                    "access",
                    "url",
                    "email",
                    "phone",
                ]
            },
        ),
        *_decision,
    ]
    # A change report: what was reported, beside what the listing says now.
    change_fieldsets = [
        (None, {"fields": ["reference", "kind", "status", "service", "view_service"]}),
        ("Reported", {"fields": ["details", "when", "url", "email", "phone"]}),
        ("The listing now", {"fields": ["listing_now"]}),
        *_decision,
    ]

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.kind == Suggestion.Kind.CHANGE:
            return self.change_fieldsets
        return super().get_fieldsets(request, obj)

    def get_queryset(self, request):
        # The moderation queue: pending first, oldest first.
        pending_first = Case(When(status=Suggestion.Status.PENDING, then=0), default=1)
        return super().get_queryset(request).order_by(pending_first, "created")

    @admin.display(description="Listing")
    def view_service(self, obj):
        if obj.service_id is None:
            return "-"
        url = reverse("admin:directory_service_change", args=[obj.service_id])
        return format_html('<a href="{}">Edit the listing</a>', url)

    @admin.display(description="Website, email, phone and times")
    def listing_now(self, obj):
        service = obj.service
        if service is None:
            return "-"
        times = [str(schedule) for schedule in service.schedules.order_by("weekday", "opens_at")]
        rows = [
            ("Website", service.url),
            ("Email", service.email),
            ("Phone", service.phone),
            ("When", "; ".join(times)),
        ]
        return format_html_join(
            "", "<p><strong>{}</strong>: {}</p>", ((k, v or "none") for k, v in rows)
        )

    def _decide(self, request, queryset, decide, verb):
        """Decide each suggestion; returns (suggestion, what `decide` returned) for each."""
        done = []
        for suggestion in queryset:
            try:
                result = decide(suggestion=suggestion, user=request.user)
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
                continue
            self.log_change(request, suggestion, verb.capitalize())
            done.append((suggestion, result))
        if done:
            self.message_user(request, f"{len(done)} suggestion{pluralize(len(done))} {verb}.")
        return done

    @admin.action(description="Approve: create or update the listing")
    def approve(self, request, queryset):
        approved = self._decide(request, queryset, services.approve_suggestion, "approved")
        for suggestion, service in approved:
            if notice := services.place_left_out(suggestion, service):
                self.message_user(request, notice, messages.WARNING)
            if notice := services.change_left_to_do(suggestion):
                url = reverse("admin:directory_service_change", args=[service.pk])
                self.message_user(
                    request,
                    format_html('{} <a href="{}">Edit {}</a>', notice, url, service.name),
                    messages.WARNING,
                )

    @admin.action(description="Reject selected suggestions")
    def reject(self, request, queryset):
        self._decide(request, queryset, services.reject_suggestion, "rejected")


@admin.register(ServiceFeedback)
class ServiceFeedbackAdmin(admin.ModelAdmin):
    """What residents answered on service pages. Read only; an officer may delete an answer
    (say, one where someone typed their phone number despite the hint)."""

    list_display = ["created", "service", "useful", "comment"]
    list_filter = ["useful", "created"]
    search_fields = ["service__name", "comment"]
    list_select_related = ["service"]
    autocomplete_fields = ["service"]
    readonly_fields = ["service", "useful", "comment", "created"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
