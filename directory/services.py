"""Writes that span models: moderating suggestions, reviewing listings."""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import Truncator

from core.cache import bump
from core.dates import months_before
from directory.models import (
    BankHoliday,
    Location,
    Schedule,
    Service,
    ServiceFeedback,
    ServiceLanguage,
    Suggestion,
)
from directory.vocabulary import (
    add_search_words,
    rebuild_search_words,
    save_synonym,  # noqa: F401 - writes are found here
)
from partners import services as partner_services
from partners.models import Organisation

ANALYZE_AFTER_ROWS = 1000  # imports this large refresh PostgreSQL's statistics


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
def approve_suggestion(
    *,
    suggestion: Suggestion,
    user,
    note: str = "",
    organisation: Organisation | None = None,
    create_organisation: bool = False,
) -> Service:
    """Approve: a new listing becomes a published service; a change updates its service.
    The sender, if they gave an email address, is told once the transaction commits.

    A new listing needs its organisation: `organisation`, or a new one made from the
    suggested name (`create_organisation`), or the one the officer chose on the suggestion,
    or an existing organisation with exactly the suggested name.
    """
    suggestion = _pending(suggestion)
    if suggestion.kind == Suggestion.Kind.CHANGE:
        service = _apply_change(suggestion)
    else:
        if create_organisation:
            if not suggestion.organisation_name.strip():
                raise ValidationError(
                    f"{suggestion.reference}: no organisation was suggested: choose one."
                )
            organisation = partner_services.create_organisation(name=suggestion.organisation_name)
        if organisation is not None:
            suggestion.organisation = organisation
        service = _create_service(suggestion)
    suggestion.service = service
    _decide(suggestion, user=user, status=Suggestion.Status.APPROVED, note=note)
    _tell_sender(suggestion)
    return service


def _tell_sender(suggestion: Suggestion) -> None:
    """Email the outcome to whoever sent the suggestion, if they gave an address."""
    email = suggestion.submitter_email
    if not email:
        return
    what = "suggestion" if suggestion.kind == Suggestion.Kind.NEW else "report of a change"
    if suggestion.status == Suggestion.Status.APPROVED:
        outcome = (
            f"{suggestion.name} is now listed in {settings.SITE_NAME}."
            if suggestion.kind == Suggestion.Kind.NEW
            else f"The listing for {suggestion.name} in {settings.SITE_NAME} has been updated."
        )
    else:
        outcome = (
            f"We have not made this change to {settings.SITE_NAME}"
            if suggestion.kind == Suggestion.Kind.CHANGE
            else f"We have not added {suggestion.name} to {settings.SITE_NAME}"
        ) + (f", because: {suggestion.decision_note}" if suggestion.decision_note else ".")
    greeting = f"Dear {suggestion.submitter_name},\n\n" if suggestion.submitter_name else ""
    message = (
        f"{greeting}Thank you for your {what} ({suggestion.reference}).\n\n{outcome}\n\n"
        f"Questions: {settings.CONTACT_EMAIL}\n{settings.COUNCIL_NAME}\n"
    )
    subject = f"Your {what} {suggestion.reference}: " + (
        "approved" if suggestion.status == Suggestion.Status.APPROVED else "not approved"
    )
    transaction.on_commit(lambda: send_mail(subject, message, None, [email], fail_silently=True))


def forget_suggestion_senders(
    *, now: datetime.datetime | None = None, dry_run: bool = False
) -> tuple[int, datetime.datetime]:
    """Clear the name and email of whoever sent each suggestion decided more than
    SUGGESTION_RETENTION_MONTHS ago: (how many, the cutoff). The suggestion stays (what was
    asked and what was decided); a pending one keeps its sender until it is decided."""
    cutoff = months_before(now or timezone.now(), settings.SUGGESTION_RETENTION_MONTHS)
    expired = Suggestion.objects.filter(decided_at__lt=cutoff).exclude(**SENDER_CLEARED)
    if dry_run:
        return expired.count(), cutoff
    return forget_senders(expired), cutoff


# A suggestion's personal data: who sent it. Cleared, the suggestion itself stays.
SENDER_CLEARED = {"submitter_name": "", "submitter_email": ""}


