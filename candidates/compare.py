"""Field-by-field comparison of candidates: the one diff (wanted values → minimal PATCH body),
the one old → new change list (review page, audit row, bulk preview), conflict detection and
the read-back check.

Values are compared in the same normalised API shape the PATCH body uses (``payloads``), so
"changed" means the same thing everywhere.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from candidates.payloads import (
    BODY_FIELDS,
    LIST_FIELDS,
    SCALAR_FIELDS,
    format_hired_at,
    original_rows,
    parse_hired_at,
    split_application_ids,
    stored_hired_at,
    text,
)
from candidates.types import Candidate, JSONValue

# passthrough is write-only: StackOne never returns it, so it can be neither compared nor verified.
COMPARABLE_FIELDS = tuple(name for name in BODY_FIELDS if name != "passthrough")


def field_values(candidate: Candidate) -> dict[str, JSONValue]:
    """Return every comparable writable field of ``candidate`` in normalised API shape."""
    values: dict[str, JSONValue] = {name: text(getattr(candidate, name)) for name in SCALAR_FIELDS}
    hired = stored_hired_at(candidate)
    values["hired_at"] = format_hired_at(hired) if isinstance(hired, datetime) else hired
    values["application_ids"] = split_application_ids("\n".join(candidate.application_ids))
    values["unified_custom_fields"] = candidate.unified_custom_fields
    for name in LIST_FIELDS:
        values[name] = original_rows(candidate, name)  # type: ignore[assignment]
    return values


def same(a: Any, b: Any) -> bool:
    """JSON equality that tells 1, 1.0 and true apart (the ATS does)."""
    return json.dumps(a, sort_keys=True, ensure_ascii=False) == json.dumps(b, sort_keys=True, ensure_ascii=False)


def changed_between(before: Candidate, after: Candidate) -> list[str]:
    """Return the fields whose values differ between two reads of a candidate, in body order."""
    old, new = field_values(before), field_values(after)
    return [name for name in COMPARABLE_FIELDS if not same(old[name], new[name])]


def not_applied(body: dict[str, JSONValue], now: Candidate) -> list[str]:
    """Return the fields sent in ``body`` that ``now`` (read after the PATCH) does not hold."""
    held = field_values(now)
    return [name for name in body if name in held and not same(_normalise(name, body[name]), held[name])]


def patch_body(original: Candidate, wanted: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """Return the minimal PATCH body turning ``original`` into ``wanted`` ({} when nothing changes).

    ``wanted`` holds API-shape values for the fields to set (an edit form's, a bulk CSV row's);
    only those that differ from ``original`` once normalised are kept, in the API's field order.
    passthrough is write-only (never read back), so it is always sent when given.
    """
    differing = set(not_applied(wanted, original))
    return {name: wanted[name] for name in BODY_FIELDS
            if name in wanted and (name in differing or name == "passthrough")}


def body_changes(original: Candidate | None, body: dict[str, JSONValue]) -> list[dict[str, JSONValue]]:
    """Return ``[{field, old, new}]`` for each field of ``body``, old as ``original`` held it
    (None throughout when it was never read)."""
    old = field_values(original) if original is not None else {}
    return [{"field": name, "old": old.get(name), "new": value} for name, value in body.items()]


def _normalise(name: str, value: JSONValue) -> JSONValue:
    # The held value is read back through ``text`` (trimmed, blank → None): the sent one must be too,
    # or a value the ATS holds exactly as sent (" ", a lone no-break space) reads as not applied.
    if name in SCALAR_FIELDS and (value is None or isinstance(value, str)):
        return text(value)
    if name == "hired_at" and isinstance(value, str):
        try:
            parsed = parse_hired_at(value)
        except ValueError:
            return value
        return format_hired_at(parsed) if parsed else None
    if name == "application_ids" and value is None:
        return []
    if name in LIST_FIELDS and value is None:
        return []
    return value
