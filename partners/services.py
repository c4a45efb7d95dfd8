"""Writes for partners: KPI returns, agreements' documents, and the personal data of
organisations' contact people.

Subject access and erasure are run for one person at a time by volunteering's commands and
admin actions (volunteering.services), which reach every app's records of that person.
"""

import datetime
import json
from collections import Counter

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.dates import months_before
from core.services import save_children
from partners.models import (
    Agreement,
    Contact,
    Kpi,
    KpiReturn,
    Organisation,
    normalise_phone,
)
from partners.performance import Quarter

ERASED_CONTACT = "a contact (erased)"


@transaction.atomic
def create_organisation(*, name: str, email: str = "", website: str = "") -> Organisation:
    """A new organisation with just a name (a directory suggestion's, on approval): a
    community group until an officer records what it is. Its slug is made unique."""
    name = name.strip()
    base = slugify(name)[:180] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation(
        name=name,
        slug=slug,
        kind=Organisation.Kind.COMMUNITY_GROUP,
        email=email,
        website=website,
    )
    organisation.full_clean()
    organisation.save()
    return organisation


class ReturnTaken(ValidationError):
    """Another return for the same KPI and quarter exists: `existing`, often saved by someone
    else while this one was being typed (an officer and the partner at once)."""

    def __init__(self, existing: KpiReturn):
        super().__init__("A return for this KPI and quarter already exists.", code="return_taken")
        self.existing = existing


def existing_return(
    *, kpi: Kpi, quarter: Quarter, exclude_pk: int | None = None, lock: bool = False
) -> KpiReturn | None:
    """The return already recorded for this KPI and quarter, other than `exclude_pk`.

    With `lock`, inside a transaction, the KPI's row is locked first (PostgreSQL): two people
    submitting the first return for it at once are taken one after the other, and the second
    finds the first's return here instead of failing on the database's unique constraint."""
    if lock and connection.in_atomic_block:
        list(Kpi.objects.select_for_update().filter(pk=kpi.pk).values_list("pk"))
    returns = KpiReturn.objects.filter(
        kpi=kpi, financial_year=quarter.year, quarter=quarter.number
    ).select_related("submitted_by")
    if exclude_pk is not None:
        returns = returns.exclude(pk=exclude_pk)
    return returns.first()


@transaction.atomic
def save_kpi_return(*, kpi_return: KpiReturn, user) -> KpiReturn:
    """Save a KPI return; a new one is recorded as submitted by `user`, now.

    Raises ReturnTaken when the KPI already has a return for that quarter, including one
    saved by someone else after this one's form was checked (the unique constraint caught it:
    the race is reported, not a 500), ValidationError for anything else wrong, and
    PermissionDenied for a KPI of an organisation the user does not belong to (or a return
    saved for one)."""
    if not Kpi.objects.for_user(user).filter(pk=kpi_return.kpi_id).exists() or (
        not kpi_return._state.adding
        and not KpiReturn.objects.for_user(user).filter(pk=kpi_return.pk).exists()
    ):
        raise PermissionDenied("Not one of your organisation's KPIs")
    if kpi_return._state.adding:
        kpi_return.submitted_by = user
        kpi_return.submitted_at = timezone.now()
    quarter = kpi_return.period
    taken = existing_return(
        kpi=kpi_return.kpi, quarter=quarter, exclude_pk=kpi_return.pk, lock=True
    )
    if taken is not None:
        raise ReturnTaken(taken)
    kpi_return.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            kpi_return.save()
    except IntegrityError:
        taken = existing_return(kpi=kpi_return.kpi, quarter=quarter, exclude_pk=kpi_return.pk)
        if taken is None:
            raise
        raise ReturnTaken(taken) from None
    return kpi_return


@transaction.atomic
def save_documents(*, user, agreement: Agreement, documents, deleted=()) -> None:
    """Save an agreement's documents as edited, a new upload recorded as uploaded by `user`,
    and delete `deleted` (their files go once the deletion commits).

    Raises PermissionDenied for an agreement the user may not see, and for a document that
    belongs to another agreement; ValidationError for a file that is not allowed."""
    if not Agreement.objects.for_user(user).filter(pk=agreement.pk).exists():
        raise PermissionDenied("Not one of your organisation's agreements")

    def record_uploader(document):
        if document.uploaded_by_id is None:
            document.uploaded_by = user

    save_children(
        parent=agreement,
        field="agreement",
        children=documents,
        deleted=deleted,
        refusal="Not a document of this agreement",
        prepare=record_uploader,
    )


