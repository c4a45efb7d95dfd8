"""Writes for volunteering: interests, the pipeline, hours, and personal data (retention,
subject access export, erasure). Views, admin actions and commands all come through here."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from core.cache import bump
from core.dates import months_before
from directory.services import forget_senders, suggestions_sent_by
from partners.models import Organisation
from partners.services import contact_ids, erase_contacts, export_contacts
from volunteering.models import (
    ErasureRecord,
    Interest,
    InterestEvent,
    Role,
    VolunteerHours,
    new_reference,
)

ANONYMISED_NAME = "Anonymised volunteer"


# --- Who may write what --------------------------------------------------------------------


def _check_organisations(user, organisation_ids) -> None:
    """PermissionDenied unless every one of these organisations is the user's (officers: any)."""
    wanted = set(organisation_ids)
    if Organisation.objects.for_user(user).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied("Not one of your organisations")


def _check_interests(user, interest_ids) -> None:
    """PermissionDenied unless every one of these interests is in one of the user's roles."""
    wanted = set(interest_ids)
    if Interest.objects.for_user(user).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied("Not an interest in one of your roles")


# --- Roles ----------------------------------------------------------------------------------


@transaction.atomic
def save_role(*, user, role: Role) -> Role:
    """Save a role of one of the user's organisations. Raises PermissionDenied for another
    organisation's role, or for moving one to or from another organisation."""
    organisation_ids = {role.organisation_id}
    if not role._state.adding:
        saved = Role.objects.filter(pk=role.pk).values_list("organisation_id", flat=True)
        organisation_ids.update(saved)
    _check_organisations(user, organisation_ids)
    role.full_clean()
    role.save()
    return role


# --- Interests and the pipeline -------------------------------------------------------------


@transaction.atomic
def express_interest(
    *, interest: Interest, role: Role | None = None, skills=(), areas=()
) -> Interest:
    """Store a resident's interest in `role` (or a general offer of help, with no role) and
    tell the organisation there is someone waiting, without any personal data in the email."""
    now = timezone.now()
    if role is not None and not role.is_public():
        raise ValidationError("This role is no longer taking applications.")
    interest.role = role
    interest.status = Interest.Status.NEW
    interest.consent_at = interest.created = interest.status_changed_at = now
    interest.last_activity_at = now
    for _ in range(5):  # six random characters rarely clash; retry rather than fail
        if not Interest.objects.filter(reference=interest.reference).exists():
            break
        interest.reference = new_reference()
    interest.full_clean()
    interest.save()
    if skills:
        interest.skills.set(skills)
    if areas:
        interest.areas.set(areas)
    InterestEvent.objects.create(interest=interest, to_status=Interest.Status.NEW, at=now)
    if role is not None and role.organisation.email:
        transaction.on_commit(lambda: _notify_organisation(interest.reference, role))
    return interest


def _notify_organisation(reference: str, role: Role):
    send_mail(
        subject=f"New volunteer interest {reference}: {role.title}",
        message=(
            f"Someone would like to volunteer as {role.title}.\n\n"
            f"Sign in to {settings.SITE_NAME} to see their details and get in touch, "
            f"quoting {reference}. Please contact them within "
            f"{settings.VOLUNTEERING_STAGE_TARGETS.get('new', 5)} working days.\n"
        ),
        from_email=None,
        recipient_list=[role.organisation.email],
        fail_silently=True,
    )


@transaction.atomic
def move_interest(*, interest: Interest, to_status: str, by=None) -> Interest:
    """Move an interest to another pipeline stage, recording when and by whom."""
    to_status = Interest.Status(to_status)
    interest = Interest.objects.select_for_update().get(pk=interest.pk)
    if interest.is_anonymised:
        raise ValidationError(f"{interest.reference} has been anonymised.")
    if interest.status == to_status:
        raise ValidationError(f"{interest.reference} is already {to_status.label.lower()}.")
    now = timezone.now()
    InterestEvent.objects.create(
        interest=interest, from_status=interest.status, to_status=to_status, at=now, by=by
    )
    Interest.objects.filter(pk=interest.pk).update(
        status=to_status, status_changed_at=now, last_activity_at=now
    )
    interest.refresh_from_db()
    return interest


@transaction.atomic
def update_interest(*, interest: Interest, by) -> Interest:
    """Save an interest's details as edited by `by`; a new status is made as a pipeline move
    (move_interest), so the move is recorded. Raises PermissionDenied for an interest that is
    not in one of their roles."""
    _check_interests(by, [interest.pk])
    to_status = interest.status
    interest.status = Interest.objects.values_list("status", flat=True).get(pk=interest.pk)
    interest.full_clean()
    interest.save()
    if to_status != interest.status:
        moved = move_interest(interest=interest, to_status=to_status, by=by)
        interest.status, interest.status_changed_at = moved.status, moved.status_changed_at
        interest.last_activity_at = moved.last_activity_at
    return interest


