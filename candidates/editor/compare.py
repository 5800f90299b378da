"""Field-by-field comparison of candidates: the one diff (wanted values → minimal PATCH body),
the one old → new change list (review page, audit row, bulk preview), conflict detection and
the read-back check.

Values are compared in the same normalised API shape the PATCH body uses (``payloads``), so
"changed" means the same thing everywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypedDict

from candidates.editor.fields import (
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
    ids: list[JSONValue] = [*split_application_ids("\n".join(candidate.application_ids))]
    values["application_ids"] = ids
    values["unified_custom_fields"] = candidate.unified_custom_fields
    for name in LIST_FIELDS:
        values[name] = original_rows(candidate, name)  # type: ignore[assignment]
    return values


def same(a: Any, b: Any) -> bool:
    """JSON equality that tells 1, 1.0 and true apart (the ATS does)."""
    def text(value: object) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)

    return text(a) == text(b)


def changed_between(before: Candidate, after: Candidate) -> list[str]:
    """Return the fields whose values differ between two reads of a candidate, in body order."""
    old, new = field_values(before), field_values(after)
    return [name for name in COMPARABLE_FIELDS if not same(old[name], new[name])]


def clashing_fields(body: dict[str, JSONValue], *, before: dict[str, JSONValue], current: Candidate,
                    before_as_sent: bool = False) -> list[str]:
    """Return the fields of ``body`` that changed between ``before`` and ``current`` and that
    ``current`` does not already hold as ``body`` sets them: the fields sending ``body`` would
    overwrite although someone changed them since ``before``. In body order.

    ``before`` holds the values the body was computed against, per field: a read of the
    candidate (``field_values``; compared strictly, as ``changed_between`` does) or, with
    ``before_as_sent``, the values a write sent (a revert's baseline: held when ``current`` holds
    everything sent, as the read-back check judges). Someone else having made the very same
    change is no clash. passthrough is never compared (write-only).
    """
    now = field_values(current)
    clashes = []
    for name, value in body.items():
        if name not in now:
            continue
        was = _normalise(name, before.get(name))
        unchanged = held_as_sent(name, was, now[name]) if before_as_sent else same(was, now[name])
        if not unchanged and not held_as_sent(name, _normalise(name, value), now[name]):
            clashes.append(name)
    return clashes


def not_applied(body: dict[str, JSONValue], now: Candidate) -> list[str]:
    """Return the fields sent in ``body`` that ``now`` (read after the PATCH) does not hold.

    Only what the user sent is compared: attributes the ATS fills in (see ``held_as_sent``) and
    the order of list rows are not differences; a value that differs still is.
    """
    held = field_values(now)
    return [name for name in body
            if name in held and not held_as_sent(name, _normalise(name, body[name]), held[name])]


# Custom field attributes the ATS owns: it fills them in from the field's definition (or its
# own ids), whatever was sent. The field is identified by ``id`` and holds ``value``.
ATS_OWNED_KEYS = frozenset({"remote_id", "name", "value_id", "remote_value_id"})
# When a custom field row was sent without an id, the first of these it was sent with identifies it.
CUSTOM_FIELD_IDENTITY = ("id", "remote_id", "name")


def held_as_sent(name: str, sent: JSONValue, held: JSONValue) -> bool:
    """Return True when the value ``held`` for field ``name`` holds everything in ``sent``.

    Lists are compared as multisets (an ATS may reorder rows); in a row, a key the user sent
    empty may be filled in by the ATS, and a custom field's ATS-owned attributes are ignored
    unless they are what identifies the row.
    """
    if not isinstance(sent, list) or not isinstance(held, list):
        return same(sent, held)
    if len(sent) != len(held):
        return False
    unmatched = list(held)
    for row in sent:
        match = next((index for index, other in enumerate(unmatched) if _row_holds(name, row, other)), None)
        if match is None:
            return False
        unmatched.pop(match)
    return True


def _row_holds(name: str, sent: JSONValue, held: JSONValue) -> bool:
    if not isinstance(sent, dict) or not isinstance(held, dict):
        return same(sent, held)
    ignored: set[str] = set()
    if name == "custom_fields":
        identity = next((key for key in CUSTOM_FIELD_IDENTITY if sent.get(key) not in (None, "")), None)
        ignored = set(ATS_OWNED_KEYS) - {identity}
    for key, value in sent.items():
        if key in ignored:
            continue
        if key != "value" and value in (None, ""):
            continue  # sent empty: the ATS may fill it in
        if not same(value, held.get(key)):
            return False
    return True


def patch_body(original: Candidate, wanted: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """Return the minimal PATCH body turning ``original`` into ``wanted`` ({} when nothing changes).

    ``wanted`` holds API-shape values for the fields to set (an edit form's, a bulk CSV row's);
    only those that differ from ``original`` once normalised are kept, in the API's field order.
    passthrough is write-only (never read back), so it is always sent when given.
    """
    # Strict equality, unlike the read-back check (``not_applied``): a row the user reordered,
    # or an ATS-owned attribute the user edited, is a change to send.
    held = field_values(original)
    return {name: wanted[name] for name in BODY_FIELDS
            if name in wanted and (name == "passthrough" or name not in held
                                   or not same(_normalise(name, wanted[name]), held[name]))}


class FieldDiff(TypedDict):
    """One changed field: its name, the value before and the value sent."""

    field: str
    old: JSONValue
    new: JSONValue


def body_changes(original: Candidate | None, body: dict[str, JSONValue]) -> list[FieldDiff]:
    """Return ``[{field, old, new}]`` for each field of ``body``, old as ``original`` held it
    (None throughout when it was never read)."""
    old = field_values(original) if original is not None else {}
    return [{"field": name, "old": old.get(name), "new": value} for name, value in body.items()]


@dataclass(frozen=True)
class InverseValues:
    """What reverting a recorded write sets back: per field, its value before the write
    (``old``) and the value the write sent (``sent``); ``skipped``: fields it wrote that cannot
    be set back (passthrough: write-only, StackOne never returns it, so its value before is
    unknown)."""

    old: dict[str, JSONValue]
    sent: dict[str, JSONValue]
    skipped: tuple[str, ...] = ()


def inverse_values(changes: object) -> InverseValues:
    """Return what reverting a write sets back, from its recorded ``[{field, old, new}]`` (an
    audit entry's ``changes``, as ``body_changes`` made them: a list field's old value is its
    whole list as it was). Malformed items are left out."""
    old: dict[str, JSONValue] = {}
    sent: dict[str, JSONValue] = {}
    skipped: list[str] = []
    for change in changes if isinstance(changes, list) else []:
        name = change.get("field") if isinstance(change, dict) else None
        if not isinstance(name, str) or "old" not in change:
            continue
        if name not in COMPARABLE_FIELDS:
            skipped.append(name)
            continue
        old[name], sent[name] = change["old"], change.get("new")
    return InverseValues(old=old, sent=sent, skipped=tuple(skipped))


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