def forget_senders(suggestions) -> int:
    """Clear the sender's name and email on these suggestions; returns how many."""
    return suggestions.update(**SENDER_CLEARED)


def suggestions_sent_by(email: str):
    """Suggestions whose sender gave this email address (subject access and erasure)."""
    email = (email or "").strip()
    if not email:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(submitter_email__iexact=email)


def place_left_out(suggestion: Suggestion, service: Service) -> str:
    """After approving a new listing as `service`, what to tell the officer when its suggested
    place could not be added (a place needs a town, from the postcode lookup), else ""."""
    if (
        suggestion.kind != Suggestion.Kind.NEW
        or not (suggestion.address and suggestion.postcode)
        or service.locations.exists()
    ):
        return ""
    return (
        f"{suggestion.reference}: the postcode {suggestion.postcode} is not in the postcode "
        f"lookup, so the place ({suggestion.address}) was not added. Add it to the listing."
    )


def change_left_to_do(suggestion: Suggestion) -> str:
    """After approving a change report, what the officer still has to do by hand, else ""
    (approving copies only CHANGE_COPIES; the rest of the report is free text)."""
    if suggestion.kind != Suggestion.Kind.CHANGE or not (suggestion.details or suggestion.when):
        return ""
    copied = [_label(name) for name in CHANGE_COPIES if getattr(suggestion, name)]
    done = f"copied the {_and_list(copied)} given; " if copied else ""
    reported = [
        f"{_label(name)}: \u201c{Truncator(value).chars(150)}\u201d"
        for name in ("details", "when")
        if (value := getattr(suggestion, name))
    ]
    return (
        f"{suggestion.reference}: {done}make the rest of the change in the listing by hand "
        f"({'; '.join(reported)})."
    )


def _label(name):
    return Suggestion._meta.get_field(name).verbose_name


def _and_list(words):
    return " and ".join([", ".join(words[:-1]), words[-1]]) if len(words) > 1 else words[0]


@transaction.atomic
def reject_suggestion(*, suggestion: Suggestion, user, note: str = "") -> Suggestion:
    """Reject, with `note` as the reason the sender is told by email (if they gave one)."""
    suggestion = _pending(suggestion)
    _decide(suggestion, user=user, status=Suggestion.Status.REJECTED, note=note)
    _tell_sender(suggestion)
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


# What approving a change report copies to the listing, when the report gives it. The rest
# (what needs to change, days and times) is free text for the officer to edit by hand.
CHANGE_COPIES = ("url", "email", "phone")


def _apply_change(suggestion):
    service = suggestion.service
    if service is None:
        raise ValidationError(f"{suggestion.reference}: the listing no longer exists.")
    for field in CHANGE_COPIES:
        value = getattr(suggestion, field)
        if value:
            setattr(service, field, value)
    service.last_reviewed = timezone.localdate()
    service.full_clean()
    service.save()
    return service


def mark_reviewed(*, services, today=None) -> int:
    """Record that these listings were checked today; returns how many."""
    now = timezone.now()
    return services.update(
        last_reviewed=today or timezone.localdate(), modified=now, last_modified=now
    )


def touch_services(
    *,
    service_ids=None,
    organisation_id: int | None = None,
    location_id: int | None = None,
    term_id: int | None = None,
) -> int:
    """Move the ORUK `last_modified` of these services to now, one UPDATE; returns how many.

    The standard's last_modified covers "any related information about the service", so a
    change to its organisation, a place, a category or its times counts. Called by signals
    when those change, and by bulk writers. Choose by ids, organisation, place or category."""
    if service_ids is not None:
        ids = list(service_ids)
        if not ids:
            return 0
        services = Service.objects.filter(pk__in=ids)
    elif organisation_id is not None:
        services = Service.objects.filter(organisation_id=organisation_id)
    elif location_id is not None:
        services = Service.objects.filter(
            pk__in=Service.locations.through.objects.filter(location_id=location_id).values(
                "service_id"
            )
        )
    elif term_id is not None:
        services = Service.objects.filter(
            pk__in=Service.categories.through.objects.filter(taxonomyterm_id=term_id).values(
                "service_id"
            )
        )
    else:
        raise TypeError("Say which services to touch")
    bump()  # public pages show what changed with these services
    return services.update(last_modified=timezone.now())