# --- Hours ----------------------------------------------------------------------------------


@transaction.atomic
def log_hours(*, entry: VolunteerHours, by=None) -> VolunteerHours:
    """Record hours a placed volunteer gave (not yet confirmed by the organisation), as
    logged by `by`: PermissionDenied for someone not in one of their roles (`by` None: the
    system, with no one to check)."""
    if by is not None:
        _check_interests(by, [entry.interest_id])
    interest = Interest.objects.select_for_update().get(pk=entry.interest_id)
    if interest.status != Interest.Status.PLACED:
        raise ValidationError(
            {"interest": f"{interest.reference} is not placed: place them before logging hours"}
        )
    entry.logged_by = by
    entry.full_clean()
    entry.save()
    Interest.objects.filter(pk=interest.pk).update(last_activity_at=timezone.now())
    return entry


@transaction.atomic
def update_hours(*, entry: VolunteerHours, by=None) -> VolunteerHours:
    """Save a logged entry as corrected; a new confirmed figure is recorded as confirmed by
    `by` (confirm_hours). PermissionDenied for hours of someone not in one of their roles,
    or moved from or to one."""
    saved = VolunteerHours.objects.get(pk=entry.pk)
    if by is not None:
        _check_interests(by, {entry.interest_id, saved.interest_id})
    confirmed = entry.confirmed_hours
    entry.confirmed_hours = saved.confirmed_hours  # a confirmation is recorded as one
    entry.full_clean()
    entry.save()
    if confirmed is not None and confirmed != saved.confirmed_hours:
        confirm_hours(entries=[entry], by=by, hours=confirmed)
    return entry


@transaction.atomic
def confirm_hours(*, entries, by=None, hours: Decimal | None = None) -> int:
    """The organisation confirms hours: as logged, or `hours` for a single entry.
    PermissionDenied if any is the hours of someone not in one of `by`'s roles."""
    entries = list(entries)
    if hours is not None and len(entries) != 1:
        raise ValueError("Give confirmed hours for one entry at a time")
    if by is not None:
        _check_interests(by, {entry.interest_id for entry in entries})
    now = timezone.now()
    for entry in entries:
        entry.confirmed_hours = entry.hours if hours is None else hours
        entry.confirmed_by = by
        entry.confirmed_at = now
        entry.full_clean()
        entry.save(update_fields=["confirmed_hours", "confirmed_by", "confirmed_at"])
    Interest.objects.filter(pk__in={e.interest_id for e in entries}).update(last_activity_at=now)
    return len(entries)


# --- Personal data: retention, subject access, erasure --------------------------------------


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return months_before(now or timezone.now(), settings.VOLUNTEERING_RETENTION_MONTHS)


@dataclass
class Outcome:
    interests_deleted: int = 0
    interests_anonymised: int = 0
    events_deleted: int = 0
    hours_kept_anonymously: int = 0


def _delete_or_anonymise(interests, now) -> Outcome:
    """Interests with hours are anonymised (the hours still count in totals, attached to no
    one); the rest are deleted with their pipeline events."""
    has_hours = Exists(VolunteerHours.objects.filter(interest=OuterRef("pk")))
    interests = interests.annotate(has_hours=has_hours)
    keep = list(interests.filter(has_hours=True).values_list("pk", flat=True))
    drop = list(interests.filter(has_hours=False).values_list("pk", flat=True))
    outcome = Outcome(
        interests_deleted=len(drop),
        interests_anonymised=len(keep),
        events_deleted=InterestEvent.objects.filter(interest_id__in=drop).count(),
        hours_kept_anonymously=VolunteerHours.objects.filter(interest_id__in=keep).count(),
    )
    Interest.objects.filter(pk__in=drop).delete()
    Interest.objects.filter(pk__in=keep).update(
        name=ANONYMISED_NAME, email="", phone="", message="", availability=[], anonymised_at=now
    )
    for through in (Interest.skills.through, Interest.areas.through):
        through.objects.filter(interest_id__in=keep).delete()
    return outcome


