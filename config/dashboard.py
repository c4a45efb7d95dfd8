"""The staff dashboard (/staff/): the whole picture on one page, the first page after sign-in.

Who sees what. Each section needs the view permission on the records behind it, and reads them
through the same `for_user()` querysets as the admin lists its figures link to:

- officers (and superusers): every section, for the whole borough;
- hub coordinators: hub engagements at their hubs only (they hold no permissions on partners,
  the directory or volunteering, so those sections, and their links, are not theirs);
- partner contacts: their organisations' agreements (KPI ratings, overdue returns, dates
  coming up) and volunteering (interests in their roles, their volunteers' hours);
- a staff account with none of these permissions goes to the admin index.

Every figure links to an admin list (or staff page) filtered to exactly the records counted,
so the list's count is the figure (the tests follow every link). Figures are aggregated in
the database: each function below runs one or two queries, whatever the data size.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.generic import TemplateView

from config.functions import MonthStart
from config.staff import StaffPermissionRequiredMixin
from directory import cache as search_cache
from directory.models import Area, Service, Suggestion, TaxonomyTerm, stale_condition
from hubs import cache as engagement_cache
from hubs.models import Engagement, Hub, visible_hub_ids
from hubs.reports import Table, months_between
from partners.models import RATING_RANKS, Agreement, overdue_returns, waiting_returns
from partners.performance import Rating, aware_midnight, reminding, return_deadline
from volunteering import pipeline
from volunteering.models import Interest, VolunteerHours
from volunteering.reports import number

HUBS_PERMISSION = "hubs.view_engagement"
PARTNERS_PERMISSION = "partners.view_agreement"
DIRECTORY_PERMISSION = "directory.view_service"
SUGGESTIONS_PERMISSION = "directory.view_suggestion"
INTERESTS_PERMISSION = "volunteering.view_interest"
HOURS_PERMISSION = "volunteering.view_volunteerhours"
SECTION_PERMISSIONS = (
    HUBS_PERMISSION,
    PARTNERS_PERMISSION,
    DIRECTORY_PERMISSION,
    INTERESTS_PERMISSION,
    HOURS_PERMISSION,
)
DUE_SOON_SHOWN = 10  # agreements listed by name; the figure links to all of them
# GOV.UK tag colours for the ratings; the words carry the meaning, colour only helps.
RATING_TAGS = {
    Rating.GOOD: "govuk-tag--green",
    Rating.APPROACHING: "govuk-tag--yellow",
    Rating.REQUIRES_IMPROVEMENT: "govuk-tag--orange",
    Rating.INADEQUATE: "govuk-tag--red",
}
NO_RETURNS = "No KPI returns yet"


@dataclass
class Figure:
    """A number on the dashboard and the admin list of the records behind it.

    `rows` is how many records that list shows when it is not the figure itself: a headcount
    of people links to the sessions it adds up, a total of hours to the entries."""

    value: int | float | Decimal
    url: str = ""
    rows: int | None = None

    @property
    def list_count(self):
        return self.value if self.rows is None else self.rows


@dataclass
class DashTable:
    """A table whose cells (after the first column) are Figures; `chart` is the plain
    hubs.reports.Table the SVG bar chart include draws from the `chart_column`."""

    slug: str
    title: str
    caption: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    chart_column: int | None = None
    total: list | None = None  # a last row, in the table's foot

    @property
    def chart(self):
        if self.chart_column is None:
            return None
        return Table(
            slug=self.slug,
            title=self.title,
            columns=[self.columns[0], self.columns[self.chart_column]],
            rows=[[row[0], row[self.chart_column].value] for row in self.rows],
            caption=self.caption,
        )

    @property
    def display_rows(self):
        """Rows for the template: the row's label, and each cell with its column's name (for
        the link's hidden text: "12" alone says little out of context)."""
        return [self._display(row) for row in self.rows]

    @property
    def display_total(self):
        return self._display(self.total) if self.total else None

    def _display(self, row):
        head = row[0]
        label = head["label"] if isinstance(head, dict) else head
        return {
            "head": head,
            "label": label,
            "cells": [
                {"figure": cell, "column": column}
                for cell, column in zip(row[1:], self.columns[1:], strict=True)
            ],
        }

    def figures(self):
        for row in [*self.rows, *([self.total] if self.total else [])]:
            yield from (cell for cell in row[1:] if isinstance(cell, Figure))


def changelist(model: str, **params) -> str:
    """The admin list of `app_model`, filtered by these query parameters."""
    url = reverse(f"admin:{model}_changelist")  # Django caches the resolver: cheap
    return f"{url}?{urlencode(params)}" if params else url


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def twelve_months_from(today: datetime.date) -> datetime.date:
    """The first day of the month eleven months back: this month and the eleven before it."""
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


# --- Hub engagements ----------------------------------------------------------------------


def engagement_rows(engagements, *, start, until):
    """People, new people and sessions per hub per month from `start` to before `until`:
    one aggregated query (PostgreSQL reads it from the (hub, date) index)."""
    return list(
        engagements.filter(date__gte=start, date__lt=until)
        .annotate(month=MonthStart("date"))
        .values("month", "hub_id")
        .annotate(people=Sum("people"), new=Sum("new_people"), sessions=Count("pk"))
        .order_by()
    )


def _engagement_figures(rows, **params):
    """(people, new people, sessions) Figures over these rows, each linking to the sessions."""
    people = sum(r["people"] or 0 for r in rows)
    new = sum(r["new"] or 0 for r in rows)
    sessions = sum(r["sessions"] for r in rows)
    url = changelist("hubs_engagement", **params)
    return (
        Figure(people, url, rows=sessions),
        Figure(new, url, rows=sessions),
        Figure(sessions, url),
    )


def hub_section(user, today):
    """This month and the last twelve, per month and per hub: three queries, or two while the
    months that have ended are cached."""
    officer = visible_hub_ids(user) is None
    hubs = list(Hub.objects.for_user(user).only("pk", "name"))
    if not hubs:
        return {"hubs": [], "figures": [], "tables": []}
    start, month, until = (
        twelve_months_from(today),
        first_of_month(today),
        today + datetime.timedelta(days=1),
    )
    # Months that have ended, for every hub: cached until an engagement changes. This month:
    # counted now, for their hubs (PostgreSQL reads it from the covering (hub, date) index).
    past = engagement_cache.cached(
        f"dashboard-months:{start}:{month}",
        lambda: engagement_rows(Engagement.objects.all(), start=start, until=month),
    )
    engagements = Engagement.objects.for_user(user).filter(hub__in=[hub.pk for hub in hubs])
    rows = [*past, *engagement_rows(engagements, start=month, until=until)]
    mine = {hub.pk for hub in hubs}
    rows = [r for r in rows if r["hub_id"] in mine]  # never a figure from a hub not theirs
    mine_label = hubs[0].name if len(hubs) == 1 else "Your hubs"
    total_label = "Borough total" if officer else mine_label

    def dates(first):
        return {"date__gte": first.isoformat(), "date__lt": until.isoformat()}

    def month_dates(first):
        return {
            "date__gte": first.isoformat(),
            "date__lt": min(next_month(first), until).isoformat(),
        }

    by_month, by_hub_rows = defaultdict(list), defaultdict(list)
    for row in rows:
        by_month[row["month"]].append(row)
        by_hub_rows[row["hub_id"]].append(row)
    this_month = by_month[month]
    people, new, sessions = _engagement_figures(this_month, **month_dates(month))

    monthly = DashTable(
        slug="engagements-monthly",
        title="People each month",
        caption=f"People at hub sessions each month: {total_label}",
        columns=["Month", "People", "New people", "Sessions"],
        chart_column=1,
    )
    for first in months_between(start, today):
        in_month = by_month[first]
        monthly.rows.append(
            [date_format(first, "F Y"), *_engagement_figures(in_month, **month_dates(first))]
        )

    by_hub = DashTable(
        slug="engagements-hubs",
        title="By hub",
        caption=f"People and sessions at each hub in {date_format(month, 'F Y')} and the last "
        "12 months",
        columns=[
            "Hub",
            f"People in {date_format(month, 'F')}",
            f"Sessions in {date_format(month, 'F')}",
            "People, 12 months",
            "Sessions, 12 months",
        ],
    )
    for hub in hubs:
        hub_rows = by_hub_rows[hub.pk]
        hub_month = [r for r in hub_rows if r["month"] == month]
        m_people, _, m_sessions = _engagement_figures(
            hub_month, hub__id__exact=hub.pk, **month_dates(month)
        )
        y_people, _, y_sessions = _engagement_figures(
            hub_rows, hub__id__exact=hub.pk, **dates(start)
        )
        by_hub.rows.append([hub.name, m_people, m_sessions, y_people, y_sessions])
    if len(hubs) > 1:
        y_people, _, y_sessions = _engagement_figures(rows, **dates(start))
        by_hub.total = [total_label, people, sessions, y_people, y_sessions]
    return {
        "hubs": hubs,
        "total_label": total_label,
        "month": date_format(month, "F Y"),
        "figures": [(people, "people"), (new, "new to a hub"), (sessions, "sessions")],
        "tables": [monthly, by_hub],
    }


# --- Partners: agreements and KPI returns -------------------------------------------------


def agreement_ratings(agreements):
    """Live agreements by their worst latest KPI rating: one aggregated query."""
    rows = agreements.live().with_rag().values("rag_rank").annotate(n=Count("pk")).order_by()
    counts = {r["rag_rank"]: r["n"] for r in rows}
    table = DashTable(
        slug="agreements-rating",
        title="Live agreements by KPI rating",
        caption="Live agreements by the worst rating among their KPIs' latest returns",
        columns=["Rating", "Agreements"],
    )
    for rating, rank in RATING_RANKS.items():
        table.rows.append(
            [
                {"label": rating.label, "tag": RATING_TAGS[rating]},
                Figure(counts.get(rank, 0), changelist("partners_agreement", rag=rating.value)),
            ]
        )
    table.rows.append(
        [
            {"label": NO_RETURNS, "tag": "govuk-tag--grey"},
            Figure(counts.get(None, 0), changelist("partners_agreement", rag="none")),
        ]
    )
    live = Figure(
        sum(counts.values()),
        changelist("partners_agreement", status__in="active,under_review"),
    )
    return live, table


def overdue(agreements, today):
    """Overdue KPI returns, and the agreements they belong to: two queries."""
    pairs = overdue_returns(today=today, agreements=agreements)
    returns = Figure(len(pairs), reverse("admin:partners_kpireturn_overdue"))
    with_overdue = Figure(
        len({kpi.agreement_id for kpi, _ in pairs}),
        changelist("partners_agreement", overdue="yes"),
    )
    return returns, with_overdue


def coming_up(agreements, today):
    """Agreements ending or due for review soon: a count and the first few, two queries."""
    due = agreements.due_soon(today)
    count = Figure(due.count(), changelist("partners_agreement", due="soon"))
    until = today + datetime.timedelta(days=settings.PARTNERS_DUE_SOON_DAYS)
    shown = []
    for agreement in due.select_related("organisation").order_by("end_date", "reference")[
        :DUE_SOON_SHOWN
    ]:
        when = []
        if today <= agreement.end_date <= until:
            when.append(f"Ends on {date_format(agreement.end_date, 'j F Y')}")
        if agreement.review_date and today <= agreement.review_date <= until:
            review = date_format(agreement.review_date, "j F Y")
            when.append(f"{'review' if when else 'Review'} due on {review}")
        shown.append(
            {
                "agreement": agreement,
                "url": reverse("admin:partners_agreement_change", args=[agreement.pk]),
                "when": " and ".join(when),
            }
        )
    return count, shown


def returns_reminder(agreements, today):
    """Last quarter's returns still to submit, once reminders are due: one count query."""
    quarter = reminding(today)
    if quarter is None:
        return None
    waiting = waiting_returns(agreements.live(), quarter).count()
    if not waiting:
        return None
    deadline = return_deadline(quarter)
    return {"count": waiting, "quarter": quarter, "due_by": deadline, "overdue": today > deadline}


def partner_section(user, today):
    agreements = Agreement.objects.for_user(user)
    live, ratings = agreement_ratings(agreements)
    returns, with_overdue = overdue(agreements, today)
    due, shown = coming_up(agreements, today)
    return {
        "reminder": returns_reminder(agreements, today),
        "figures": [
            (live, "live agreements"),
            (returns, "KPI returns overdue"),
            (with_overdue, "agreements with overdue returns"),
            (due, f"ending or due for review in the next {settings.PARTNERS_DUE_SOON_DAYS} days"),
        ],
        "due": due,
        "due_shown": shown,
        "tables": [ratings],
        "days": settings.PARTNERS_DUE_SOON_DAYS,
    }


# --- Directory coverage -------------------------------------------------------------------


def listed_url(**params):
    return changelist("directory_service", public="yes", **params)


def directory_summary(listed, today):
    """Listed services and how many are stale (one aggregated query), not in any area and
    uncategorised (a count each: as separate queries PostgreSQL plans them as anti-joins,
    where inside the aggregate they would be a subquery per service)."""
    totals = listed.aggregate(listed=Count("pk"), stale=Count("pk", filter=stale_condition(today)))
    categorised = Service.categories.through.objects.filter(service=OuterRef("pk"))
    totals["no_area"] = listed.without_area().count()
    totals["uncategorised"] = listed.filter(~Exists(categorised)).count()
    return totals


def services_by_category(uncategorised):
    """Every category with its number of listed services (zero included): one query."""
    published = Q(
        services__publication=Service.Publication.PUBLISHED,
        services__status__in=[Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED],
    )
    terms = TaxonomyTerm.objects.annotate(n=Count("services", filter=published)).values_list(
        "pk", "name", "n"
    )
    table = DashTable(
        slug="services-category",
        title="Services by category",
        caption="Listed services in each category",
        columns=["Category", "Services"],
        chart_column=1,
    )
    rows = sorted(terms, key=lambda t: (-t[2], t[1]))
    for pk, name, n in rows:
        table.rows.append([name, Figure(n, listed_url(categories__id__exact=pk))])
    table.rows.append(["No category", Figure(uncategorised, listed_url(categories__isnull="True"))])
    return table


def services_by_area(listed, no_area):
    """Listed services in each town (its wards included): two queries. A service at places
    in two towns counts in both."""
    rows = (
        listed.annotate(town=Coalesce("locations__area__parent_id", "locations__area_id"))
        .exclude(town__isnull=True)
        .values("town")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    counts = {r["town"]: r["n"] for r in rows}
    table = DashTable(
        slug="services-area",
        title="Services by area",
        caption="Listed services in each area (towns with their wards)",
        columns=["Area", "Services"],
        chart_column=1,
    )
    towns = Area.objects.filter(parent__isnull=True).order_by("name").values_list("pk", "name")
    for pk, name in towns:
        table.rows.append([name, Figure(counts.get(pk, 0), listed_url(area=pk))])
    table.rows.append(["Not at a place in any area", Figure(no_area, listed_url(area="none"))])
    return table


def directory_coverage(today):
    """(totals, category table, area table): the same for every user, and costly at county
    scale, so cached until the directory next changes (the search pages' cache generation,
    which every saved change to services, places, categories and areas renews)."""

    def compute():
        listed = Service.objects.published()
        totals = directory_summary(listed, today)
        return (
            totals,
            services_by_category(totals["uncategorised"]),
            services_by_area(listed, totals["no_area"]),
        )

    key = search_cache.generation_key(f"dashboard-coverage:{today.isoformat()}")
    return cache.get_or_set(key, compute, 600)


def directory_section(user, today):
    totals, by_category, by_area = directory_coverage(today)
    figures = [
        (Figure(totals["listed"], listed_url()), "services listed"),
        (Figure(totals["stale"], listed_url(review="stale")), "not reviewed for 12 months"),
    ]
    if user.has_perm(SUGGESTIONS_PERMISSION):
        pending = Suggestion.objects.filter(status=Suggestion.Status.PENDING).count()
        figures.append(
            (
                Figure(pending, changelist("directory_suggestion", status__exact="pending")),
                "suggestions waiting for review",
            )
        )
    return {
        "figures": figures,
        "tables": [by_category, by_area],
    }


# --- Volunteering -------------------------------------------------------------------------


def interest_figures(interests, today):
    """Interests by stage, and new this month: one aggregated query; waiting past the target:
    one more."""
    month = first_of_month(today)
    created_this_month = Q(
        created__gte=aware_midnight(month), created__lt=aware_midnight(next_month(month))
    )
    rows = (
        interests.values("status")
        .annotate(n=Count("pk"), new=Count("pk", filter=created_this_month))
        .order_by()
    )
    counts = {r["status"]: r["n"] for r in rows}
    new = Figure(
        sum(r["new"] for r in rows),
        changelist("volunteering_interest", created__year=month.year, created__month=month.month),
    )
    waiting = Figure(
        interests.waiting("any", today).count(),
        changelist("volunteering_interest", waiting="any"),
    )
    table = DashTable(
        slug="interests-stage",
        title="Pipeline",
        caption="Expressions of interest at each stage",
        columns=["Stage", "Interests"],
    )
    for status in Interest.Status:
        table.rows.append(
            [
                status.label,
                Figure(
                    counts.get(status.value, 0),
                    changelist("volunteering_interest", status__exact=status.value),
                ),
            ]
        )
    placed = table.rows[list(Interest.Status).index(Interest.Status.PLACED)][1]
    return new, waiting, placed, table


def hours_figures(hours, today):
    """Confirmed hours this month and in the last 12 months, and hours awaiting confirmation:
    one aggregated query."""
    month, start = first_of_month(today), twelve_months_from(today)
    until = today + datetime.timedelta(days=1)
    confirmed = Q(confirmed_hours__isnull=False)
    in_month = confirmed & Q(date__gte=month, date__lt=until)
    in_year = confirmed & Q(date__gte=start, date__lt=until)
    awaiting = Q(confirmed_hours__isnull=True)
    totals = hours.aggregate(
        month=Sum("confirmed_hours", filter=in_month),
        month_entries=Count("pk", filter=in_month),
        year=Sum("confirmed_hours", filter=in_year),
        year_entries=Count("pk", filter=in_year),
        awaiting=Sum("hours", filter=awaiting),
        awaiting_entries=Count("pk", filter=awaiting),
    )

    def url(**params):
        return changelist("volunteering_volunteerhours", **params)

    return [
        (
            Figure(
                number(totals["month"]),
                url(confirmed="yes", date__gte=month.isoformat(), date__lt=until.isoformat()),
                rows=totals["month_entries"],
            ),
            f"hours confirmed in {date_format(month, 'F')}",
        ),
        (
            Figure(
                number(totals["year"]),
                url(confirmed="yes", date__gte=start.isoformat(), date__lt=until.isoformat()),
                rows=totals["year_entries"],
            ),
            "hours confirmed in the last 12 months",
        ),
        (
            Figure(
                number(totals["awaiting"]), url(confirmed="no"), rows=totals["awaiting_entries"]
            ),
            "hours logged, awaiting confirmation",
        ),
    ]


def volunteering_section(user, today):
    figures, tables = [], []
    if user.has_perm(INTERESTS_PERMISSION):
        new, waiting, placed, table = interest_figures(Interest.objects.for_user(user), today)
        figures += [
            (new, f"new interests in {date_format(today, 'F')}"),
            (waiting, "waiting past their target time"),
            (placed, "people placed"),
        ]
        tables.append(table)
    if user.has_perm(HOURS_PERMISSION):
        figures += hours_figures(VolunteerHours.objects.for_user(user), today)
    return {"figures": figures, "tables": tables, "targets": pipeline.stage_targets()}


# --- The page -----------------------------------------------------------------------------


def sections_for(user, today):
    """{section: its figures and tables}, for the sections this user may see."""
    sections = {}
    if user.has_perm(HUBS_PERMISSION):
        sections["hubs"] = hub_section(user, today)
    if user.has_perm(PARTNERS_PERMISSION):
        sections["partners"] = partner_section(user, today)
    if user.has_perm(DIRECTORY_PERMISSION):
        sections["directory"] = directory_section(user, today)
    if user.has_perm(INTERESTS_PERMISSION) or user.has_perm(HOURS_PERMISSION):
        sections["volunteering"] = volunteering_section(user, today)
    return sections


def linked_figures(sections):
    """Every Figure on the page that links somewhere (what the tests follow)."""
    for section in sections.values():
        for figure, _ in section.get("figures", []):
            yield figure
        for table in section.get("tables", []):
            yield from table.figures()


class DashboardView(StaffPermissionRequiredMixin, TemplateView):
    template_name = "dashboard/dashboard.html"
    permission_required = SECTION_PERMISSIONS

    def has_permission(self):
        user = self.request.user
        return any(user.has_perm(perm) for perm in self.get_permission_required())

    def handle_no_permission(self):
        # Signed in as staff, past the second factor, but nothing here is theirs.
        return redirect("admin:index")

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        sections = sections_for(self.request.user, today)
        return super().get_context_data(
            today=today,
            sections=sections,
            is_officer=visible_hub_ids(self.request.user) is None,
            **kwargs,
        )
