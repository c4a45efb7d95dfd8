"""Agreements, with their objectives, KPIs and documents inline, and their filters."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin import refusals
from core.forms import valid_pk
from core.roles import OFFICER
from partners import documents, exports, measures, services
from partners.admin.base import PartnersAdminMixin, csv_response, rag_tag
from partners.forms import (
    PrivateFileInput,
    return_url,
)
from partners.models import (
    Agreement,
    Document,
    Kpi,
    Objective,
    PolicyOutcome,
)
from partners.performance import Quarter, Rating, due_quarters, return_deadline


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
    money_fields = ["annual_value"]
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
