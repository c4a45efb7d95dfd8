"""What the partners admin's forms are sent, inline formsets included."""

from django.utils import timezone

from partners.performance import Quarter


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def organisation_data(**overrides):
    return {
        "name": "Basildon Community Transport",
        "slug": "basildon-community-transport",
        "kind": "cio",
        "is_active": "on",
        "charity_number": "1162345",
        "company_number": "",
        **management("contacts"),
        **management("memberships"),
        # The "areas served" inline that the directory app adds to this page.
        **management("Area_organisations"),
        **overrides,
    }


def agreement_data(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "reference": "SLA-2026-010",
        "title": "Community transport",
        "kind": "sla",
        "status": "active",
        "start_date": "2025-04-01",
        "end_date": "2028-03-31",
        "annual_value": "45000.00",
        **management("objectives"),
        **management("kpis"),
        **management("documents"),
        **overrides,
    }


def previous_quarter():
    return Quarter.containing(timezone.localdate()).previous()
