"""How volunteering counts the KPI measures its records answer (registered in
VolunteeringConfig.ready)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Sum

from partners.measures import Computed, Period, period_text, plural
from partners.performance import Measure, aware_midnight
from volunteering.models import Interest, InterestEvent, VolunteerHours


def hours(org_ids: set[int], period: Period) -> dict:
    rows = (
        VolunteerHours.objects.confirmed()
        .filter(
            interest__role__organisation_id__in=org_ids, date__range=(period.start, period.until)
        )
        .order_by()
        .values(org=F("interest__role__organisation_id"))
        .annotate(
            hours=Sum("confirmed_hours"),
            volunteers=Count("interest", distinct=True),
            entries=Count("pk"),
        )
    )
    found = {row["org"]: row for row in rows}
    text = period_text(period)
    figures = {}
    for org in org_ids:
        row = found.get(org, {"hours": 0, "volunteers": 0, "entries": 0})
        hours = Decimal(row["hours"] or 0)
        figures[(Measure.VOLUNTEER_HOURS, org)] = Computed(
            hours,
            lambda row=row, hours=hours: (
                f"{plural(hours, 'confirmed hour', 'confirmed hours')} given by "
                f"{plural(row['volunteers'], 'volunteer', 'volunteers')} in its roles "
                f"({plural(row['entries'], 'entry', 'entries')}) {text}. Hours not yet "
                "confirmed by the organisation are not counted."
            ),
        )
    return figures


def placements(org_ids: set[int], period: Period) -> dict:
    rows = (
        InterestEvent.objects.filter(
            to_status=Interest.Status.PLACED,
            interest__role__organisation_id__in=org_ids,
            at__gte=aware_midnight(period.start),
            at__lt=aware_midnight(period.until + dt.timedelta(days=1)),
        )
        .order_by()
        .values(org=F("interest__role__organisation_id"))
        .annotate(placed=Count("interest", distinct=True))
    )
    found = {row["org"]: row["placed"] for row in rows}
    text = period_text(period)
    figures = {}
    for org in org_ids:
        placed = found.get(org, 0)
        figures[(Measure.PLACEMENTS, org)] = Computed(
            Decimal(placed),
            lambda placed=placed: (
                f"{plural(placed, 'volunteer', 'volunteers')} moved to “placed” in its roles "
                f"{text} (each volunteer counted once)."
            ),
        )
    return figures
