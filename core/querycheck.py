"""Refuses (400) a request whose web address holds a value no view should have to read.

Hand-made links reached the database with values PostgreSQL refuses, and each was a 500:
a NUL character anywhere in a filter or search (?status__exact=%00, the admin autocomplete's
?term=%00), a year Python's dates cannot hold (?created__year=99999, ...=99999999999). Django's
admin turns most bad filters into ?e=1, but not these. Checking every request once, before any
view, covers the admin, the staff pages, the public pages and the ORUK API alike:

- NUL, as sent or percent-encoded once more (%2500), in the path or in any query key or value;
- a whole number outside the signed 64-bit range in any query value (a bigint column's range);
- a date part the admin filters by (`__year`, `__month`, `__day`, ...; alone or compared with
  exact/gt/gte/lt/lte) outside the range a date can have: years 1 to 9998, months 1 to 12 ...

Cookies holding NUL are ignored rather than refused: Django's cookie parser decodes "\\000",
so a session cookie could carry one into the session lookup (a 500 on every page).
"""

import re

from csp.middleware import CSPMiddleware
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# A whole number as int() reads it (Django's integer fields use int()): sign, digits, "_".
INTEGER = re.compile(r"[+-]?(\d+(?:_\d+)*)")
# Date and time parts Django can filter by, and the values each can have. Years stop at 9998:
# the admin's date hierarchy reads up to the start of the next year, and 10000 is past a date.
DATE_PARTS = {
    "year": (1, 9998),
    "iso_year": (1, 9998),
    "month": (1, 12),
    "day": (1, 31),
    "week": (1, 53),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "quarter": (1, 4),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
# Lookups that compare a date part with one number (`__in` and `__range` lists are not).
COMPARISONS = {"exact", "gt", "gte", "lt", "lte"}


def has_nul(text: str) -> bool:
    return "\x00" in text or "%00" in text


def whole_number(text: str) -> int | None:
    """The number int() would read from `text`, or None if it is not a whole number. Past
    int64, any number of digits comes back as INT64_MAX + 1 (int() itself refuses more than
    4,300 digits)."""
    match = INTEGER.fullmatch(text.strip())
    if match is None:
        return None
    if len(match[1].replace("_", "").lstrip("0")) > 19:
        return INT64_MAX + 1
    try:
        return int(text)
    except ValueError:  # str.strip() drops characters int() does not, such as \x1f
        return None


def date_part(key: str) -> tuple[int, int] | None:
    """The range of the date part a query key filters by, e.g. created__year__gte."""
    parts = key.split("__")
    if len(parts) > 2 and parts[-1] in COMPARISONS:
        parts = parts[:-1]
    if len(parts) < 2:
        return None
    return DATE_PARTS.get(parts[-1])


def problem(path: str, query) -> str | None:
    """Why a request's path and query (a QueryDict) cannot be used, or None if they can."""
    if has_nul(path):
        return "The web address contains a character that is not allowed."
    for key, values in query.lists():
        name = key.replace("\x00", "")[:50]
        if has_nul(key):
            return "The web address contains a character that is not allowed."
        limits = date_part(key)
        for value in values:
            if has_nul(value):
                return f"‘{name}’ contains a character that is not allowed."
            number = whole_number(value)
            if number is None:
                continue
            if not INT64_MIN <= number <= INT64_MAX:
                return f"‘{name}’ is a number too large to use."
            if limits and not limits[0] <= number <= limits[1]:
                return f"‘{name}’ must be from {limits[0]} to {limits[1]}."
    return None


def bad_request(request, message: str = ""):
    """The 400 answer: ORUK-style JSON under /api/, a GOV.UK page everywhere else."""
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"error": "bad_request", "message": message or "The request could not be understood."},
            status=400,
        )
        response["Access-Control-Allow-Origin"] = "*"
        add_never_cache_headers(response)
        return response
    return render(request, "400.html", {"problem": message}, status=400)


class QueryCheckMiddleware:
    """Answers 400 before any view runs when the path or query holds a value no view or
    database could use (see the module docstring). Placed before the session middleware, so
    a NUL in a cookie is dropped before the session is looked up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if "\x00" in value]:
            del request.COOKIES[name]
        message = problem(request.path, request.GET) or self._header_problem(request)
        if message is None:
            return self.get_response(request)
        response = bad_request(request, message)
        # This answer skips the middleware below this one, CSPMiddleware among them.
        return CSPMiddleware(lambda _request: response)(request)

    @staticmethod
    def _header_problem(request):
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
                return "The request contains a character that is not allowed."
        return None
