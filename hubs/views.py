"""Public hub pages, and the coordinators' staff pages (log a session, reports, import).

Staff pages declare their permission and look everything up through `for_user()`: a
coordinator only ever reaches their own hubs' records.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from core.forms import valid_pk
from core.onetime import OneTimeFormMixin
from core.reports import TableExportMixin
from core.scope import scope_of
from core.staff import StaffPermissionRequiredMixin
from directory import cache as search_cache
from hubs import extensions, reports, services
from hubs.asset_map import LIMIT as ASSET_MAP_LIMIT
from hubs.asset_map import AssetMap, asset_map
from hubs.forms import (
    IMPORT_COLUMNS,
    AssetMapForm,
    HubReportFilterForm,
    ImportForm,
    LogSessionForm,
)
from hubs.models import Activity, Engagement, Hub, Referral, next_seven_days

JUST_SAVED = "hubs_just_saved"  # session key: the session to offer Change / Undo for

# --- Public pages ---------------------------------------------------------------------------


class HubListView(ListView):
    template_name = "hubs/hub_list.html"
    context_object_name = "hubs"

    def get_queryset(self):
        return Hub.objects.public().select_related("area", "location", "lead_partner")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hubs = context["hubs"]
        context["open_hubs"] = [h for h in hubs if h.status == Hub.Status.OPEN]
        context["coming_hubs"] = [h for h in hubs if h.status == Hub.Status.IN_DEVELOPMENT]
        return context


class HubDetailView(DetailView):
    template_name = "hubs/hub_detail.html"
    context_object_name = "hub"

    def get_queryset(self):
        activities = Activity.objects.filter(is_active=True).select_related("run_by", "location")
        return (
            Hub.objects.public()
            .select_related("area", "location", "lead_partner")
            .prefetch_related(Prefetch("activities", queryset=activities, to_attr="published"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hub = self.object
        days = []
        if hub.status == Hub.Status.OPEN:
            now = timezone.localtime()
            for day in next_seven_days(now.date()):
                sessions = [
                    a
                    for a in hub.published
                    if a.weekday == day.weekday() and (day > now.date() or a.end_time > now.time())
                ]
                if sessions:
                    days.append({"date": day, "activities": sessions})
        context["days"] = days
        context["panels"] = extensions.hub_page_panels(self.request, hub)
        return context


# --- Staff pages ----------------------------------------------------------------------------


class StaffMixin(StaffPermissionRequiredMixin):
    """Sign-in with the second factor and a model permission (see core.staff)."""

    def user_hubs(self):
        if not hasattr(self, "_user_hubs"):
            self._user_hubs = list(Hub.objects.for_user(self.request.user))
        return self._user_hubs

    def is_officer(self):
        return scope_of(self.request.user).is_officer


class StaffHomeView(StaffMixin, TemplateView):
    permission_required = "hubs.view_engagement"
    template_name = "hubs/staff/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            just_saved=self.just_saved(), **self.figures(today), **kwargs
        )

    def just_saved(self):
        """The session the user saved a moment ago, while it may still be undone."""
        pk = self.request.session.pop(JUST_SAVED, None)
        if not isinstance(pk, int):
            return None
        engagement = Engagement.objects.for_user(self.request.user).filter(pk=pk).first()
        user = self.request.user
        if engagement and services.may_undo(user=user, engagement=engagement):
            return engagement
        return None

    def figures(self, today):
        figures = reports.this_month(
            Engagement.objects.for_user(self.request.user), hubs=self.user_hubs(), today=today
        )
        return {
            "figures": figures,
            "month": date_format(today, "F Y"),
            "is_officer": self.is_officer(),
            "can_add": self.request.user.has_perm("hubs.add_engagement"),
        }


class LogSessionView(StaffMixin, OneTimeFormMixin, FormView):
    """The fast "log today's session" form, built for a phone. A double tap saves once."""

    permission_required = "hubs.add_engagement"
    template_name = "hubs/staff/log_session.html"
    form_class = LogSessionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        if earlier := form.saved_already():
            # Shown again with a warning and a "Save anyway" button (nothing saved).
            return self.render_to_response(self.get_context_data(form=form, earlier=earlier))
        try:
            engagement = services.record_engagement(
                user=self.request.user,
                engagement=form.save(commit=False),
                referrals=form.referral_list(),
            )
        except ValidationError as exc:  # a rule the form did not see (e.g. a race)
            form.add_error(None, exc)
            return self.form_invalid(form)
        what = engagement.activity.name if engagement.activity else "a drop-in session"
        session = (
            f"{engagement.people} people at {what}, {engagement.hub}, on "
            f"{date_format(engagement.date, 'j F Y')}"
        )
        messages.success(self.request, f"Saved: {session}.")
        # The home page offers Change and Undo for it (JUST_SAVED), a repeat included.
        self.request.session[JUST_SAVED] = engagement.pk
        self.once_saved(
            message=f"This session was already saved: {session}.",
            link=[
                reverse("admin:hubs_engagement_change", args=[engagement.pk]),
                "See the saved session",
            ],
            session={JUST_SAVED: engagement.pk},
        )
        return redirect("hubs_staff:home")


class UndoSessionView(StaffMixin, View):
    """Undo from the "Saved" banner: deletes a session the user saved minutes ago (the
    service checks whose it is and how long ago); another hub's session is a 404."""

    permission_required = "hubs.delete_engagement"
    http_method_names = ["post"]

    def post(self, request, pk):
        if valid_pk(pk) is None:  # past a bigint: the database would refuse the lookup
            raise Http404("No such session")
        engagement = get_object_or_404(
            Engagement.objects.for_user(request.user).select_related("hub", "activity"), pk=pk
        )
        what = engagement.activity.name if engagement.activity else "a drop-in session"
        try:
            services.undo_engagement(user=request.user, engagement=engagement)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("hubs_staff:home")
        request.session.pop(JUST_SAVED, None)
        messages.success(
            request,
            f"Undone: the session of {engagement.people} people at {what} on "
            f"{date_format(engagement.date, 'j F Y')} is deleted. Log it again below.",
        )
        return redirect("hubs_staff:log")


