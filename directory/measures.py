"""How the directory counts the KPI measures its listings answer (registered in
DirectoryConfig.ready). Counts on the day: the directory keeps no history of what was
published when."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from directory.models import Service, stale_condition
from partners.measures import Computed, Period, day, number, plural
from partners.performance import Measure

DIRECTORY_MEASURES = {Measure.SERVICES_PUBLISHED, Measure.SERVICES_REVIEWED}


def services(org_ids: set[int], period: Period) -> dict:
    today = period.today
    rows = (
        Service.objects.published()
        .filter(organisation_id__in=org_ids)
        .order_by()
        .values("organisation_id")
        .annotate(listed=Count("pk"), reviewed=Count("pk", filter=~stale_condition(today)))
    )
    found = {row["organisation_id"]: row for row in rows}
    on = day(today)
    figures = {}
    for org in org_ids:
        row = found.get(org, {"listed": 0, "reviewed": 0})
        listed, reviewed = row["listed"], row["reviewed"]
        figures[(Measure.SERVICES_PUBLISHED, org)] = Computed(
            Decimal(listed),
            lambda listed=listed: (
                f"{plural(listed, 'service', 'services')} published in the directory on {on} "
                "(a count on the day: the directory keeps no history of earlier days)."
            ),
        )
        percent = (
            (Decimal(reviewed) * 100 / listed).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if listed
            else Decimal(0)
        )
        figures[(Measure.SERVICES_REVIEWED, org)] = Computed(
            percent,
            lambda listed=listed, reviewed=reviewed: (
                f"{number(reviewed)} of "
                f"{plural(listed, 'published service', 'published services')} reviewed in the "
                f"12 months to {on}."
            ),
        )
    return figures
