"""Dashboard: directory coverage (services by category and area, stale listings, suggestions
waiting)."""

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.cache import version
from dashboard.figures import SUGGESTIONS_PERMISSION, DashTable, Figure, changelist
from directory.models import Area, Service, Suggestion, TaxonomyTerm, stale_condition


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
    scale, so cached under the version key (core.cache), which every published change renews."""

    def compute():
        listed = Service.objects.published()
        totals = directory_summary(listed, today)
        return (
            totals,
            services_by_category(totals["uncategorised"]),
            services_by_area(listed, totals["no_area"]),
        )

    key = f"dashboard-coverage:{version()}:{today.isoformat()}"
    return cache.get_or_set(key, compute, 600)


def directory_section(user, today):
    totals, by_category, by_area = directory_coverage(today)
    figures = [
        (Figure(totals["listed"], listed_url()), "services listed"),
        (Figure(totals["stale"], listed_url(review="stale")), "not reviewed for 12 months"),
    ]
    if user.has_perm(SUGGESTIONS_PERMISSION):
        pending = Suggestion.objects.filter(status=Suggestion.Status.PENDING).count()
        # Those who decide go to the moderation queue (the same records, oldest first).
        if user.has_perm("directory.change_suggestion"):
            url = reverse("directory_staff:queue")
        else:
            url = changelist("directory_suggestion", status__exact="pending")
        figures.append((Figure(pending, url), "suggestions waiting for review"))
    return {
        "figures": figures,
        "tables": [by_category, by_area],
    }
