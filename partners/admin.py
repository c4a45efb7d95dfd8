"""Staff admin for partners: what an officer uses day to day, and what a partner contact sees.

Every queryset goes through `for_user(user)`: a partner contact sees only their own
organisation's records, and another organisation's record is a 404 even by a guessed id.
Changes are audited by django-simple-history (History button, with revert).
"""

import json

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from core.admin import SaveRefused, refusals
from core.forms import valid_pk
from core.roles import OFFICER, PARTNER_CONTACT
from core.scope import scope_of
from partners import documents, exports, measures, services
from partners.forms import (
    KpiReturnForm,
    OrganisationForm,
    PrivateFileInput,
    return_url,
    taken_message,
)
from partners.models import (
    Agreement,
    Contact,
    Document,
    Grant,
    Kpi,
    KpiReturn,
    Objective,
    Organisation,
    PartnerMembership,
    PolicyOutcome,
    overdue_returns,
)
from partners.performance import Quarter, Rating, due_quarters, return_deadline


def rag_tag(rating) -> str:
    """The rating's words, coloured: the words carry the meaning, colour only helps."""
    if not rating:
        return "–"
    rating = Rating(rating)
    return format_html('<span class="rag rag--{}">{}</span>', rating.colour, rating.label)


def csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PartnersAdminMixin:
    """Scope every lookup to what the user may see; officers alone see history."""

    class Media:
        css = {"all": ["partners/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:  # not there, or not theirs: the same 404 either way
            raise Http404("No such record")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._check_history_access(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_history_access(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _check_history_access(self, request, object_id):
        self.get_object(request, object_id)
        if not scope_of(request.user).is_officer:
            raise PermissionDenied


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


class ObjectiveInline(admin.StackedInline):
    model = Objective
    extra = 0
    autocomplete_fields = ["outcome"]
    fields = ["outcome", "description"]


class KpiInline(admin.TabularInline):
    model = Kpi
    extra = 0
    fields = ["name", "unit", "target", "direction", "measure", "reported_from"]
    show_change_link = True


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["title", "file", "size_display", "uploaded_by", "uploaded_at"]
    readonly_fields = ["size_display", "uploaded_by", "uploaded_at"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            kwargs["widget"] = PrivateFileInput(attrs={"accept": ",".join(documents.ALLOWED)})
            kwargs["help_text"] = (
                f"{documents.ALLOWED_TEXT}, up to "
                f"{documents.filesizeformat(settings.PARTNERS_DOCUMENT_MAX_BYTES)}"
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="size")
    def size_display(self, obj):
        return documents.filesizeformat(obj.size) if obj.pk else ""


class OutcomeFilter(admin.SimpleListFilter):
    title = "policy outcome"
    parameter_name = "outcome"

    def lookups(self, request, model_admin):
        return [(str(o.pk), str(o)) for o in PolicyOutcome.objects.all()]

    def queryset(self, request, queryset):
        if (pk := valid_pk(self.value())) is not None:
            return queryset.filter(objectives__outcome_id=pk).distinct()
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "returns overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Has overdue KPI returns")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_overdue_returns(timezone.localdate())
        return queryset


class DueSoonFilter(admin.SimpleListFilter):
    title = "coming up"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        days = settings.PARTNERS_DUE_SOON_DAYS
        return [("soon", f"Ending or due for review in the next {days} days")]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return queryset.due_soon(timezone.localdate())
        return queryset


class RagFilter(admin.SimpleListFilter):
    """Live agreements by their worst latest KPI rating (AgreementQuerySet.with_rag)."""

    title = "KPI rating (live agreements)"
    parameter_name = "rag"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [*Rating.choices, (self.NONE, "No KPI returns yet")]

    def queryset(self, request, queryset):
        if self.value() == self.NONE:
            return queryset.rated(None)
        if self.value() in Rating.values:
            return queryset.rated(self.value())
        return queryset


@admin.register(Agreement)
class AgreementAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "organisation",
        "status",
        "end_date",
        "review_date",
        "annual_value",
    ]
    list_display_links = ["reference", "title"]
    list_filter = [
        DueSoonFilter,
        OverdueFilter,
        RagFilter,
        "status",
        "kind",
        OutcomeFilter,
        "organisation__kind",
    ]
    search_fields = ["reference", "title", "organisation__name", "description"]
    list_select_related = ["organisation", "lead_officer"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["performance", "created", "modified"]
    date_hierarchy = "start_date"
    inlines = [ObjectiveInline, KpiInline, DocumentInline]
    actions = ["export_csv"]
    fieldsets = [
        (None, {"fields": ["organisation", "reference", "title", "kind", "status", "description"]}),
        ("Term and value", {"fields": ["start_date", "end_date", "review_date", "annual_value"]}),
        ("Council lead", {"fields": ["lead_officer"]}),
        ("KPI returns by quarter", {"fields": ["performance"]}),
        ("Record", {"fields": ["created", "modified"], "classes": ["collapse"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead_officer":
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(Q(groups__name=OFFICER) | Q(is_superuser=True), is_active=True)
                .distinct()
                .order_by("first_name", "last_name", "username")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda user: user.get_full_name() or user.username
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export.csv", view(self.export_all_csv), name="partners_agreement_export"),
            path(
                "documents/<int:pk>/download/",
                view(self.download_document),
                name="partners_document_download",
            ),
            *super().get_urls(),
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Document:
            return super().save_formset(request, form, formset, change)
        uploads = formset.save(commit=False)  # fills in what the admin log reports
        with refusals():  # the service records who uploaded each new document
            services.save_documents(
                user=request.user,
                agreement=form.instance,
                documents=uploads,
                deleted=formset.deleted_objects,
            )
        return None

    @admin.display(description="KPI returns by quarter")
    def performance(self, obj):
        if not obj.pk:
            return "Save the agreement and add KPIs to see their returns here."
        today = timezone.localdate()
        quarters = [q for q in obj.quarters if q.start <= today][-8:]
        due = set(due_quarters(obj.start_date, obj.end_date, today))
        live = obj.status in (Agreement.Status.ACTIVE, Agreement.Status.UNDER_REVIEW)
        this_quarter = Quarter.containing(today)
        kpis = list(obj.kpis.select_related("agreement").prefetch_related("returns"))
        so_far = measures.compute(kpis, this_quarter, today)
        rows = []
        for kpi in kpis:
            by_quarter = {r.period: r for r in kpi.returns.all()}
            cells = []
            for q in quarters:
                ret = by_quarter.get(q)
                covered = kpi.covers(q)
                missing = ret is None and live and covered
                cells.append(
                    {
                        "quarter": q,
                        "return": ret,
                        "rating": ret and rag_tag(ret.rating),
                        "before": not covered,
                        "overdue": missing and q in due,
                        "open": missing and q.end < today,
                        "due": return_deadline(q),
                        "add_url": return_url(kpi, q),
                    }
                )
            rows.append({"kpi": kpi, "cells": cells, "so_far": so_far.get(kpi.pk)})
        return render_to_string(
            "admin/partners/agreement/performance.html",
            {
                "quarters": quarters,
                "rows": rows,
                "this_quarter": this_quarter,
                "any_linked": bool(so_far),
                "counted_until": measures.counted_until(this_quarter, today),
            },
        )

    @admin.action(description="Export selected agreements with latest KPI returns (CSV)")
    def export_csv(self, request, queryset):
        return csv_response(exports.agreements_csv(queryset), "agreements.csv")

    def export_all_csv(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return csv_response(exports.agreements_csv(self.get_queryset(request)), "agreements.csv")

    def download_document(self, request, pk):
        """Staff-only download, as an attachment, of a document the user may see."""
        if not request.user.has_perm("partners.view_document"):
            raise PermissionDenied
        doc = get_object_or_404(Document.objects.for_user(request.user), pk=pk)
        try:
            handle = doc.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Http404("The file is missing") from exc
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=doc.original_name or doc.file.name.rsplit("/", 1)[-1],
            content_type=documents.content_type(doc.file.name),
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class KpiReturnInline(admin.TabularInline):
    model = KpiReturn
    extra = 0
    fields = [
        "period_label",
        "value",
        "computed_value",
        "rating_tag",
        "commentary",
        "submitted_by",
        "submitted_at",
    ]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False  # recorded on the KPI return form, which picks the quarter

    @admin.display(description="quarter")
    def period_label(self, obj):
        return obj.period.label

    @admin.display(description="rating")
    def rating_tag(self, obj):
        return rag_tag(obj.rating)


class KpiOverdueFilter(OverdueFilter):
    def queryset(self, request, queryset):
        if self.value() == "yes":
            today = timezone.localdate()
            ids = {kpi.pk for kpi, _ in overdue_returns(today=today)}
            return queryset.filter(pk__in=ids)
        return queryset


@admin.register(Kpi)
class KpiAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "agreement", "organisation", "unit", "target", "direction", "measure"]
    list_filter = [KpiOverdueFilter, "direction", "measure", "agreement__status"]
    search_fields = [
        "name",
        "agreement__reference",
        "agreement__title",
        "agreement__organisation__name",
    ]
    list_select_related = ["agreement__organisation"]
    autocomplete_fields = ["agreement"]
    readonly_fields = ["created", "modified"]
    inlines = [KpiReturnInline]

    @admin.display(description="organisation", ordering="agreement__organisation__name")
    def organisation(self, obj):
        return obj.agreement.organisation

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agreement":
            kwargs["queryset"] = Agreement.objects.for_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class RatingFilter(admin.SimpleListFilter):
    title = "rating"
    parameter_name = "rating"

    def lookups(self, request, model_admin):
        return Rating.choices

    def queryset(self, request, queryset):
        if self.value() in Rating.values:
            return queryset.filter(rating_value=self.value())
        return queryset


@admin.register(KpiReturn)
class KpiReturnAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    form = KpiReturnForm
    list_display = [
        "kpi",
        "organisation",
        "period_label",
        "value",
        "computed_value",
        "target",
        "rating_tag",
        "submitted_by",
        "submitted_at",
    ]
    list_filter = [RatingFilter, "financial_year", "quarter", "kpi__agreement__status"]
    search_fields = ["kpi__name", "kpi__agreement__reference", "kpi__agreement__organisation__name"]
    list_select_related = ["kpi__agreement__organisation", "submitted_by"]
    autocomplete_fields = ["kpi"]
    readonly_fields = [
        "rating_tag",
        "computed_value",
        "computed_note",
        "submitted_by",
        "submitted_at",
    ]
    fields = [
        "kpi",
        "period",
        "value",
        "commentary",
        "rating_tag",
        "computed_value",
        "computed_note",
        "submitted_by",
        "submitted_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_rating()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("overdue/", view(self.overdue_view), name="partners_kpireturn_overdue"),
            *super().get_urls(),
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["kpi", "period", "value", "commentary"]
        return self.fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "kpi":
            kwargs["queryset"] = Kpi.objects.for_user(request.user).select_related("agreement")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            services.save_kpi_return(kpi_return=obj, user=request.user)
        except services.ReturnTaken as taken:
            # Sent by someone else after this form was checked: the form again, as typed.
            raise SaveRefused(ValidationError(taken_message(taken.existing))) from taken
        except ValidationError as exc:
            raise SaveRefused(exc) from exc

    @admin.display(description="organisation", ordering="kpi__agreement__organisation__name")
    def organisation(self, obj):
        return obj.kpi.agreement.organisation

    @admin.display(description="quarter", ordering="financial_year")
    def period_label(self, obj):
        return obj.period.label

    @admin.display(description="target")
    def target(self, obj):
        return obj.kpi.target

    @admin.display(description="rating", ordering="rating_value")
    def rating_tag(self, obj):
        if obj.pk is None:
            return "–"
        value = getattr(obj, "rating_value", None) or obj.rating
        return rag_tag(value)

    def overdue_view(self, request):
        """Every KPI return that is due and not in, with a link to record it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        agreements = Agreement.objects.for_user(request.user)
        items = [
            {
                "kpi": kpi,
                "quarter": quarter,
                "due": return_deadline(quarter),
                "add_url": return_url(kpi, quarter),
            }
            for kpi, quarter in overdue_returns(today=today, agreements=agreements)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Overdue KPI returns",
            "opts": self.model._meta,
            "items": items,
            "today": today,
            "this_quarter": Quarter.containing(today),
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/partners/kpireturn/overdue.html", context)


@admin.register(Grant)
class GrantAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "title", "organisation", "programme", "amount", "award_date"]
    list_filter = ["programme", "award_date", "organisation__kind"]
    search_fields = ["reference", "title", "programme", "organisation__name", "purpose"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["identifier_360g", "created", "modified"]
    date_hierarchy = "award_date"
    actions = ["export_360giving_json", "export_360giving_csv"]

    @admin.display(description="360Giving identifier")
    def identifier_360g(self, obj):
        return exports.grant_identifier(obj) if obj.reference else "–"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("360giving.json", view(self.all_json), name="partners_grant_360giving_json"),
            path("360giving.csv", view(self.all_csv), name="partners_grant_360giving_csv"),
            *super().get_urls(),
        ]

    @admin.action(description="Export selected grants as 360Giving JSON")
    def export_360giving_json(self, request, queryset):
        return self._json(queryset)

    @admin.action(description="Export selected grants as 360Giving CSV")
    def export_360giving_csv(self, request, queryset):
        return csv_response(exports.grants_360giving_csv(queryset), "grants-360giving.csv")

    def all_json(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self._json(self.get_queryset(request))

    def all_csv(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        content = exports.grants_360giving_csv(self.get_queryset(request))
        return csv_response(content, "grants-360giving.csv")

    def _json(self, queryset):
        response = HttpResponse(
            json.dumps(exports.grants_360giving(queryset), indent=2),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="grants-360giving.json"'
        return response
