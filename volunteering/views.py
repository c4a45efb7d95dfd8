"""Public volunteering pages (search, role pages, the two interest forms) and the staff
hours report."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, FormView, TemplateView, View

from core.forms import page_number
from core.onetime import OneTimeFormMixin
from core.ratelimit import RateLimitedFormMixin
from core.reports import TableExportMixin
from core.staff import StaffPermissionRequiredMixin
from directory.models import Area
from hubs.forms import HubReportFilterForm
from hubs.models import Hub
from volunteering import reports, services
from volunteering.filters import RoleFilter
from volunteering.forms import ExpressInterestForm, GeneralInterestForm
from volunteering.models import Role, Skill, VolunteerHours

PAGE_SIZE = 20
SESSION_KEY = "volunteering_interest"


def public_roles():
    return (
        Role.objects.public()
        .select_related("organisation", "area", "hub")
        .prefetch_related("skills")
    )


class RoleSearchView(TemplateView):
    """Find a role: keywords and filters, a shareable URL, a constant number of queries."""

    template_name = "volunteering/search.html"

    def get_context_data(self, **kwargs):
        filterset = RoleFilter(
            self.request.GET,
            queryset=public_roles(),
            areas=Area.objects.filter(kind=Area.Kind.TOWN).only("pk", "name", "slug"),
            skills=Skill.objects.all(),
            hubs=Hub.objects.public().only("pk", "name", "slug"),
        )
        context = super().get_context_data(filterset=filterset, form=filterset.form, **kwargs)
        if not filterset.is_valid():
            context.update(roles=[], count=0, page_obj=None)
            return context
        paginator = Paginator(filterset.qs, PAGE_SIZE)
        page = paginator.get_page(page_number(self.request.GET.get("page")))
        context.update(
            roles=list(page.object_list),
            count=paginator.count,
            page_obj=page,
            page_range=paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
            searched=any(v for k, v in self.request.GET.items() if k != "page"),
        )
        return context


class RoleDetailView(DetailView):
    template_name = "volunteering/role_detail.html"
    context_object_name = "role"

    def get_queryset(self):
        return public_roles().select_related("hub__location")


class InterestFormMixin(OneTimeFormMixin, RateLimitedFormMixin):
    """Rate limited; sent twice (a double tap), saved once and answered the same."""

    http_method_names = ["get", "post", "head", "options"]

    def done(self, interest):
        sent = {
            "reference": interest.reference,
            "role": interest.role.title if interest.role else "",
            "organisation": interest.role.organisation.name if interest.role else "",
        }
        self.request.session[SESSION_KEY] = sent
        self.once_saved(session={SESSION_KEY: sent})
        return redirect("volunteering:interest_sent")


class ExpressInterestView(InterestFormMixin, FormView):
    """The short "express interest" form for one open role."""

    template_name = "volunteering/express_interest.html"
    form_class = ExpressInterestForm

    def dispatch(self, request, *args, **kwargs):
        self.role = get_object_or_404(
            Role.objects.public().select_related("organisation"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "role": self.role}

    def get_context_data(self, **kwargs):
        return super().get_context_data(role=self.role, **kwargs)

    def form_valid(self, form):
        try:
            interest = services.express_interest(interest=form.save(commit=False), role=self.role)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return self.done(interest)


class GeneralInterestView(InterestFormMixin, FormView):
    """ "I'd like to help": an offer not tied to a role."""

    template_name = "volunteering/general_interest.html"
    form_class = GeneralInterestForm

    def form_valid(self, form):
        try:
            interest = services.express_interest(
                interest=form.save(commit=False),
                skills=form.cleaned_data["skills"],
                areas=form.cleaned_data["areas"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        return self.done(interest)


class InterestSentView(TemplateView):
    template_name = "volunteering/interest_sent.html"

    def get(self, request, *args, **kwargs):
        if not isinstance(request.session.get(SESSION_KEY), dict):
            return redirect("volunteering:search")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sent=self.request.session[SESSION_KEY],
            contact_days=settings.VOLUNTEERING_STAGE_TARGETS.get("new", 5),
            **kwargs,
        )


# --- Staff: the hours report ----------------------------------------------------------------


class HoursReportMixin(StaffPermissionRequiredMixin):
    permission_required = "volunteering.view_volunteerhours"

    def get_report(self):
        """(filter form, tables or None). Hours are scoped to what the user may see."""
        data = self.request.GET or HubReportFilterForm.default_data(timezone.localdate())
        form = HubReportFilterForm(data, hubs=Hub.objects.all())
        if not form.is_valid():
            return form, None
        tables = reports.build(
            VolunteerHours.objects.for_user(self.request.user),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            hub=form.cleaned_data["hub"],
        )
        return form, tables


class HoursReportView(HoursReportMixin, TemplateView):
    template_name = "volunteering/staff/hours_report.html"

    def get_context_data(self, **kwargs):
        form, tables = self.get_report()
        figures = None
        if tables is not None:
            monthly = tables[0]
            figures = {
                "confirmed": reports.number(sum(row[1] for row in monthly.rows)),
                "awaiting": reports.number(sum(row[3] for row in monthly.rows)),
            }
        return super().get_context_data(
            form=form,
            tables=tables,
            figures=figures,
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class HoursReportExportView(HoursReportMixin, TableExportMixin, View):
    filename_prefix = "volunteer-hours"