def contact_ids(*, email: str = "", phone: str = "") -> set[int]:
    """Ids of the contact people with this email address (any case) or phone number (however
    typed) in any version of their record: a contact whose details changed, or who was
    deleted, still has copies in the history."""
    email = (email or "").strip()
    phone = normalise_phone(phone) if (phone or "").strip() else ""
    ids = set()
    for model in (Contact, Contact.history.model):
        if email:
            ids.update(model.objects.filter(email__iexact=email).values_list("id", flat=True))
        if phone:
            # Phones are kept as typed: compared in Python (an officer's request, not a page).
            rows = model.objects.exclude(phone="").values_list("id", "phone").iterator()
            ids.update(pk for pk, typed in rows if normalise_phone(typed) == phone)
    return ids


def current_contacts(ids):
    """The contact records with these ids that still exist, with their organisations."""
    return Contact.objects.filter(pk__in=ids).select_related("organisation")


def export_contacts(ids) -> list[dict]:
    """The contact records with these ids, as subject access data."""
    versions = Counter(Contact.history.filter(id__in=ids).values_list("id", flat=True))
    return [
        {
            "organisation": contact.organisation.name,
            "name": contact.name,
            "role": contact.role,
            "email": contact.email,
            "phone": contact.phone,
            "main_contact": contact.is_primary,
            "versions_in_change_history": versions.get(contact.pk, 0),
        }
        for contact in current_contacts(ids)
    ]


@transaction.atomic
def erase_contacts(ids) -> int:
    """Delete the contact records with these ids, every copy of them in the change history,
    and their names from the organisations' admin change log; returns how many contact
    people (current or only in the history) were erased."""
    ids = set(ids)
    if not ids:
        return 0
    history = Contact.history.filter(id__in=ids)
    named = set(history.values_list("name", "organisation_id"))
    named |= set(Contact.objects.filter(pk__in=ids).values_list("name", "organisation_id"))
    _forget_in_change_log(named)
    Contact.objects.filter(pk__in=ids).delete()  # adds a deletion copy to the history...
    history.delete()  # ...which goes with the rest
    return len(ids)


def _forget_in_change_log(named) -> None:
    """Replace "Name (Organisation)" in the admin log of each organisation (where the contact
    inline records added, changed and deleted contacts) with ERASED_CONTACT."""
    names = {}
    for name, organisation_id in named:
        names.setdefault(str(organisation_id), set()).add(name)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation), object_id__in=names
    )
    label = str(Contact._meta.verbose_name)
    for entry in entries:
        prefixes = tuple(f"{name} (" for name in names[entry.object_id])
        try:
            message = json.loads(entry.change_message)
        except ValueError:
            continue  # a plain-text message: the admin writes these only for other models
        if not isinstance(message, list):
            continue
        changed = False
        for item in message:
            for detail in item.values() if isinstance(item, dict) else ():
                if (
                    isinstance(detail, dict)
                    and detail.get("name") == label
                    and str(detail.get("object", "")).startswith(prefixes)
                ):
                    detail["object"] = ERASED_CONTACT
                    changed = True
        if changed:
            entry.change_message = json.dumps(message)
            entry.save(update_fields=["change_message"])


def purge_expired_contacts(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> tuple[int, int, datetime.datetime]:
    """Retention for contact people, CONTACT_RETENTION_MONTHS: the contacts of organisations
    marked inactive and unchanged since the cutoff are erased (as erase_contacts), and copies
    in the change history older than it (past versions, contacts since removed) are deleted;
    a current contact's record stays. Returns (contacts erased, older copies deleted, cutoff)."""
    cutoff = months_before(now or timezone.now(), settings.CONTACT_RETENTION_MONTHS)
    dormant = Contact.objects.filter(
        organisation__is_active=False, organisation__modified__lt=cutoff
    )
    old_copies = Contact.history.filter(history_date__lt=cutoff)
    with transaction.atomic():
        erased = erase_contacts(dormant.values_list("pk", flat=True))
        copies = old_copies.count()
        old_copies.delete()
        if dry_run:
            transaction.set_rollback(True)
    return erased, copies, cutoff
