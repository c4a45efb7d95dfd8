"""Exports: agreements with their latest KPI returns (CSV), and grants in 360Giving.

360Giving: https://standard.threesixtygiving.org/ — a JSON package `{"grants": [...]}` or a CSV
whose column titles are the standard's (e.g. "Recipient Org:Identifier").
"""

import csv
import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from core.csvfiles import safe_cell
from partners.models import Kpi, KpiReturn, overdue_returns
from partners.performance import rate


def to_csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return out.getvalue()


AGREEMENT_HEADER = [
    "Reference",
    "Title",
    "Organisation",
    "Kind",
    "Status",
    "Start date",
    "End date",
    "Review date",
    "Annual value (GBP)",
    "Lead officer",
    "Outcomes",
    "KPI",
    "Unit",
    "Target per quarter",
    "Direction",
    "Latest quarter",
    "Latest value",
    "Latest rating",
    "Overdue quarters",
]


def agreements_csv(agreements, *, today: dt.date | None = None) -> str:
    """One row per KPI (one row for an agreement without KPIs), with its latest return."""
    today = today or timezone.localdate()
    agreements = agreements.select_related("organisation", "lead_officer").prefetch_related(
        "objectives__outcome",
        Prefetch(
            "kpis",
            queryset=Kpi.objects.order_by("name").prefetch_related(
                Prefetch(
                    "returns", queryset=KpiReturn.objects.order_by("-financial_year", "-quarter")
                )
            ),
        ),
    )
    overdue = defaultdict(list)
    for kpi, quarter in overdue_returns(today=today, agreements=agreements):
        overdue[kpi.pk].append(quarter.label)

    def rows():
        for a in agreements:
            outcomes = "; ".join(sorted({str(o.outcome) for o in a.objectives.all()}))
            base = [
                a.reference,
                a.title,
                a.organisation.name,
                a.get_kind_display(),
                a.get_status_display(),
                a.start_date.isoformat(),
                a.end_date.isoformat(),
                a.review_date.isoformat() if a.review_date else "",
                f"{a.annual_value:.2f}",
                a.lead_officer.get_full_name() if a.lead_officer else "",
                outcomes,
            ]
            kpis = list(a.kpis.all())
            if not kpis:
                yield base + [""] * 8
            for kpi in kpis:
                latest = next(iter(kpi.returns.all()), None)
                yield base + [
                    kpi.name,
                    kpi.unit,
                    kpi.target,
                    kpi.get_direction_display(),
                    latest.period.label if latest else "",
                    latest.value if latest else "",
                    rate(latest.value, kpi.target, kpi.direction).label if latest else "",
                    "; ".join(overdue[kpi.pk]),
                ]

    return to_csv(AGREEMENT_HEADER, rows())


def grant_identifier(grant) -> str:
    return f"{settings.PARTNERS_360G_PREFIX}{grant.reference}"


def recipient_identifier(organisation) -> str:
    """The organisation's org-id, or a 360G- identifier of our own when it has none."""
    return organisation.org_id or f"{settings.PARTNERS_360G_PREFIX}org-{organisation.uuid}"


def _amount(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def grants_360giving(grants) -> dict:
    """A 360Giving JSON package: {"grants": [...]} with the standard's required fields."""
    funder = {"id": settings.PARTNERS_FUNDER_ORG_ID, "name": settings.PARTNERS_FUNDER_NAME}
    items = []
    for grant in grants.select_related("organisation"):
        org = grant.organisation
        recipient = {"id": recipient_identifier(org), "name": org.name}
        if org.charity_number:
            recipient["charityNumber"] = org.charity_number
        if org.company_number:
            recipient["companyNumber"] = org.company_number
        if org.postcode:
            recipient["postalAddress"] = {"postalCode": org.postcode}
        items.append(
            {
                "id": grant_identifier(grant),
                "title": grant.title,
                "description": grant.purpose,
                "currency": "GBP",
                "amountAwarded": _amount(grant.amount),
                "awardDate": grant.award_date.isoformat(),
                "recipientOrganization": [recipient],
                "fundingOrganization": [funder],
                "grantProgramme": [{"title": grant.programme}],
                "lastModified": grant.modified.isoformat(timespec="seconds"),
            }
        )
    return {"grants": items}


GRANT_CSV_HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Recipient Org:Postal Code",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
    "Last Modified",
]


def grants_360giving_csv(grants) -> str:
    """The same grants as `grants_360giving`, in the standard's CSV column titles."""
    rows = []
    for g in grants_360giving(grants)["grants"]:
        recipient, funder = g["recipientOrganization"][0], g["fundingOrganization"][0]
        rows.append(
            [
                g["id"],
                g["title"],
                g["description"],
                g["currency"],
                g["amountAwarded"],
                g["awardDate"],
                recipient["id"],
                recipient["name"],
                recipient.get("charityNumber", ""),
                recipient.get("companyNumber", ""),
                recipient.get("postalAddress", {}).get("postalCode", ""),
                funder["id"],
                funder["name"],
                g["grantProgramme"][0]["title"],
                g["lastModified"],
            ]
        )
    return to_csv(GRANT_CSV_HEADER, rows)
