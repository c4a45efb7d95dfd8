"""Harvest other councils' ORUK 3.0 feeds into our directory (`manage.py harvest_oruk`).

A harvest fetches every page first, checking each against the published schema, and only
then writes, in one transaction: a feed that fails part way (an error status, a timeout,
invalid JSON, a page that breaks the schema or changes shape) leaves the directory exactly as
it was, and the feed keeps its last good harvest time. Harvested records keep their feed and
its id for them (`source_feed`, `source_id`) and are read-only in the admin: the next harvest
would overwrite a local edit, so none is allowed.

The first harvest, and one a week after (`FULL_EVERY`), is a full pass over
`/services?full=true`; the others ask only `modified_after` the last good harvest's start. Only a
full pass shows which services the feed no longer lists: those are withdrawn (unpublished, not
deleted, so they come back if the feed lists them again).
"""

import datetime
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.cache import bump
from directory.csv_io import LANGUAGES, ParsedRow
from directory.models import (
    FeedTermMapping,
    HarvestedOrganisation,
    HarvestFeed,
    Location,
    Schedule,
    Service,
    TaxonomyTerm,
    area_for_postcode,
)
from directory.postcodes import normalise_postcode
from directory.services import import_services, touch_services
from partners.models import Organisation
from partners.models.organisations import normalise_charity_number, normalise_company_number

FULL_EVERY = datetime.timedelta(days=7)
PER_PAGE = 100
TIMEOUT = 30  # seconds for each page
SCHEMA_BASE = "https://openreferraluk.org/specifications/3.0/schema/"
STATUSES = {value for value, _ in Service.Status.choices}
BYDAY = {code: day for day, code in Schedule.BYDAY.items()}


class HarvestError(Exception):
    """What went wrong, in words an officer can act on."""


@dataclass
class Result:
    full: bool
    fetched: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0

    def __str__(self):
        kind = "Full" if self.full else "Changes only"
        return (
            f"{kind}: {self.fetched} services read, {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.withdrawn} withdrawn"
        )


@cache
def _validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    folder = settings.BASE_DIR / "directory" / "oruk_schemas" / "schema"
    registry = Registry().with_resources(
        (
            SCHEMA_BASE + path.name,
            Resource.from_contents(json.loads(path.read_text("utf-8")), DRAFT202012),
        )
        for path in sorted(folder.glob("*.json"))
    )
    return Draft202012Validator({"$ref": SCHEMA_BASE + "service.json"}, registry=registry)


def _get(url: str, *, timeout: float) -> dict:
    if not url.startswith(("https://", "http://")):
        raise HarvestError(f"The feed's address must start with https:// ({url})")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        raise HarvestError(f"The feed answered {error.code} ({error.reason}) for {url}") from None
    except TimeoutError:
        raise HarvestError(f"The feed did not answer within {timeout:g} seconds: {url}") from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise HarvestError(f"Could not reach the feed ({reason}): {url}") from None
    try:
        return json.loads(body)
    except ValueError:
        raise HarvestError(f"The feed sent something that is not JSON: {url}") from None


def _check_page(data, url: str, number: int, total_pages: int | None) -> tuple[list, int]:
    """The page's services and page count; a HarvestError if it is not the ORUK page."""
    if not isinstance(data, dict) or not isinstance(data.get("contents"), list):
        raise HarvestError(f"Page {number} is not an ORUK page (no list of contents): {url}")
    pages = data.get("total_pages")
    if not isinstance(pages, int) or pages < 0:
        raise HarvestError(f"Page {number} does not say how many pages there are: {url}")
    if total_pages is not None and pages != total_pages:
        raise HarvestError(
            f"The feed changed while it was read: page 1 said {total_pages} pages, "
            f"page {number} says {pages}"
        )
    validator = _validator()
    for index, item in enumerate(data["contents"]):
        error = next(iter(validator.iter_errors(item)), None)
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "the service"
            raise HarvestError(
                f"Page {number}, service {index + 1} does not follow the ORUK 3.0 schema "
                f"({where}: {error.message[:200]})"
            )
    return data["contents"], pages


