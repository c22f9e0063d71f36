"""JSON Schemas of the site's public data formats, shipped inside the package.

``snapshot-1.json`` describes the daily snapshot files (docs/snapshot-format.md). The build's
tests validate every snapshot against it, and a reader of the published JSON can do the same
with ``validate_snapshot`` (or any draft 2020-12 validator).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import jsonschema

SNAPSHOT_SCHEMA_FILE = "snapshot-1.json"


@cache
def _snapshot_schema_text() -> str:
    return resources.files(__name__).joinpath(SNAPSHOT_SCHEMA_FILE).read_text(encoding="utf-8")


def snapshot_schema() -> dict:
    """The snapshot format v1 schema (a fresh copy each call, so callers may change it)."""
    return json.loads(_snapshot_schema_text())


@cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = snapshot_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def snapshot_errors(doc: object) -> list[jsonschema.ValidationError]:
    """Every way ``doc`` breaks the snapshot schema (empty when it is valid), most relevant first."""
    return sorted(_validator().iter_errors(doc), key=jsonschema.exceptions.relevance)


def validate_snapshot(doc: object) -> None:
    """Raise ``jsonschema.ValidationError`` (naming the offending key path) if ``doc`` is not a valid v1 snapshot."""
    errors = list(_validator().iter_errors(doc))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise best
