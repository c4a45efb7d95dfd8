"""The records behind each figure of one ward's row in the matrix (its page's sections).

Counts in the matrix are of every record; names listed here follow the user's scope for
staff-only records (hub activities, agreements): another side's are counted, not named.
"""

import datetime

from django.db.models import Count, Q, Sum
from django.urls import reverse

from dashboard.wards import RECENT_DAYS, YEAR_DAYS, live_kpi_agreements, ward_of_hub, ward_of_role
from directory.models import Service
from hubs.models import Activity, Engagement, Hub
from partners.models import Organisation
from volunteering.models import Interest, Role
from wards.models import WardFigure

LISTED = 200  # records named per section; the figure links here, the admin has the rest


def records_behind(ward, *, user, today, category=None):
    recent = today - datetime.timedelta(days=RECENT_DAYS)
    year_ago = today - datetime.timedelta(days=YEAR_DAYS)
    in_ward = {"ward": ward.pk}
    services = Service.objects.published().filter(locations__area=ward).distinct()
    if category is not None:
        services = services.filter(categories=category)
    serving = Organisation.objects.filter(
        Q(areas_served=ward) | Q(areas_served=ward.parent_id), is_active=True
    ).distinct()
    agreements = (
        live_kpi_agreements().filter(organisation__in=serving).select_related("organisation")
    )
    visible_agreements = list(agreements.for_user(user).order_by("reference")[:LISTED])
    activities = (
        Activity.objects.annotate(ward=ward_of_hub("hub__"))
        .filter(**in_ward, engagements__date__gt=recent, engagements__date__lte=today)
        .distinct()
    )
    visible_activities = list(activities.for_user(user).select_related("hub").order_by("name"))
    sessions = (
        Engagement.objects.filter(date__gt=year_ago, date__lte=today)
        .annotate(ward=ward_of_hub("hub__"))
        .filter(**in_ward)
        .values("hub__name", "hub__slug")
        .annotate(sessions=Count("pk"), people=Sum("people"))
        .order_by("hub__name")
    )
    placed = (
        Interest.objects.filter(status=Interest.Status.PLACED, role__isnull=False)
        .annotate(ward=ward_of_role("role__"))
        .filter(**in_ward)
        .values("role_id", "role__title")
        .annotate(n=Count("pk"))
        .order_by("role__title")
    )
    return {
        "figures": WardFigure.objects.filter(ward=ward)
        .select_related("indicator")
        .order_by("indicator__kind", "indicator__name", "-indicator__year"),
        "hubs": Hub.objects.filter(status=Hub.Status.OPEN)
        .annotate(ward=ward_of_hub())
        .filter(**in_ward)
        .order_by("name"),
        "services": list(services.order_by("name")[:LISTED]),
        "services_count": services.count(),
        "activities": visible_activities,
        "activities_hidden": activities.count() - len(visible_activities),
        "sessions": list(sessions),
        "organisations": list(serving.order_by("name")[:LISTED]),
        "organisations_count": serving.count(),
        "roles": Role.objects.public(today)
        .annotate(ward=ward_of_role())
        .filter(**in_ward)
        .select_related("organisation")
        .order_by("title"),
        "placed": list(placed),
        "agreements": [
            (a, reverse("admin:partners_agreement_change", args=[a.pk])) for a in visible_agreements
        ],
        "agreements_hidden": agreements.count() - len(visible_agreements),
    }