class ReportMixin(StaffMixin):
    permission_required = "hubs.view_engagement"

    def get_report(self):
        """(filter form, tables or None). Another hub's id in the URL is a 404."""
        hubs = Hub.objects.for_user(self.request.user)
        data = self.request.GET or HubReportFilterForm.default_data(timezone.localdate())
        form = HubReportFilterForm(data, hubs=hubs)
        if not form.is_valid():
            if "hub" in form.errors:
                raise Http404("No such hub")
            return form, None
        chosen = form.cleaned_data["hub"]
        columns = [chosen] if chosen else self.user_hubs()
        if chosen:
            total = chosen.name
        elif self.is_officer():
            total = "Borough total"
        else:
            total = "Your hubs" if len(columns) > 1 else (columns[0].name if columns else "Total")
        tables = reports.build(
            Engagement.objects.for_user(self.request.user),
            Referral.objects.for_user(self.request.user),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            hubs=columns,
            total_label=total,
        )
        return form, tables


class ReportView(ReportMixin, TemplateView):
    template_name = "hubs/staff/reports.html"

    def get_context_data(self, **kwargs):
        form, tables = self.get_report()
        query = self.request.GET.urlencode()
        return super().get_context_data(form=form, tables=tables, query=query, **kwargs)


class ReportExportView(ReportMixin, TableExportMixin, View):
    filename_prefix = "hub-engagements"


class ImportView(StaffMixin, OneTimeFormMixin, FormView):
    permission_required = "hubs.add_engagement"
    template_name = "hubs/staff/import.html"
    form_class = ImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(columns=IMPORT_COLUMNS, **kwargs)

    def form_valid(self, form):
        count = services.import_engagements(user=self.request.user, forms=form.row_forms)
        messages.success(self.request, f"Imported {count} sessions.")
        self.once_saved(
            message=f"This file was already imported ({count} sessions): it was sent twice, "
            "and imported once."
        )
        return redirect(reverse("hubs_staff:home"))


class AssetMapView(TemplateView):
    """The community asset map: hubs and services' places by category, as a list grouped by
    town (the complete view, without JavaScript) and as markers on the search results' map.
    Three queries at most: the categories (cached with the search filters), the services'
    places and the hubs. An unknown category is an error message and no results, not a 500."""

    template_name = "hubs/asset_map.html"

    def get_context_data(self, **kwargs):
        terms, towns = search_cache.filter_choices()
        form = AssetMapForm(self.request.GET or None, terms=terms, towns=towns)
        chosen, town, show_hubs, found = None, None, True, AssetMap()
        if form.is_bound and form.is_valid():
            chosen = form.cleaned_data["category"]
            town = form.cleaned_data["town"]
            show_hubs = form.cleaned_data["hubs"]
        if not form.errors:
            # A category and its sub-categories, from the cached list: no query for them.
            pks = chosen and [t.pk for t in terms if chosen.pk in (t.pk, t.parent_id)]
            found = asset_map(categories=pks or None, town=town and town.pk, hubs=show_hubs)
        return super().get_context_data(
            form=form,
            category=chosen,
            town=town,
            show_hubs=show_hubs,
            assets=found,
            limit=ASSET_MAP_LIMIT,
            map={
                "markers": found.markers,
                "tiles": settings.MAP_TILE_URL,
                "attribution": settings.MAP_ATTRIBUTION,
            },
            **kwargs,
        )
