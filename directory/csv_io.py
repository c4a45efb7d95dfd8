"""Officers' CSV export and import of services.

The import checks every row before anything is saved: one bad row and nothing changes, and
the officer gets a list of problems by row number.
"""

import contextlib
import csv
import datetime
import re
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from core.csvfiles import CSVFileError, read_csv, safe_cell
from core.forms import plain_digits
from directory.models import Location, Schedule, Service, ServiceLanguage, TaxonomyTerm
from partners.models import Organisation

COLUMNS = [
    "uuid",
    "name",
    "organisation",
    "description",
    "keywords",
    "status",
    "publication",
    "url",
    "email",
    "phone",
    "contact_name",
    "eligibility",
    "minimum_age",
    "maximum_age",
    "cost",
    "fees_description",
    "access",
    "access_description",
    "categories",
    "locations",
    "schedules",
    "languages",
    "last_reviewed",
]
REQUIRED = {"name", "organisation", "description"}
MAX_ROWS = 10_000
BYDAY = {code: day for day, code in Schedule.BYDAY.items()}
# A language by its code ("bfi") or its name ("British Sign Language"), in any case.
LANGUAGES = {
    key.casefold(): code
    for code, label in ServiceLanguage.Language.choices
    for key in (code, label)
}
SCHEDULE_RE = re.compile(r"^(MO|TU|WE|TH|FR|SA|SU)(?: (\d{2}:\d{2})-(\d{2}:\d{2}))?$")


def _unformula(value: str) -> str:
    """Undo safe_cell on import, so an export round-trips unchanged."""
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def schedules_text(schedules) -> str:
    """Weekly times as 'TU 10:00-12:00; FR 09:30-11:00' (the columns' schedule format)."""
    parts = []
    for s in schedules:
        if not s.weekday:
            continue
        text = Schedule.BYDAY[s.weekday]
        if s.opens_at and s.closes_at:
            text += f" {s.opens_at:%H:%M}-{s.closes_at:%H:%M}"
        parts.append(text)
    return "; ".join(parts)


def export_services(queryset, out) -> None:
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    queryset = queryset.select_related("organisation").prefetch_related(
        "categories", "locations", "schedules", "languages"
    )
    for s in queryset.order_by("name", "pk").iterator(chunk_size=500):
        row = {
            **{c: getattr(s, c) for c in COLUMNS if hasattr(s, c)},
            "organisation": s.organisation.slug,
            "categories": ";".join(sorted(t.slug for t in s.categories.all())),
            "locations": ";".join(str(loc.uuid) for loc in s.locations.all()),
            "schedules": schedules_text(s.schedules.all()),
            "languages": ";".join(spoken.language for spoken in s.languages.all()),
            "last_reviewed": s.last_reviewed.isoformat() if s.last_reviewed else "",
        }
        writer.writerow([safe_cell("" if row[c] is None else str(row[c])) for c in COLUMNS])


@dataclass
class ParsedRow:
    number: int
    service: Service
    categories: list | None  # None: the column was absent, leave as they are
    locations: list | None
    schedules: list | None  # None: leave the service's schedules as they are
    languages: list | None = None  # language codes; None: leave them as they are


@dataclass
class ParseResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message)


def _split(value):
    return [p.strip() for p in value.split(";") if p.strip()]


