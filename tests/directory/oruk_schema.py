"""Validate API responses against the published ORUK 3.0 files, offline.

The published schemas have no `$id`: each file in directory/oruk_schemas/ (and the OpenAPI
document) is registered under its published URL, so the absolute `$ref`s between them resolve
from the copies and never from the network (the registry has no retriever: a reference to a
file we do not have fails the test)."""

import json
from functools import cache

from django.conf import settings
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = settings.BASE_DIR / "directory" / "oruk_schemas"
BASE = "https://openreferraluk.org/specifications/3.0/"
OPENAPI = BASE + "openapi.json"
SERVED = "https://served.example/openapi.json"  # where resolve_all registers a served document


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


def response_schema(path, status="200", document=OPENAPI):
    """The schema the OpenAPI document gives for this path's response."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    content = "content/application~1json/schema"
    return {"$ref": f"{document}#/paths/{pointer}/get/responses/{status}/{content}"}


def schema(name):
    return {"$ref": f"{BASE}schema/{name}.json"}


def page_of(name):
    return {
        "allOf": [
            {"$ref": f"{OPENAPI}#/components/schemas/Page"},
            {
                "type": "object",
                "properties": {"contents": {"type": "array", "items": schema(name)}},
            },
        ]
    }


# The standard names the error responses but defines no body: ours is {"error", "message"}.
ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
    "required": ["error", "message"],
    "additionalProperties": False,
}


def errors(instance, against, registry_=None):
    validator = Draft202012Validator(
        against, registry=registry_ or registry(), format_checker=FormatChecker()
    )
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def assert_valid(instance, against, registry_=None):
    problems = errors(instance, against, registry_)
    assert problems == [], problems[:20]


def with_served(document):
    """The registry with a served OpenAPI document added (at SERVED)."""
    return registry().with_resource(SERVED, DRAFT202012.create_resource(document))


def unresolved_refs(document):
    """Every `$ref` in a served document that does not resolve against the published files."""
    resolver = with_served(document).resolver(base_uri=SERVED)
    found, todo = [], [document]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                try:
                    resolver.lookup(node["$ref"])
                except Exception as exc:  # noqa: BLE001 - report every kind of failure
                    found.append(f"{node['$ref']}: {exc!r}"[:200])
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found