def purge_expired_personal_data(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> tuple[Outcome, datetime.datetime]:
    """Delete or anonymise interests whose last activity is older than the retention period."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    expired = Interest.objects.personal().filter(last_activity_at__lt=cutoff)
    with transaction.atomic():
        outcome = _delete_or_anonymise(expired, now)
        if dry_run:
            transaction.set_rollback(True)
    return outcome, cutoff


def _person(email: str, phone: str):
    if not (email or "").strip() and not (phone or "").strip():
        raise ValidationError("Give the person's email address or phone number (or both).")
    return Interest.objects.personal().for_person(email=email, phone=phone)


def export_personal_data(*, email: str = "", phone: str = "") -> dict:
    """Everything we hold about one person (subject access), as JSON-ready data."""
    interests = (
        _person(email, phone)
        .select_related("role__organisation", "role__hub")
        .prefetch_related("skills", "areas", "events", "hours")
        .order_by("created")
    )
    records = []
    for interest in interests:
        role = interest.role
        records.append(
            {
                "reference": interest.reference,
                "kind": "general offer of help" if role is None else "interest in a role",
                "role": None
                if role is None
                else {
                    "title": role.title,
                    "organisation": role.organisation.name,
                    "hub": role.hub.name if role.hub else None,
                },
                "name": interest.name,
                "email": interest.email,
                "phone": interest.phone,
                "message": interest.message,
                "skills": [s.name for s in interest.skills.all()],
                "areas": [a.name for a in interest.areas.all()],
                "availability": interest.availability_labels(),
                "consent_given_at": interest.consent_at.isoformat(),
                "created": interest.created.isoformat(),
                "last_activity": interest.last_activity_at.isoformat(),
                "status": interest.get_status_display(),
                "status_history": [
                    {
                        "from": e.get_from_status_display() if e.from_status else None,
                        "to": e.get_to_status_display(),
                        "at": e.at.isoformat(),
                    }
                    for e in interest.events.all()
                ],
                "hours": [
                    {
                        "date": h.date.isoformat(),
                        "hours_logged": str(h.hours),
                        "hours_confirmed": None
                        if h.confirmed_hours is None
                        else str(h.confirmed_hours),
                    }
                    for h in interest.hours.all()
                ],
            }
        )
    return {
        "controller": settings.COUNCIL_NAME,
        "service": settings.SITE_NAME,
        "exported_at": timezone.now().isoformat(),
        "retention": f"Deleted or anonymised {settings.VOLUNTEERING_RETENTION_MONTHS} months "
        "after the last activity",
        "records": records,
        "suggestions_retention": "Name and email cleared "
        f"{settings.SUGGESTION_RETENTION_MONTHS} months after the suggestion was decided",
        "suggestions": [
            {
                "reference": s.reference,
                "kind": s.get_kind_display(),
                "listing": s.name,
                "sent": s.created.isoformat(),
                "name": s.submitter_name,
                "email": s.submitter_email,
                "status": s.get_status_display(),
            }
            for s in suggestions_sent_by(email).order_by("created")
        ],
        "organisation_contacts": export_contacts(contact_ids(email=email, phone=phone)),
    }


@transaction.atomic
def erase_personal_data(
    *, email: str = "", phone: str = "", by=None, by_description: str = ""
) -> ErasureRecord:
    """Erase one person's data and record that it was done, without the personal data:
    their volunteering interests, the sender's details on directory suggestions, and any
    organisation contact records of theirs with every copy in the change history."""
    now = timezone.now()
    outcome = _delete_or_anonymise(_person(email, phone), now)
    record = ErasureRecord(
        at=now,
        by=by if by is not None and by.is_authenticated else None,
        by_description=by_description[:100],
        suggestion_senders_cleared=forget_senders(suggestions_sent_by(email)),
        contacts_erased=erase_contacts(contact_ids(email=email, phone=phone)),
        **outcome.__dict__,
    )
    record.save()
    return record


def pipeline_counts(interests) -> dict[str, int]:
    """{status: count} in one query (the pipeline summary above the admin list)."""
    rows = interests.order_by().values("status").annotate(n=Count("pk"))
    found = {r["status"]: r["n"] for r in rows}
    return {status: found.get(status, 0) for status in Interest.Status.values}


# --- Role search text ----------------------------------------------------------------------


def refresh_search_text(*, roles) -> int:
    """Work out `Role.search_text` again for these roles (a queryset) after a change that
    Role.save() does not see: skills added or removed, an organisation or a skill renamed
    or deleted. Writes only the column (no history entry, no signals); returns how many
    changed."""
    changed = []
    for role in roles.select_related("organisation").prefetch_related("skills"):
        text = role.searchable_text()
        if text != role.search_text:
            role.search_text = text
            changed.append(role)
    Role.objects.bulk_update(changed, ["search_text"])
    if changed:
        bump()  # search pages show matching roles
    return len(changed)