# Fields an import may change on an existing service (bulk_update), in model order.
IMPORT_UPDATE_FIELDS = [
    f.name
    for f in Service._meta.concrete_fields
    if f.editable and not f.primary_key and f.name not in {"uuid", "created", "search_document"}
] + ["modified", "last_modified"]  # auto_now fields are not editable


@transaction.atomic
def import_services(*, rows) -> tuple[int, int]:
    """Save rows from csv_io.parse_services (already validated): (created, updated).

    In bulk, so 100,000 rows take seconds: new services with bulk_create, changed ones with
    bulk_update, then their categories, places and schedules replaced with a few DELETEs and
    bulk INSERTs. All or nothing (one transaction). On PostgreSQL a large import refreshes the
    planner's statistics (ANALYZE) so searches keep their index plans.
    """
    now = timezone.now()
    new_rows = [row for row in rows if row.service.pk is None]
    for row in new_rows:
        # Written with the insert: the refresh below then leaves these rows alone, instead
        # of a second version of every new row (a table twice its size).
        row.service.search_extra = search_text(
            row.service.organisation.name, [term.name for term in _unique(row.categories)]
        )
    new = [row.service for row in new_rows]
    old = [row.service for row in rows if row.service.pk is not None]
    for service in old:
        service.modified = service.last_modified = now
    Service.objects.bulk_create(new, batch_size=2000)
    Service.objects.bulk_update(old, IMPORT_UPDATE_FIELDS, batch_size=500)
    old_ids = {service.pk for service in old}
    for relation, attribute, column in (
        (Service.categories.through, "categories", "taxonomyterm_id"),
        (Service.locations.through, "locations", "location_id"),
    ):
        chosen = [row for row in rows if getattr(row, attribute) is not None]
        replaced = [row.service.pk for row in chosen if row.service.pk in old_ids]
        for start in range(0, len(replaced), 5000):
            relation.objects.filter(service_id__in=replaced[start : start + 5000]).delete()
        relation.objects.bulk_create(
            [
                relation(service_id=row.service.pk, **{column: item.pk})
                for row in chosen
                for item in _unique(getattr(row, attribute))
            ],
            batch_size=5000,
        )
    rescheduled = [row for row in rows if row.schedules is not None]
    replaced = [row.service.pk for row in rescheduled if row.service.pk in old_ids]
    for start in range(0, len(replaced), 5000):
        Schedule.objects.filter(service_id__in=replaced[start : start + 5000]).delete()
    schedules = []
    for row in rescheduled:
        for schedule in row.schedules:
            schedule.service = row.service
            schedules.append(schedule)
    Schedule.objects.bulk_create(schedules, batch_size=5000)
    _replace_languages([row for row in rows if row.languages is not None], old_ids)
    ids = [row.service.pk for row in rows]
    for start in range(0, len(ids), 5000):
        refresh_search_text(service_ids=ids[start : start + 5000])
    if len(rows) >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Service, Service.categories.through, Service.locations.through, Schedule):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    # Bulk writes send no signals: cached public pages are out of date.
    bump()
    return len(new), len(old)


def _replace_languages(rows, old_ids) -> None:
    """Each row's languages become exactly its list; one kept keeps its note."""
    wanted = {(row.service.pk, code) for row in rows for code in row.languages}
    changed = [row.service.pk for row in rows if row.service.pk in old_ids]
    have = set()
    for start in range(0, len(changed), 5000):
        current = ServiceLanguage.objects.filter(service_id__in=changed[start : start + 5000])
        rows_now = list(current.values_list("pk", "service_id", "language"))
        gone = [pk for pk, service, code in rows_now if (service, code) not in wanted]
        for first in range(0, len(gone), 5000):
            ServiceLanguage.objects.filter(pk__in=gone[first : first + 5000]).delete()
        have.update((service, code) for _, service, code in rows_now)
    ServiceLanguage.objects.bulk_create(
        [
            ServiceLanguage(service_id=service, language=code)
            for service, code in sorted(wanted - have)
        ],
        batch_size=5000,
    )


def _unique(items):
    """Items once each (by primary key), in their first order; none for None."""
    return list({item.pk: item for item in items or ()}.values())


