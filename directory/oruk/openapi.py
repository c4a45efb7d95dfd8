"""The OpenAPI document the API serves: the published ORUK 3.0 one (directory/oruk_schemas/,
unmodified on disk) with this server's URL, the 2024 UK profile's filters and our extension
endpoints added. Every `$ref` in it points into the published files."""

import copy
import json
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "oruk_schemas"
SCHEMA_URL = "https://openreferraluk.org/specifications/3.0/schema/"
EXTENSION = "extension"

# Filters of the 2024 UK profile (name, type, description); not in the published document.
PROFILE_FILTERS = [
    (
        "minimum_age",
        "integer",
        "Services open to someone of this age or older (their maximum age, if any, is at least "
        "this).",
    ),
    (
        "maximum_age",
        "integer",
        "Services open to someone of this age or younger (their minimum age, if any, is at most "
        "this). With minimum_age: services open to some age in the range.",
    ),
    (
        "day",
        "string",
        "Services with a weekly time on this day: MO, TU, WE, TH, FR, SA, SU or the day's name; "
        "several separated by commas.",
    ),
    (
        "start_time",
        "string",
        "Services with a time (on `day`, if given) that opens at or after this time: HH:MM, "
        "optionally with Z or an offset; UK time without one.",
    ),
    (
        "end_time",
        "string",
        "Services with a time (on `day`, if given) that closes at or before this time: HH:MM, "
        "optionally with Z or an offset; UK time without one.",
    ),
]


@cache
def published():
    return json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))


def _page_of(name):
    return {
        "allOf": [
            {"$ref": "#/components/schemas/Page"},
            {
                "type": "object",
                "properties": {"contents": {"type": "array", "items": {"$ref": SCHEMA_URL + name}}},
            },
        ]
    }


def _extension_paths():
    location = {"$ref": SCHEMA_URL + "location.json"}
    return {
        "/locations": {
            "get": {
                "summary": "Places where published services happen (extension)",
                "description": "Not part of Open Referral UK 3.0: a paginated list of locations.",
                "operationId": "getPaginatedListOfLocations",
                "tags": [EXTENSION],
                "parameters": [
                    {"$ref": "#/components/parameters/search"},
                    {"$ref": "#/components/parameters/page"},
                    {"$ref": "#/components/parameters/per_page"},
                ],
                "responses": {
                    "200": {
                        "description": "A paginated list of locations.",
                        "content": {"application/json": {"schema": _page_of("location.json")}},
                    }
                },
            }
        },
        "/locations/{id}": {
            "get": {
                "summary": "One location (extension)",
                "description": "Not part of Open Referral UK 3.0.",
                "operationId": "getLocationById",
                "tags": [EXTENSION],
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "The location with its address.",
                        "content": {"application/json": {"schema": location}},
                    }
                },
            }
        },
    }


def document(*, server_url: str, server_name: str) -> dict:
    """The document for this server: a fresh copy each time (callers may change it)."""
    doc = copy.deepcopy(published())
    doc["servers"] = [{"url": server_url, "description": server_name}]
    doc["tags"] = [
        *doc.get("tags", []),
        {"name": EXTENSION, "description": "Not part of Open Referral UK 3.0."},
    ]
    parameters = doc["components"]["parameters"]
    for name, kind, description in PROFILE_FILTERS:
        parameters[name] = {
            "name": name,
            "in": "query",
            "required": False,
            "description": f"2024 UK profile: {description}",
            "schema": {"type": kind},
        }
    for path in ("/services", "/service_at_locations"):
        doc["paths"][path]["get"]["parameters"] += [
            {"$ref": f"#/components/parameters/{name}"} for name, _, _ in PROFILE_FILTERS
        ]
    doc["paths"].update(_extension_paths())
    return doc
