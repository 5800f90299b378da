"""JSON Schema validators built from the vendored StackOne OpenAPI documents.

The documents say ``openapi: 3.1.0`` but still use OpenAPI 3.0 idioms that a JSON Schema
(2020-12) validator would misread, so the component schemas are translated once on load:

- ``nullable: true`` → ``null`` added to ``type`` (and to ``enum``), or, where a schema has no
  ``type`` (``allOf``/``oneOf``/``$ref``), the whole schema wrapped in ``anyOf: [{type: null}, …]``;
- ``oneOf`` → ``anyOf``: ``CustomFields.value`` lists ``string`` and ``string/date-time``, so any
  string would match two branches and fail ``oneOf``;
- ``$ref: #/components/schemas/X`` → ``#/$defs/X`` inside one root document per spec.

``format: date-time`` is checked (ISO 8601 date with a time part; offset optional).

Used at runtime by the sandbox (request bodies) and by the tests (responses, client bodies).
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

OPENAPI_DIR = Path(__file__).resolve().parent / "openapi"
SPEC_FILES = {"ats": "ats.openapi.json", "core": "stackone-core.openapi.json"}

# Top-level properties StackOne returns on a Candidate but does not accept in a PATCH body.
READ_ONLY_CANDIDATE_FIELDS = ("id", "remote_id", "created_at", "updated_at", "tags", "remote_application_ids")

_DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$"
)


class SchemaMismatch(AssertionError):
    """An instance does not match a spec schema; ``errors`` lists "path: message" strings."""

    def __init__(self, schema_name: str, errors: list[str]):
        self.schema_name = schema_name
        self.errors = errors
        super().__init__(f"{schema_name}: " + "; ".join(errors))


def parse_datetime(value: str) -> datetime | None:
    """An ISO 8601 / RFC 3339 date-time string → datetime (naive if no offset), else None."""
    if not isinstance(value, str) or not _DATETIME_RE.match(value.strip()):
        return None
    text = value.strip()
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    # fromisoformat (3.11+) takes up to 6 fractional digits; trim nanoseconds.
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date-time")
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return parse_datetime(value) is not None


def translate(node: Any) -> Any:
    """Return a JSON Schema 2020-12 equivalent of an OpenAPI 3.0-flavoured schema node."""
    if isinstance(node, list):
        return [translate(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "nullable":
            continue
        if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
            out[key] = "#/$defs/" + value.rsplit("/", 1)[1]
        elif key == "oneOf":
            out["anyOf"] = translate(value)
        elif key in ("properties", "$defs", "patternProperties"):
            out[key] = {name: translate(sub) for name, sub in value.items()}
        elif key in ("example", "examples", "default", "const", "enum"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = translate(value)
    if node.get("nullable") is True:
        out = _make_nullable(out)
    return out


def _make_nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    schema_type = schema.get("type")
    if isinstance(schema_type, str):
        if schema_type != "null":
            schema["type"] = [schema_type, "null"]
        return schema
    if isinstance(schema_type, list):
        if "null" not in schema_type:
            schema["type"] = [*schema_type, "null"]
        return schema
    # No type of its own (allOf / anyOf / $ref): null or whatever the schema allows.
    return {"anyOf": [{"type": "null"}, schema]}


@cache
def load_spec(spec: str = "ats") -> dict[str, Any]:
    """The vendored OpenAPI document, parsed (do not mutate)."""
    try:
        filename = SPEC_FILES[spec]
    except KeyError:
        raise ValueError(f"unknown spec {spec!r}; expected one of {sorted(SPEC_FILES)}") from None
    with open(OPENAPI_DIR / filename, encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _definitions(spec: str) -> dict[str, Any]:
    return {name: translate(schema) for name, schema in load_spec(spec)["components"]["schemas"].items()}


def json_schema(schema_name: str, spec: str = "ats", *, strict: bool = False) -> dict[str, Any]:
    """A self-contained JSON Schema for a component schema.

    ``Name[]`` means an array of ``Name``. With ``strict`` the top-level object rejects
    properties the schema does not declare (``additionalProperties: false``).
    """
    definitions = _definitions(spec)
    base_name = schema_name[:-2] if schema_name.endswith("[]") else schema_name
    if base_name not in definitions:
        raise KeyError(f"schema {base_name!r} not found in the {spec} spec")
    target: dict[str, Any] = {"$ref": f"#/$defs/{base_name}"}
    if strict:
        props = definitions[base_name].get("properties", {})
        target = {
            "allOf": [target],
            "properties": {name: True for name in props},
            "additionalProperties": False,
        }
    if schema_name.endswith("[]"):
        target = {"type": "array", "items": target}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": definitions, **target}


@cache
def validator(schema_name: str, spec: str = "ats", strict: bool = False) -> Draft202012Validator:
    return Draft202012Validator(json_schema(schema_name, spec, strict=strict), format_checker=FORMAT_CHECKER)


def field_path(path) -> str:
    """deque(['emails', 0, 'value']) → 'emails[0].value' (the API's own notation)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _describe(error) -> list[tuple[str, str]]:
    """(field, message) pairs for one jsonschema error, worded for people."""
    path = field_path(error.absolute_path)
    if error.validator == "additionalProperties":
        extra = [name for name in error.instance if name not in error.schema.get("properties", {})]
        return [(field_path([*error.absolute_path, name]), "property should not exist") for name in extra]
    if error.validator == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = {
            "string": "a string",
            "number": "a number",
            "integer": "an integer",
            "boolean": "a boolean",
            "object": "an object",
            "array": "an array",
            "null": "null",
        }
        return [(path, "must be " + " or ".join(words.get(str(w), str(w)) for w in wanted))]
    if error.validator == "format" and error.validator_value == "date-time":
        return [(path, "is not a valid ISO 8601 date-time")]
    if error.validator == "enum":
        allowed = ", ".join("null" if v is None else str(v) for v in error.validator_value)
        return [(path, f"must be one of: {allowed}")]
    if error.validator == "anyOf":
        return [(path, "is not an allowed value")]
    return [(path, error.message)]


def schema_errors(
    schema_name: str, instance: Any, spec: str = "ats", *, strict: bool = False
) -> list[tuple[str, str]]:
    """All (field path, message) pairs where ``instance`` violates the schema, in a stable order."""
    pairs: set[tuple[str, str]] = set()
    for error in validator(schema_name, spec, strict).iter_errors(instance):
        pairs.update(_describe(error))
    return sorted(pairs)


def validate_against(schema_name: str, instance: Any, spec: str = "ats", *, strict: bool = False) -> None:
    """Raise SchemaMismatch unless ``instance`` matches the spec's component schema."""
    errors = schema_errors(schema_name, instance, spec, strict=strict)
    if errors:
        raise SchemaMismatch(schema_name, [f"{field or '(root)'}: {message}" for field, message in errors])