def search_text(organisation_name: str, category_names: list[str]) -> str:
    """`Service.search_extra` as refresh_search_text writes it, for rows written in bulk:
    the category names in the order their links were inserted."""
    return f"{organisation_name} {' '.join(category_names)}"


def refresh_search_text(
    *,
    service_ids=None,
    organisation_id: int | None = None,
    term_id: int | None = None,
    everything: bool = False,
) -> int:
    """Copy organisation and category names into `Service.search_extra`, one UPDATE; returns
    how many services' text changed (the others are not written). On PostgreSQL, also add
    the services' words to the search vocabulary (all of it rebuilt for `everything`).

    Keyword search then needs one indexed document and no joins. Called by signals when a
    service, its categories, an organisation or a category changes, and by bulk writers.
    Choose the services by ids, by organisation, by category, or `everything`.
    """
    if service_ids is not None:
        ids = list(service_ids)
        if not ids:
            return 0
        where, params = f"s.id IN ({', '.join(['%s'] * len(ids))})", ids
    elif organisation_id is not None:
        where, params = "s.organisation_id = %s", [organisation_id]
    elif term_id is not None:
        where, params = f"s.id IN ({_IN_TERM})", [term_id]
    elif everything:
        where, params = "1 = 1", []
    else:
        raise TypeError("Say which services to refresh")
    text = _SEARCH_TEXT.format(names=_NAMES[connection.vendor == "postgresql"])
    with connection.cursor() as cursor:
        # Rows whose text is unchanged are left alone (no new row versions, no index churn).
        # Only the fixed fragments above are formatted in; values go as parameters.
        sql = f"UPDATE directory_service AS s SET search_extra = {text} WHERE {where} AND s.search_extra <> {text}"  # noqa: E501, S608
        cursor.execute(sql, params)
        changed = cursor.rowcount
    bump()  # a saved service, or a renamed organisation or category
    if everything:
        rebuild_search_words()
    else:
        add_search_words(where, params)
    return changed


_IN_TERM = "SELECT service_id FROM directory_service_categories WHERE taxonomyterm_id = %s"
# Category names in the order the links were made (search_text relies on it). SQLite's
# group_concat takes no ORDER BY before 3.44: it follows its ordered subquery.
_LINKED_NAMES = """SELECT t.name FROM directory_service_categories sc
     JOIN directory_taxonomyterm t ON t.id = sc.taxonomyterm_id WHERE sc.service_id = s.id"""
_NAMES = {
    True: _LINKED_NAMES.replace("t.name", "string_agg(t.name, ' ' ORDER BY sc.id)", 1),
    False: f"SELECT group_concat(name, ' ') FROM ({_LINKED_NAMES} ORDER BY sc.id)",  # noqa: S608
}
_SEARCH_TEXT = """COALESCE(
    (SELECT o.name FROM partners_organisation o WHERE o.id = s.organisation_id), ''
) || ' ' || COALESCE(({names}), '')"""


@transaction.atomic
def record_feedback(*, service: Service, useful: bool, comment: str = "") -> ServiceFeedback:
    """Store a resident's "Was this page useful?" answer about a published listing. Refuses
    a listing that is not published (a ValidationError): nobody could have seen its page."""
    if not Service.objects.published().filter(pk=service.pk).exists():
        raise ValidationError("Feedback can only be given on a published listing.")
    feedback = ServiceFeedback(service=service, useful=useful, comment=comment.strip())
    feedback.full_clean()
    feedback.save()
    return feedback


BANK_HOLIDAYS_FILE = Path(__file__).parent / "data" / "bank_holidays_england_wales.csv"


@transaction.atomic
def load_bank_holidays(*, path: Path = BANK_HOLIDAYS_FILE) -> int:
    """Add or rename the bank holidays in a CSV of date,name (gov.uk's England and Wales
    dates; the file in the code covers 2026 and 2027). Dates already there keep any other
    edits; none are removed. Returns how many rows were read."""
    count = 0
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            holiday = BankHoliday.objects.filter(date=row["date"]).first() or BankHoliday(
                date=datetime.date.fromisoformat(row["date"])
            )
            holiday.name = row["name"].strip()
            holiday.full_clean()
            holiday.save()
            count += 1
    return count
