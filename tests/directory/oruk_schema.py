"""Validate API responses against the official ORUK 3.0 schemas, offline.

Every schema file (and the OpenAPI document) is registered under its published URL, so the
absolute `$ref`s between them resolve from directory/oruk_schemas/ and never from the network
(the registry has no retriever: an unknown reference fails the test)."""

import json
from functools import cache

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = settings.BASE_DIR / "directory" / "oruk_schemas"
BASE = "https://openreferraluk.org/specifications/3.0/"
OPENAPI = BASE + "openapi.json"


@cache
def registry():
    resources = [
        (
            BASE + "schema/" + path.name,
            Resource.from_contents(
                json.loads(path.read_text(encoding="utf-8")), default_specification=DRAFT202012
            ),
        )
        for path in sorted((SCHEMA_DIR / "schema").glob("*.json"))
    ]
    openapi = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    resources.append((OPENAPI, DRAFT202012.create_resource(openapi)))
    return Registry().with_resources(resources)


def response_schema(path, status="200"):
    """The schema the official OpenAPI document gives for this path's response."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    content = "content/application~1json/schema"
    return {"$ref": f"{OPENAPI}#/paths/{pointer}/get/responses/{status}/{content}"}


def schema(name):
    return {"$ref": f"{BASE}schema/{name}.json"}


def page_of(name):
    return {
        "allOf": [
            schema("page"),
            {
                "type": "object",
                "properties": {"contents": {"type": "array", "items": schema(name)}},
            },
        ]
    }


ERROR = {"$ref": f"{OPENAPI}#/components/schemas/ErrorResponse"}


def errors(instance, against):
    validator = Draft202012Validator(against, registry=registry(), format_checker=FormatChecker())
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def assert_valid(instance, against):
    problems = errors(instance, against)
    assert problems == [], problems
