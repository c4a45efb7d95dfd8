"""KPIs and their quarterly returns."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from core.admin import SaveRefused
from core.formats import figure
from partners import services
from partners.admin.agreements import OverdueFilter
from partners.admin.base import PartnersAdminMixin, rag_tag
from partners.forms import (
    KpiReturnForm,
    return_url,
    taken_message,
)
from partners.models import (
    Agreement,
    Kpi,
    KpiReturn,
)
from partners.performance import Quarter, Rating, quarter_from, return_deadline


class KpiReturnInline(admin.TabularInline):
    model = KpiReturn
    extra = 0
    fields = [
        "period_label",
        "value_shown",
        "computed_shown",
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

    @admin.display(description="value")
    def value_shown(self, obj):
        return figure(obj.value)

    @admin.display(description="from the records")
    def computed_shown(self, obj):
        return "–" if obj.computed_value is None else figure(obj.computed_value)

    @admin.display(description="rating")
    def rating_tag(self, obj):
        return rag_tag(obj.rating)


class KpiOverdueFilter(OverdueFilter):
    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_overdue_returns(timezone.localdate())
        return queryset


@admin.register(Kpi)
class KpiAdmin(PartnersAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "agreement", "organisation", "target", "unit", "direction", "measure"]
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
    # What an officer reads in a return, in columns that fit a 1280 px screen; the figure
    # from the records and who submitted it are on the return itself.
    list_display = [
        "kpi",
        "organisation",
        "period_label",
        "value",
        "target",
        "rating_tag",
        "submitted",
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

    def response_add(self, request, obj, post_url_continue=None):
        """Whoever may not change returns (a partner contact) goes on to the return, its
        rating and what happens next, not to a list titled "Select KPI return to view"."""
        if self.has_change_permission(request, obj) or {"_addanother", "_continue"} & set(
            request.POST
        ):
            return super().response_add(request, obj, post_url_continue)
        messages.success(request, f"Return submitted: {obj.kpi.name}, {obj.period.label}.")
        return redirect("kpi_return", pk=obj.pk)

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
        return figure(obj.kpi.target)

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, obj):
        return (
            date_format(timezone.localtime(obj.submitted_at), "j M Y") if obj.submitted_at else "–"
        )

    @admin.display(description="rating", ordering="rating_value")
    def rating_tag(self, obj):
        if obj.pk is None:
            return "–"
        value = getattr(obj, "rating_value", None) or obj.rating
        return rag_tag(value)

    def overdue_view(self, request):
        """Every KPI return that is due and not in, with a link to record it; with
        ?quarter=2026-2, the returns still to come in for that quarter (overdue once its
        deadline has passed), as the dashboard's reminder counts them."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        kpis = Kpi.objects.for_user(request.user)
        quarter = quarter_from(request.GET.get("quarter", ""))
        if quarter is None:
            pairs = kpis.overdue_returns(today)
            title = "Overdue KPI returns"
        else:
            pairs = [
                (kpi, quarter)
                for kpi in kpis.waiting_for(quarter).select_related("agreement__organisation")
            ]
            late = return_deadline(quarter) < today
            title = f"{quarter.label} KPI returns {'overdue' if late else 'still to come in'}"
        items = [
            {
                "kpi": kpi,
                "quarter": quarter,
                "due": return_deadline(quarter),
                "add_url": return_url(kpi, quarter),
            }
            for kpi, quarter in pairs
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "quarter": quarter,
            "opts": self.model._meta,
            "items": items,
            "today": today,
            "this_quarter": Quarter.containing(today),
            "can_add": self.has_add_permission(request),
        }
        return TemplateResponse(request, "admin/partners/kpireturn/overdue.html", context)