def fetch_services(
    feed: HarvestFeed,
    *,
    modified_after: datetime.datetime | None = None,
    timeout: float = TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
) -> list[dict]:
    """Every page of the feed's `/services?full=true` (changed since `modified_after`)."""
    query = {"full": "true", "per_page": PER_PAGE}
    if modified_after is not None:
        # UK wall-clock time without an offset, as ORUK's modified_after is usually read.
        query["modified_after"] = timezone.localtime(modified_after).strftime("%Y-%m-%dT%H:%M:%S")
    base = feed.base_url.rstrip("/")
    services, number, total_pages = [], 1, None
    while True:
        url = f"{base}/services?{urllib.parse.urlencode(query | {'page': number})}"
        contents, total_pages = _check_page(_get(url, timeout=timeout), url, number, total_pages)
        services += contents
        if progress:
            progress(number, total_pages)
        if number >= total_pages:
            return services
        number += 1


def harvest_feed(
    *,
    feed: HarvestFeed,
    full: bool | None = None,
    timeout: float = TIMEOUT,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Harvest one feed: fetch and check everything, then write it in one transaction.

    `full` forces (or refuses) a full pass; by default the first harvest and one every
    `FULL_EVERY` are full. On failure the directory is unchanged, the error and time are kept on
    the feed for the officer, and HarvestError is raised."""
    started = timezone.now()
    if full is None:
        full = feed.last_full_at is None or feed.last_full_at <= started - FULL_EVERY
    since = None if full else feed.last_success_at
    try:
        items = fetch_services(feed, modified_after=since, timeout=timeout, progress=progress)
        result = _store(feed=feed, items=items, full=full)
    except HarvestError as error:
        _record(feed, last_attempt_at=started, last_error=str(error))
        raise
    except Exception as error:  # a bug or a database refusal: still the officer's to see
        _record(feed, last_attempt_at=started, last_error=f"The harvest failed: {error!r}"[:2000])
        raise HarvestError(f"The harvest failed: {error}") from error
    changes = {"last_attempt_at": started, "last_success_at": started, "last_error": ""}
    if full:
        changes["last_full_at"] = started
    _record(feed, last_summary=str(result)[:300], **changes)
    return result


def _record(feed: HarvestFeed, **changes) -> None:
    HarvestFeed.objects.filter(pk=feed.pk).update(**changes, modified=timezone.now())
    for name, value in changes.items():
        setattr(feed, name, value)


@transaction.atomic
def _store(*, feed: HarvestFeed, items: list[dict], full: bool) -> Result:
    result = Result(full=full, fetched=len(items))
    terms = dict(FeedTermMapping.objects.filter(feed=feed).values_list("their_term", "term_id"))
    existing = {s.source_id: s for s in Service.objects.filter(source_feed=feed)}
    places = {loc.source_id: loc for loc in Location.objects.filter(source_feed=feed)}
    organisations = {
        link.source_id: link.organisation
        for link in HarvestedOrganisation.objects.filter(feed=feed).select_related("organisation")
    }
    seen, rows, touched_places = set(), [], {}
    for item in items:
        source_id = str(item["id"])
        seen.add(source_id)
        categories = {terms[key] for key in _term_keys(item) if key in terms}
        digest = _digest(item, categories)
        service = existing.get(source_id)
        if (
            service is not None
            and service.source_digest == digest
            and service.publication == Service.Publication.PUBLISHED
        ):
            result.unchanged += 1
            continue  # nothing new since the last harvest
        organisation = _organisation(feed, item.get("organization"), organisations)
        if service is None:
            service = Service(source_feed=feed, source_id=source_id)
            result.created += 1
        else:
            result.updated += 1
        _fill_service(service, item, organisation)
        service.source_digest = digest
        rows.append(
            ParsedRow(
                number=len(rows) + 1,
                service=service,
                categories=[TaxonomyTerm(pk=pk) for pk in sorted(categories)],
                locations=_locations(feed, item, places, touched_places),
                schedules=_schedules(service, item),
                languages=_languages(item),
            )
        )
    _save_places(touched_places.values())
    updated = [row.service for row in rows if row.service.pk is not None]
    # In bulk, as a CSV import is: search text, categories, places and times in a few queries.
    import_services(rows=rows)
    Service.objects.bulk_update(updated, ["source_digest"], batch_size=500)  # not editable
    if full:
        gone = Service.objects.filter(source_feed=feed, publication=Service.Publication.PUBLISHED)
        result.withdrawn = gone.exclude(source_id__in=seen).update(
            publication=Service.Publication.DRAFT,
            modified=timezone.now(),
            last_modified=timezone.now(),
        )
    bump()  # withdrawn services leave public pages too
    return result


FEATURES = [field for field, _ in Location.FEATURES]
PLACE_FIELDS = [
    "name",
    "description",
    "address_1",
    "address_2",
    "town",
    "postcode",
    "area",
    "latitude",
    "longitude",
    "accessibility",
    *FEATURES,
    "modified",
]


def _save_places(places) -> None:
    """New places in one INSERT, changed ones in a few UPDATEs; services at a changed place
    move their ORUK last_modified (as the signal would on a single save)."""
    places = list(places)
    changed = [p for p in places if p.pk is not None]
    Location.objects.bulk_create([p for p in places if p.pk is None], batch_size=1000)
    now = timezone.now()
    for place in changed:
        place.modified = now
    Location.objects.bulk_update(changed, PLACE_FIELDS, batch_size=500)
    if changed:
        at = Service.objects.filter(locations__in=changed).values_list("pk", flat=True)
        touch_services(service_ids=set(at))


def _digest(item: dict, categories: set[int]) -> str:
    text = json.dumps([item, sorted(categories)], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _text(value, length=None) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return text[:length] if length else text


def _fill_service(service: Service, item: dict, organisation: Organisation) -> None:
    service.organisation = organisation
    service.name = _text(item.get("name"), 200) or "Unnamed service"
    service.description = _text(item.get("description"))
    status = _text(item.get("status"))
    service.status = status if status in STATUSES else Service.Status.ACTIVE
    service.publication = Service.Publication.PUBLISHED
    url = _text(item.get("url"), 200)
    service.url = url if url.startswith(("https://", "http://")) else ""
    email = _text(item.get("email"), 254)
    service.email = email if "@" in email else ""
    phones = item.get("phones") or []
    service.phone = _text(phones[0].get("number"), 30) if phones else ""
    contacts = item.get("contacts") or []
    service.contact_name = _text(contacts[0].get("name"), 100) if contacts else ""
    low, high = _age(item.get("minimum_age")), _age(item.get("maximum_age"))
    if low is not None and high is not None and high < low:
        low = high = None
    service.minimum_age, service.maximum_age = low, high
    costs = item.get("cost_options") or []
    amounts = [c.get("amount") for c in costs if isinstance(c.get("amount"), int | float)]
    service.cost = Service.Cost.PAID if any(amounts) else Service.Cost.FREE
    described = [_text(c.get("amount_description")) for c in costs]
    service.fees_description = (_text(item.get("fees")) or " ".join(filter(None, described)))[:300]
    assured = _text(item.get("assured_date"))
    try:
        service.last_reviewed = datetime.date.fromisoformat(assured[:10]) if assured else None
    except ValueError:
        service.last_reviewed = None


def _age(value):
    return value if isinstance(value, int) and 0 <= value < 200 else None


def _term_keys(item: dict):
    """Each category's id and code (`code`, or `term`), as the feed names them."""
    for attribute in item.get("attributes") or []:
        term = attribute.get("taxonomy_term") or {}
        for key in (attribute.get("taxonomy_term_id"), term.get("id"), term.get("code")):
            if key:
                yield str(key)
        if term.get("term"):
            yield str(term["term"])


def _organisation(feed, data, known: dict) -> Organisation:
    """The organisation here for the feed's organisation: linked before, or the one with the
    same charity or company number (from any feed, or our own), or a new one."""
    data = data or {}
    source_id = str(data.get("id") or "unknown")
    if source_id in known:
        return known[source_id]
    charity = company = ""
    for identifier in data.get("organization_identifiers") or []:
        scheme, value = identifier.get("identifier_scheme"), _text(identifier.get("identifier"))
        if scheme == "GB-CHC":
            charity = normalise_charity_number(value)
        elif scheme in {"GB-SC", "GB-NIC"}:
            charity = normalise_charity_number(("NIC" if scheme == "GB-NIC" else "") + value)
        elif scheme == "GB-COH":
            company = normalise_company_number(value)
    organisation = None
    if charity:
        organisation = Organisation.objects.filter(charity_number=charity).first()
    if organisation is None and company:
        organisation = Organisation.objects.filter(company_number=company).first()
    if organisation is None:
        name = _text(data.get("name"), 200) or f"Listed by {feed.name}"
        website = _text(data.get("website"), 200)
        email = _text(data.get("email"), 254)
        organisation = Organisation.objects.create(
            name=name,
            slug=_free_slug(name),
            kind=Organisation.Kind.CHARITY if charity else Organisation.Kind.COMMUNITY_GROUP,
            description=_text(data.get("description")),
            website=website if website.startswith(("https://", "http://")) else "",
            email=email if "@" in email else "",
            charity_number=charity[:20],
            company_number=company[:8],
        )
    HarvestedOrganisation.objects.create(feed=feed, source_id=source_id, organisation=organisation)
    known[source_id] = organisation
    return organisation


def _free_slug(name: str) -> str:
    base = slugify(name)[:180] or "organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _locations(feed, item: dict, known: dict, touched: dict) -> list[Location]:
    """The service's places, filled in from the feed (saved later, in bulk, by _save_places)."""
    found = []
    for link in item.get("service_at_locations") or []:
        data = link.get("location") or {}
        source_id = str(data.get("id") or link.get("location_id") or "")
        if not source_id:
            continue
        place = known.get(source_id) or Location(source_feed=feed, source_id=source_id)
        address = (data.get("addresses") or [{}])[0]
        place.name = _text(data.get("name"), 200)
        place.description = _text(data.get("description"))
        place.address_1 = _text(address.get("address_1"), 200)
        place.address_2 = _text(address.get("address_2"), 200)
        place.town = _text(address.get("city"), 100)
        postcode = _postcode(_text(address.get("postal_code")))
        if place.pk is None or postcode != place.postcode:
            place.area = area_for_postcode(postcode)
        place.postcode = postcode
        lat, lng = data.get("latitude"), data.get("longitude")
        if isinstance(lat, int | float) and isinstance(lng, int | float):
            valid = -90 <= lat <= 90 and -180 <= lng <= 180
            place.latitude = round(lat, 6) if valid else None
            place.longitude = round(lng, 6) if valid else None
        # A feature we filter by comes as its kind (as our own API writes it); the rest are notes.
        features, notes = set(), []
        for entry in data.get("accessibility") or []:
            kind = _text(entry.get("accessibility"))
            if kind in FEATURES:
                features.add(kind)
            else:
                notes.append(_text(entry.get("description")))
        for feature in FEATURES:
            setattr(place, feature, feature in features)
        place.accessibility = "\n".join(filter(None, notes))
        known[source_id] = touched[source_id] = place
        found.append(place)
    return found


def _postcode(value: str) -> str:
    try:
        return normalise_postcode(value)
    except ValidationError:  # a foreign postcode is kept as given, cut to fit
        return value[:8]


def _schedules(service: Service, item: dict) -> list[Schedule]:
    made = []
    for data in item.get("schedules") or []:
        days = [BYDAY[d] for d in _text(data.get("byday")).split(",") if d.strip() in BYDAY]
        opens, closes = _clock(data.get("opens_at")), _clock(data.get("closes_at"))
        if opens and closes and closes <= opens:
            opens = closes = None
        description = _text(data.get("description"), 200)
        for day in days or [None]:
            if day is None and not description:
                continue
            made.append(
                Schedule(
                    service=service,
                    weekday=day,
                    opens_at=opens,
                    closes_at=closes,
                    description="" if day else description,
                )
            )
    return made


def _languages(item: dict) -> list[str]:
    """The feed's languages we list (by ISO 639 code or by name), once each."""
    found = []
    for entry in item.get("languages") or []:
        for key in (_text(entry.get("code")), _text(entry.get("name"))):
            if key.casefold() in LANGUAGES:
                found.append(LANGUAGES[key.casefold()])
                break
    return list(dict.fromkeys(found))


def _clock(value):
    try:
        return datetime.time.fromisoformat(_text(value)[:5])
    except ValueError:
        return None
