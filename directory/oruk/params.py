"""Parameters of the ORUK API: validated, with the errors the API answers (JSON 400/404),
and the API's constants. The services' search parameters are a FilterSet on the directory's
search layer (OrukServiceSearch), so the API filters and ranks as the public page does."""

import datetime
import re
import uuid

from django.utils import timezone

from directory.models import Service
from directory.search import MAX_QUERY_LENGTH

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/developers"
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 999_999_999
MAX_PROXIMITY_METRES = 1_000_000
MAX_VALUE_LENGTH = 1000
METRES_PER_MILE = 1609.344
# Namespace for ids derived with uuid5 (any fixed UUID; never change it: ids would change).
NAMESPACE = uuid.UUID("6f1a0c9e-3b7d-4c2e-9a51-0d8e4f2b7c13")
COUNTRY = "GB"

ServiceLocation = Service.locations.through


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    pass


class NotFound(ApiError):
    status = 404
    code = "not_found"


# --- parameters --------------------------------------------------------------------------

INTEGER_RE = re.compile(r"^[0-9]{1,9}$")
TRUE, FALSE = {"true", "1"}, {"false", "0"}


def check_query(query):
    """Refuse NUL bytes and absurd lengths in any parameter, before anything reads them."""
    for key, values in query.lists():
        for value in [key, *values]:
            if "\x00" in value:
                raise BadRequest(f"Parameter '{key[:50]}' contains a NUL byte.")
            if len(value) > MAX_VALUE_LENGTH:
                raise BadRequest(f"Parameter '{key[:50]}' is too long.")


def integer(query, name, *, default, minimum, maximum):
    text = query.get(name, "")
    if text == "":
        return default
    if not INTEGER_RE.match(text) or not minimum <= int(text) <= maximum:
        raise BadRequest(f"'{name}' must be a whole number from {minimum} to {maximum}.")
    return int(text)


def page_params(query):
    page = integer(query, "page", default=1, minimum=1, maximum=MAX_PAGE)
    per_page = integer(query, "per_page", default=DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE)
    return page, per_page


def boolean(query, name):
    text = query.get(name, "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE or text == "":
        return False
    raise BadRequest(f"'{name}' must be true or false.")


def uuid_param(query, name):
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise BadRequest(f"'{name}' must be a UUID, like {NAMESPACE}.") from None


def path_uuid(text, what):
    """An id in the path: anything that is not a UUID cannot exist, so it is a 404."""
    try:
        return uuid.UUID(text)
    except ValueError:
        raise NotFound(f"No {what} with id '{text[:100]}'.") from None


def parse_datetime(text, name):
    """ISO 8601 date or date-time; without an offset it is the site's time zone."""
    text = text.strip()
    if not text:
        return None
    problem = (
        f"'{name}' must be an ISO 8601 date or date-time, like 2026-01-31 or "
        "2026-01-31T09:30:00Z (encode + as %2B)."
    )
    try:
        value = datetime.datetime.fromisoformat(text)
        if value.tzinfo is None:
            value = timezone.make_aware(value)
        value.astimezone(datetime.UTC)  # out of range near year 1 or 9999
    except (ValueError, OverflowError):
        raise BadRequest(problem) from None
    if not 1900 <= value.year <= 9998:
        raise BadRequest(problem)
    return value


def search_param(query):
    text = " ".join((query.get("search") or query.get("text") or "").split())
    if len(text) > MAX_QUERY_LENGTH:
        raise BadRequest(f"'search' must be {MAX_QUERY_LENGTH} characters or fewer.")
    return text


def unsupported(query, *names):
    """Parameters of the standard we accept as false but do not implement."""
    for name in names:
        if boolean(query, name):
            raise BadRequest(f"'{name}=true' is not supported by this API.")
    fmt = query.get("format", "json").strip().lower() or "json"
    if fmt != "json":
        raise BadRequest("'format' must be json (ndjson is not supported by this API).")