def parse_services(file, *, max_rows: int | None = MAX_ROWS) -> ParseResult:
    """Read and validate a CSV upload (bytes) without saving anything.

    Every lookup is done once for the whole file (organisations, categories, the services
    and places it names), so checking a row runs no query: 100,000 rows take seconds.
    """
    result = ParseResult()
    try:
        table = read_csv(file, max_rows=max_rows)
    except CSVFileError as exc:
        result.errors.append((0, str(exc)))
        return result
    missing = REQUIRED - set(table.header)
    if missing:
        result.errors.append((1, f"Missing columns: {', '.join(sorted(missing))}"))
        return result
    raw_rows = table.rows
    if max_rows is not None and len(raw_rows) > max_rows:
        result.errors.append((0, f"Import at most {max_rows:,} rows at a time."))
        return result
    organisations = {o.slug: o for o in Organisation.objects.all()}
    terms = {t.slug: t for t in TaxonomyTerm.objects.all()}
    seen = set()
    service_uuids = _uuids((r.get("uuid") or "").strip() for r in raw_rows)
    services = Service.objects.filter(uuid__in=service_uuids).prefetch_related("schedules")
    existing = {str(s.uuid): s for s in services}
    location_uuids = _uuids(v for r in raw_rows for v in _split(r.get("locations") or ""))
    locations = {str(loc.uuid): loc for loc in Location.objects.filter(uuid__in=location_uuids)}

    for number, raw in enumerate(raw_rows, start=2):
        row = {k: _unformula((v or "").strip()) for k, v in raw.items() if k in COLUMNS}
        errors = []
        key = row.get("uuid", "")
        if key:
            try:
                key = str(uuid.UUID(key))
            except ValueError:
                errors.append("uuid is not valid; leave it empty for a new service")
            service = existing.get(key)
            if service is None and not errors:
                errors.append(f"no service has uuid {key}")
            if key in seen:
                errors.append("this uuid appears on more than one row")
            seen.add(key)
        else:
            service = Service()
        if service is None:
            result.errors.extend((number, e) for e in errors)
            continue
        organisation = organisations.get(row.get("organisation", ""))
        if organisation is None:
            errors.append(f"unknown organisation {row.get('organisation', '')!r} (use its slug)")
        else:
            service.organisation = organisation
        for name in COLUMNS:
            if name not in row or name in {
                "uuid",
                "organisation",
                "categories",
                "locations",
                "languages",
            }:
                continue
            if name in {"schedules", "last_reviewed", "minimum_age", "maximum_age"}:
                continue
            value = row[name]
            if name in {"status", "publication", "cost", "access"} and not value:
                continue  # keep the current value or the default
            setattr(service, name, value)
        for name in ("minimum_age", "maximum_age"):
            if name in row:
                value = row[name]
                if value and not plain_digits(value):
                    errors.append(f"{name} must be a whole number")
                else:
                    setattr(service, name, int(value) if value else None)
        if row.get("last_reviewed"):
            try:
                service.last_reviewed = datetime.date.fromisoformat(row["last_reviewed"])
            except ValueError:
                errors.append("last_reviewed must be a date like 2026-03-31")
        categories = [] if "categories" in row else None
        for slug in _split(row.get("categories", "")):
            if slug in terms:
                categories.append(terms[slug])
            else:
                errors.append(f"unknown category {slug!r}")
        places = [] if "locations" in row else None
        for value in _split(row.get("locations", "")):
            if value.lower() in locations:
                places.append(locations[value.lower()])
            else:
                errors.append(f"unknown location {value!r}")
        languages = [] if "languages" in row else None
        for value in _split(row.get("languages", "")):
            if value.casefold() in LANGUAGES:
                languages.append(LANGUAGES[value.casefold()])
            else:
                errors.append(
                    f"unknown language {value!r} (use a code such as bfi, or a name such as"
                    " British Sign Language)"
                )
        if languages:
            languages = list(dict.fromkeys(languages))  # once each, as the database insists
        schedules = None
        text = row.get("schedules")
        if text is not None and (service.pk is None or text != schedules_text(_sched(service))):
            schedules = []
            for part in _split(text):
                match = SCHEDULE_RE.match(part)
                if not match:
                    errors.append(f"schedule {part!r} should look like 'TU 10:00-12:00'")
                    continue
                day, opens, closes = match.groups()
                try:
                    schedule = Schedule(
                        weekday=BYDAY[day],
                        opens_at=datetime.time.fromisoformat(opens) if opens else None,
                        closes_at=datetime.time.fromisoformat(closes) if closes else None,
                    )
                    schedule.clean()
                except (ValueError, ValidationError) as exc:
                    errors.append(f"schedule {part!r}: {_message(exc)}")
                    continue
                schedules.append(schedule)
        try:
            # No query per row: the organisation was looked up above, the uuid is new or the
            # service's own, and clean() checks the age range the CheckConstraint enforces.
            service.full_clean(
                exclude=["organisation"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors.extend(_messages(exc))
        if errors:
            result.errors.extend((number, e) for e in errors)
        else:
            result.rows.append(ParsedRow(number, service, categories, places, schedules, languages))
    return result


def _uuids(values):
    found = set()
    for value in values:
        with contextlib.suppress(ValueError):
            found.add(uuid.UUID(value))
    return found


def _sched(service):
    return service.schedules.all()


def _message(exc):
    return "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _messages(exc):
    if hasattr(exc, "message_dict"):
        return [f"{k}: {m}" for k, ms in exc.message_dict.items() for m in ms]
    return list(exc.messages)
