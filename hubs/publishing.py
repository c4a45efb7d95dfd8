"""Hub activities in the public directory.

Each published activity at an open hub is mirrored as a directory Service, so residents find it
in the directory search, on the ORUK API and on the organisation's page. The directory knows
nothing of hubs: this module writes Services, and each Activity keeps a link to its Service.
"""

from django.db import transaction
from django.utils import timezone

from directory.models import Schedule, Service, TaxonomyTerm
from hubs.models import Activity, Hub

# Activity category -> directory category codes (TaxonomyTerm.slug). Categories are data, so a
# code a council has not loaded is skipped, not an error.
CATEGORY_TERMS = {
    Activity.Category.COFFEE_MORNING: ["coffee-mornings", "loneliness-and-social-contact"],
    Activity.Category.FITNESS: ["physical-activity"],
    Activity.Category.PLAY: ["children-and-families"],
    Activity.Category.COOKING: ["community-meals", "food"],
    Activity.Category.GARDENING: ["physical-activity", "loneliness-and-social-contact"],
    Activity.Category.TRAINING: ["employment", "digital-skills"],
    Activity.Category.ADVICE: ["money-and-debt"],
    Activity.Category.OTHER: ["loneliness-and-social-contact"],
}


def _should_publish(activity: Activity) -> bool:
    return (
        activity.is_active
        and activity.hub.status == Hub.Status.OPEN
        and (activity.run_by_id or activity.hub.lead_partner_id) is not None
    )


@transaction.atomic
def publish_activity(*, activity: Activity) -> Service | None:
    """Create or update the activity's directory Service; withdraw it if it should not show."""
    hub = activity.hub
    service = activity.service
    if not _should_publish(activity):
        if service is not None and service.publication != Service.Publication.DRAFT:
            service.publication = Service.Publication.DRAFT
            service.save(update_fields=["publication", "modified"])
        return service
    service = service or Service()
    service.organisation = activity.run_by or hub.lead_partner
    service.name = f"{activity.name} at {hub.name}"
    service.description = activity.description or (
        f"{activity.get_category_display()} every {activity.get_weekday_display()} "
        f"at {hub.name}, a community hub."
    )
    service.keywords = f"{activity.get_category_display()} community hub {hub.name}"[:300]
    service.eligibility = "Everyone is welcome."
    service.email = hub.email
    service.cost = Service.Cost.FREE
    service.access = Service.Access.DROP_IN
    service.access_description = "Just turn up: you do not need to book."
    service.status = Service.Status.ACTIVE
    service.publication = Service.Publication.PUBLISHED
    service.last_reviewed = timezone.localdate()
    service.full_clean(exclude=["search_document"])
    service.save()

    service.categories.set(
        TaxonomyTerm.objects.filter(slug__in=CATEGORY_TERMS.get(activity.category, []))
    )
    venue = activity.venue
    service.locations.set([venue] if venue else [])
    service.schedules.all().delete()
    Schedule.objects.create(
        service=service,
        location=venue,
        weekday=activity.weekday + 1,  # hubs count from Monday = 0, the directory from 1
        opens_at=activity.start_time,
        closes_at=activity.end_time,
    )
    if activity.service_id != service.pk:
        activity.service = service
        Activity.objects.filter(pk=activity.pk).update(service=service)
    return service


def publish_hub(*, hub: Hub) -> None:
    """Re-publish every activity at a hub (its status, partner or venue may have changed)."""
    activities = hub.activities.select_related(
        "hub__lead_partner", "hub__location", "run_by", "location", "service"
    )
    for activity in activities:
        publish_activity(activity=activity)


@transaction.atomic
def withdraw_activities(*, activities) -> int:
    """Delete the directory Services of activities about to be deleted."""
    service_ids = [a.service_id for a in activities if a.service_id]
    Service.objects.filter(pk__in=service_ids).delete()
    return len(service_ids)
