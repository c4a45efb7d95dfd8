"""KPI returns (/staff/returns/): what a partner contact has to report, and when.

A partner contact sees their own organisations' live agreements only (officers see every
one): each KPI's return for the last quarter, pre-filled from the system's records where the
KPI is linked to a measure, the figure so far this quarter, and reminders as the deadline
nears. Returns are submitted on the KPI return form in the staff admin, whose KPI list is
scoped the same way.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.forms import valid_pk
from core.staff import StaffPermissionRequiredMixin
from partners import measures
from partners.forms import return_url
from partners.models import Agreement, Kpi, KpiReturn, waiting_returns
from partners.performance import (
    RATING_TAGS,
    Quarter,
    Rating,
    missing_quarters,
    rate,
    reminding,
    return_deadline,
)

AGREEMENTS_PER_PAGE = 25
REMINDERS_LISTED = 10


def returns_overview(user, today: dt.date, page_number=None) -> dict:
    """A page of agreements with their KPIs' return status, and the reminders across all of
    them. A constant number of queries: the page, the KPIs and their returns, the returns
    still waiting, and the computed figures for two quarters."""
    agreements = (
        Agreement.objects.for_user(user)
        .live()
        .filter(Exists(Kpi.objects.filter(agreement=OuterRef("pk"))))  # only those with KPIs
        .select_related("organisation")
        .order_by("organisation__name", "reference", "pk")
    )
    paginator = Paginator(agreements, AGREEMENTS_PER_PAGE)
    page = paginator.get_page(page_number)
    kpis = list(
        Kpi.objects.filter(agreement__in=[a.pk for a in page])
        .select_related("agreement__organisation")
        .order_by("agreement__organisation__name", "agreement__reference", "name")
    )
    submitted = defaultdict(dict)
    for ret in KpiReturn.objects.filter(kpi__in=[k.pk for k in kpis]).only(
        "kpi_id", "financial_year", "quarter", "value", "computed_value", "submitted_at"
    ):
        submitted[ret.kpi_id][ret.period] = ret
    this_quarter = Quarter.containing(today)
    last_quarter = this_quarter.previous()
    due_by = return_deadline(last_quarter)
    covering_last = [k for k in kpis if k.covers(last_quarter)]
    covers_last = {k.pk for k in covering_last}
    last_figures = measures.compute(covering_last, last_quarter, today)
    so_far = measures.compute([k for k in kpis if k.covers(this_quarter)], this_quarter, today)
    can_submit = user.has_perm("partners.add_kpireturn")

    groups = {}
    for kpi in kpis:
        agreement = kpi.agreement
        returns = submitted[kpi.pk]
        row = {
            "kpi": kpi,
            "covers_last": kpi.pk in covers_last,
            "return": returns.get(last_quarter),
            "computed": last_figures.get(kpi.pk),
            "so_far": so_far.get(kpi.pk),
            "submit_url": return_url(kpi, last_quarter) if can_submit else "",
            "earlier_missing": [
                q
                for q in missing_quarters(kpi.first_day, agreement.end_date, set(returns), today)
                if q != last_quarter
            ],
        }
        if row["return"] is not None:
            row["rating"] = rate(row["return"].value, kpi.target, kpi.direction)
            row["tag"] = RATING_TAGS[row["rating"]]
        elif row["covers_last"]:
            row["overdue"] = today > due_by
        groups.setdefault(agreement.pk, {"agreement": agreement, "rows": []})["rows"].append(row)

    reminders, waiting_count = [], 0
    if reminding(today):
        waiting = waiting_returns(agreements, last_quarter)
        waiting_count = waiting.count()
        reminders = [
            {"kpi": kpi, "submit_url": return_url(kpi, last_quarter) if can_submit else ""}
            for kpi in waiting.select_related("agreement")[:REMINDERS_LISTED]
        ]
    return {
        "agreements": list(groups.values()),
        "page_obj": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1),
        "reminders": reminders,
        "reminders_more": waiting_count - len(reminders),
        "waiting_count": waiting_count,
        "last_quarter": last_quarter,
        "this_quarter": this_quarter,
        "due_by": due_by,
        "days_left": (due_by - today).days,
        "counted_until": measures.counted_until(this_quarter, today),
        "can_submit": can_submit,
        "grace_days": settings.PARTNERS_RETURN_GRACE_DAYS,
    }


class ReturnsView(StaffPermissionRequiredMixin, TemplateView):
    template_name = "partners/returns.html"
    permission_required = "partners.view_kpi"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        overview = returns_overview(self.request.user, today, self.request.GET.get("page"))
        return super().get_context_data(today=today, **overview, **kwargs)


# What happens after a return, by rating (Procurement Act 2023 wording).
NEXT_STEPS = {
    Rating.GOOD: "No action is needed: the council's lead officer sees this return on the "
    "agreement.",
    Rating.APPROACHING: "The council's lead officer reviews the return and may ask how you "
    "plan to reach the target next quarter.",
    Rating.REQUIRES_IMPROVEMENT: "The council's lead officer will contact you to talk about "
    "the shortfall and agree what will change before the next return.",
    Rating.INADEQUATE: "The council's lead officer will contact you to agree an improvement "
    "plan. The agreement may be reviewed if performance does not improve.",
}


class ReturnDetailView(StaffPermissionRequiredMixin, TemplateView):
    """One KPI return with its rating and what happens next: where a partner contact lands
    after submitting one. Another organisation's return is a 404."""

    template_name = "partners/return_detail.html"
    permission_required = "partners.view_kpireturn"

    def get_context_data(self, **kwargs):
        pk = valid_pk(self.kwargs["pk"])
        returns = KpiReturn.objects.for_user(self.request.user).select_related(
            "kpi__agreement__organisation", "kpi__agreement__lead_officer", "submitted_by"
        )
        kpi_return = get_object_or_404(returns, pk=pk) if pk else None
        if kpi_return is None:
            raise Http404("No such return")
        rating = kpi_return.rating
        following = kpi_return.period.next()
        agreement = kpi_return.kpi.agreement
        return super().get_context_data(
            kpi_return=kpi_return,
            kpi=kpi_return.kpi,
            agreement=agreement,
            rating=rating,
            tag=RATING_TAGS[rating],
            next_step=NEXT_STEPS[rating],
            following=following if kpi_return.kpi.covers(following) else None,
            following_due=return_deadline(following),
            **kwargs,
        )
