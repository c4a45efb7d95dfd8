"""ORUK JSON for each record: field names, types and required fields as the official schemas
(directory/oruk_schemas/) have them; optional fields without a value left out, never null."""

import datetime

from django.utils import timezone

from directory.models import Schedule, Service
from directory.oruk.ids import derived_id, service_at_location_id, taxonomy_id
from directory.oruk.params import COUNTRY

# --- serialisers -------------------------------------------------------------------------


def _put(data, key, value):
    """Optional fields: left out when empty, never null."""
    if value is not None and value != "" and value != []:
        data[key] = value
    return data


def _timestamp(value):
    return value.astimezone(datetime.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def organization(org, *, identifiers=True, services=None):
    """`services`: the organisation's services already serialised, if they are wanted."""
    data = {"id": str(org.uuid), "name": org.name, "description": org.description}
    _put(data, "email", org.email)
    _put(data, "website", org.website)
    if identifiers:
        _put(data, "organization_identifiers", organization_identifiers(org))
    if services is not None:
        data["services"] = services
    return data


IDENTIFIER_TYPES = {
    "GB-CHC": "Charity Commission for England and Wales number",
    "GB-SC": "Scottish Charity Regulator number",
    "GB-NIC": "Charity Commission for Northern Ireland number",
    "GB-COH": "Companies House number",
}


def organization_identifiers(org):
    """Charity and company numbers, with their org-id.guide schemes."""
    found = []
    charity = org.charity_number
    if charity.startswith("SC"):
        found.append(("GB-SC", charity))
    elif charity.startswith("NIC"):
        found.append(("GB-NIC", charity.removeprefix("NIC")))
    elif charity:
        found.append(("GB-CHC", charity))
    if org.company_number:
        found.append(("GB-COH", org.company_number))
    return [
        {
            "id": derived_id("organization_identifier", org.uuid, scheme),
            "organization_id": str(org.uuid),
            "identifier_scheme": scheme,
            "identifier_type": IDENTIFIER_TYPES[scheme],
            "identifier": identifier,
        }
        for scheme, identifier in found
    ]


def service_summary(service):
    """A /services list item: one-to-one fields only (the list schema forbids the arrays)."""
    data = {
        "id": str(service.uuid),
        "organization_id": str(service.organisation.uuid),
        "name": service.name,
        "description": service.description,
        "status": service.status,
    }
    _put(data, "url", service.url)
    _put(data, "email", service.email)
    _put(data, "minimum_age", service.minimum_age)
    _put(data, "maximum_age", service.maximum_age)
    _put(data, "assured_date", service.last_reviewed and service.last_reviewed.isoformat())
    data["last_modified"] = _timestamp(service.last_modified)
    return data


def service_full(service):
    """GET /services/{id}: the service with its organisation, places, times and categories."""
    data = service_summary(service)
    service_id = data["id"]
    data["organization"] = organization(service.organisation)
    locations = list(service.locations.all())
    located = {loc.pk for loc in locations}
    sals = [
        {
            "id": service_at_location_id(service.pk, loc.pk),
            "service_id": service_id,
            "location_id": str(loc.uuid),
            "location": location(loc),
        }
        for loc in sorted(locations, key=lambda loc: (loc.name, loc.pk))
    ]
    _put(data, "service_at_locations", sals)
    _put(data, "schedules", [schedule(s, service, located) for s in service.schedules.all()])
    contacts = []
    if service.contact_name:
        contacts.append(
            {
                "id": derived_id("contact", service.uuid),
                "service_id": service_id,
                "name": service.contact_name,
            }
        )
    _put(data, "contacts", contacts)
    # ORUK 3.0's language has id and service_id; name and code are HSDS 3.0's (ISO 639).
    languages = [
        {
            "id": str(spoken.uuid),
            "service_id": service_id,
            "name": spoken.get_language_display(),
            "code": spoken.language,
        }
        for spoken in service.languages.all()
    ]
    _put(data, "languages", languages)
    if service.phone:
        # ORUK 3.0 defines phone but places it nowhere; HSDS 3.0 puts phones on the service.
        phone = {"id": derived_id("phone", service.uuid), "number": service.phone}
        _put(phone, "contact_id", contacts[0]["id"] if contacts else None)
        data["phones"] = [phone]
    data["cost_options"] = [cost_option(service)]
    attributes = [
        {
            "id": derived_id("attribute", service.uuid, term.uuid),
            "link_id": service_id,
            "link_type": "service_type",
            "link_entity": "service",
            "taxonomy_term_id": str(term.uuid),
            "taxonomy_term": taxonomy_term(term),
        }
        for term in sorted(service.categories.all(), key=lambda t: (t.name, t.pk))
    ]
    _put(data, "attributes", attributes)
    return data


def cost_option(service):
    data = {"id": derived_id("cost_option", service.uuid), "service_id": str(service.uuid)}
    if service.cost == Service.Cost.FREE:
        data["amount"] = 0
    description = service.fees_description or service.get_cost_display()
    _put(data, "amount_description", description)
    return data


def schedule(item, service, located):
    data = {"id": str(item.uuid), "service_id": str(service.uuid)}
    if item.location_id in located:
        data["service_at_location_id"] = service_at_location_id(service.pk, item.location_id)
    if item.weekday:
        data.update(freq="WEEKLY", interval=1, byday=Schedule.BYDAY[item.weekday])
    _put(data, "opens_at", _clock(item.opens_at))
    _put(data, "closes_at", _clock(item.closes_at))
    _put(data, "description", str(item))
    return data


def _clock(value):
    """A UK time of day with today's UK offset, as the schema asks ("09:30+01:00" in summer,
    "09:30+00:00" in winter): a weekly time is kept as the clock on the wall."""
    if value is None:
        return None
    offset = timezone.localtime().strftime("%z")
    return f"{value:%H:%M}{offset[:3]}:{offset[3:]}"


def location(loc):
    data = {"id": str(loc.uuid), "location_type": "physical"}
    _put(data, "name", loc.name)
    _put(data, "description", loc.description)
    if loc.latitude is not None and loc.longitude is not None:
        data["latitude"] = float(loc.latitude)
        data["longitude"] = float(loc.longitude)
    data["addresses"] = [
        {
            "id": derived_id("address", loc.uuid),
            "location_id": str(loc.uuid),
            "address_1": ", ".join(p for p in (loc.address_1, loc.address_2) if p),
            "city": loc.town,
            # Required by the schema; UK addresses need no county, so it is empty.
            "state_province": "",
            "postal_code": loc.postcode,
            "country": COUNTRY,
            "address_type": "physical",
        }
    ]
    # One object per feature (HSDS 3.0 `accessibility`: its kind, then a description), then
    # the free-text notes.
    accessibility = [
        {
            "id": derived_id("accessibility", loc.uuid, field),
            "location_id": str(loc.uuid),
            "accessibility": field,
            "description": label,
        }
        for field, label in loc.FEATURES
        if getattr(loc, field)
    ]
    if loc.accessibility:
        accessibility.append(
            {
                "id": derived_id("accessibility", loc.uuid),
                "location_id": str(loc.uuid),
                "description": loc.accessibility,
            }
        )
    _put(data, "accessibility", accessibility)
    return data


def service_at_location(link, *, with_service, full_service=None):
    """`full_service`: the link's service loaded by service_detail_queryset, to nest it whole."""
    service, loc = link.service, link.location
    data = {
        "id": service_at_location_id(link.service_id, link.location_id),
        "service_id": str(service.uuid),
        "location_id": str(loc.uuid),
        "location": location(loc),
    }
    if full_service is not None:
        data["service"] = service_full(full_service)
    elif with_service:
        data["service"] = service_summary(service)
    return data


def taxonomy_term(term):
    data = {
        "id": str(term.uuid),
        "name": term.name,
        "description": term.description,
        "taxonomy": term.taxonomy,
        "taxonomy_id": taxonomy_id(term.taxonomy),
    }
    if term.parent_id:
        data["parent_id"] = str(term.parent.uuid)
    return data


def taxonomy(name, *, site_name, terms=None):
    data = {
        "id": taxonomy_id(name),
        "name": name,
        "description": f"Categories of services in the {site_name} community directory.",
    }
    if terms is not None:
        data["taxonomy_terms"] = [taxonomy_term(t) for t in terms]
    return data
