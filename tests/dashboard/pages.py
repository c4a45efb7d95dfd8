"""Reading the staff dashboard (/staff/), and the independent counts its figures are checked
against: plain Python over the rows (loops, `partners.performance.rate`,
`volunteering.pipeline.flag`), never the dashboard's own querysets. Every linked figure is
followed as the same user, and the admin list behind it must hold exactly that many records.
"""

import datetime
import html
from decimal import Decimal

from django.utils import timezone

from dashboard.views import linked_figures
from partners.performance import Rating, rate
from tests.factories import (
    AgreementFactory,
    KpiFactory,
    KpiReturnFactory,
)

URL = "/staff/"
D = Decimal


def today():
    return timezone.localdate()


def month_start(day):
    return day.replace(day=1)


def months_back(day, n):
    """The first day of the month n months before day's month."""
    year, month = divmod(day.year * 12 + day.month - 1 - n, 12)
    return datetime.date(year, month + 1, 1)


# --- Independent counts ---------------------------------------------------------------------


def engagement_totals(engagements, start, end):
    rows = [e for e in engagements if start <= e.date <= end]
    return sum(e.people for e in rows), sum(e.new_people for e in rows), len(rows)


def worst_latest_rating(agreement):
    """The RAG an agreement should have: the worst rating among its KPIs' latest returns."""
    order = list(Rating)
    worst = None
    for kpi in agreement.kpis.all():
        returns = sorted(kpi.returns.all(), key=lambda r: (r.financial_year, r.quarter))
        if returns:
            rating = rate(returns[-1].value, kpi.target, kpi.direction)
            if worst is None or order.index(rating) > order.index(worst):
                worst = rating
    return worst


def is_listed(service):
    return service.publication == "published" and service.status in (
        "active",
        "temporarily closed",
    )


def towns_of(service):
    towns = set()
    for location in service.locations.all():
        if location.area_id:
            towns.add(location.area.parent_id or location.area_id)
    return towns


# --- Reading the page -----------------------------------------------------------------------


def section(response, name):
    return response.context["sections"][name]


def figure(section_data, label_start):
    found = [f for f, label in section_data["figures"] if label.startswith(label_start)]
    assert len(found) == 1, (label_start, [label for _, label in section_data["figures"]])
    return found[0]


def table(section_data, slug):
    return next(t for t in section_data["tables"] if t.slug == slug)


def row(table_data, label):
    rows = [*table_data.rows, *([table_data.total] if table_data.total else [])]
    found = [r for r in rows if (r[0]["label"] if isinstance(r[0], dict) else r[0]) == label]
    assert len(found) == 1, label
    return found[0]


def values(cells):
    return [cell.value for cell in cells]


def follow_every_link(client, response):
    """Open every linked figure as the same user: the list must hold exactly its records."""
    content = response.content.decode()
    figures = list(linked_figures(response.context["sections"]))
    assert figures
    for fig in figures:
        assert html.escape(fig.url) in content, fig.url
        page = client.get(fig.url)
        assert page.status_code == 200, fig.url
        if "cl" in page.context:
            cl = page.context["cl"]
            assert "e=1" not in page.request["QUERY_STRING"], fig.url  # an ignored filter
            assert cl.result_count == fig.list_count, (fig.url, cl.result_count, fig)
        else:  # the overdue returns page
            assert len(page.context["items"]) == fig.list_count, fig.url
    return figures


def agreement_with(returns, **kwargs):
    """An agreement with one KPI per entry of `returns`: (target, direction, [(fy, q, value)])."""
    agreement = AgreementFactory(**kwargs)
    for target, direction, values_ in returns:
        kpi = KpiFactory(agreement=agreement, target=D(target), direction=direction)
        for fy, quarter, value in values_:
            KpiReturnFactory(kpi=kpi, financial_year=fy, quarter=quarter, value=D(value))
    return agreement
