"""Writes that span models: moderating suggestions, reviewing listings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from directory.models import Location, Schedule, Service, Suggestion
from partners.models import Organisation


@transaction.atomic
def submit_suggestion(
    *, suggestion: Suggestion, service: Service | None = None, categories=()
) -> Suggestion:
    """Store a public suggestion (new listing, or a change to `service`) for moderation."""
    suggestion.kind = Suggestion.Kind.CHANGE if service else Suggestion.Kind.NEW
    if service:
        suggestion.service = service
        suggestion.name = suggestion.name or service.name
    suggestion.status = Suggestion.Status.PENDING
    suggestion.full_clean()
    for _ in range(5):  # a clash of six random characters is rare; retry rather than fail
        if not Suggestion.objects.filter(reference=suggestion.reference).exists():
            break
        suggestion.reference = Suggestion._meta.get_field("reference").default()
    suggestion.save()
    if categories:
        suggestion.categories.set(categories)
    return suggestion


def _pending(suggestion):
    """The suggestion, locked for this transaction; an error if it was already decided."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.PENDING:
        raise ValidationError(f"{suggestion.reference} has already been {suggestion.status}.")
    return suggestion


def _decide(suggestion, *, user, status, note):
    suggestion.status = status
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    if note:
        suggestion.decision_note = note
    suggestion.full_clean()
    suggestion.save()


@transaction.atomic
def approve_suggestion(*, suggestion: Suggestion, user, note: str = "") -> Service:
    """Approve: a new listing becomes a published service; a change updates its service.

    A new listing needs its organisation: the one the officer chose on the suggestion, or
    an existing organisation with exactly the suggested name.
    """
    suggestion = _pending(suggestion)
    if suggestion.kind == Suggestion.Kind.CHANGE:
        service = _apply_change(suggestion)
    else:
        service = _create_service(suggestion)
    suggestion.service = service
    _decide(suggestion, user=user, status=Suggestion.Status.APPROVED, note=note)
    return service


@transaction.atomic
def reject_suggestion(*, suggestion: Suggestion, user, note: str = "") -> Suggestion:
    suggestion = _pending(suggestion)
    _decide(suggestion, user=user, status=Suggestion.Status.REJECTED, note=note)
    return suggestion


def _create_service(suggestion):
    organisation = suggestion.organisation
    if organisation is None and suggestion.organisation_name:
        matches = Organisation.objects.filter(name__iexact=suggestion.organisation_name.strip())
        organisation = matches.first() if len(matches[:2]) == 1 else None
    if organisation is None:
        raise ValidationError(
            f"{suggestion.reference}: choose the organisation that runs it, then approve again."
        )
    service = Service(
        organisation=organisation,
        name=suggestion.name,
        description=suggestion.description or suggestion.name,
        url=suggestion.url,
        email=suggestion.email,
        phone=suggestion.phone,
        cost=suggestion.cost or Service.Cost.FREE,
        access=suggestion.access or Service.Access.DROP_IN,
        status=Service.Status.ACTIVE,
        publication=Service.Publication.PUBLISHED,
        last_reviewed=timezone.localdate(),
    )
    service.full_clean()
    service.save()
    service.categories.set(suggestion.categories.all())
    if suggestion.address and suggestion.postcode:
        location = Location(
            address_1=suggestion.address[:200], town="", postcode=suggestion.postcode
        )
        location.clean()  # normalises the postcode, fills coordinates and area
        location.town = location.area.name if location.area else ""
        if location.town:
            location.full_clean()
            location.save()
            service.locations.add(location)
    if suggestion.when:
        schedule = Schedule(service=service, description=suggestion.when[:200])
        schedule.full_clean()
        schedule.save()
    return service


def _apply_change(suggestion):
    service = suggestion.service
    if service is None:
        raise ValidationError(f"{suggestion.reference}: the listing no longer exists.")
    for field in ("url", "email", "phone"):
        value = getattr(suggestion, field)
        if value:
            setattr(service, field, value)
    # Times, places and anything else in the report are for the officer to edit by hand.
    service.last_reviewed = timezone.localdate()
    service.full_clean()
    service.save()
    return service


def mark_reviewed(*, services, today=None) -> int:
    """Record that these listings were checked today; returns how many."""
    return services.update(last_reviewed=today or timezone.localdate(), modified=timezone.now())


@transaction.atomic
def import_services(*, rows) -> tuple[int, int]:
    """Save rows from csv_io.parse_services (already validated): (created, updated)."""
    created = updated = 0
    for row in rows:
        service = row.service
        is_new = service.pk is None
        service.save()
        if row.categories is not None:
            service.categories.set(row.categories)
        if row.locations is not None:
            service.locations.set(row.locations)
        if row.schedules is not None:
            service.schedules.all().delete()
            for schedule in row.schedules:
                schedule.service = service
            Schedule.objects.bulk_create(row.schedules)
        created += is_new
        updated += not is_new
    return created, updated
