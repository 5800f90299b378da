"""The two mappings between a StackOne candidate and the edit form.

``candidate_initial`` turns a ``Candidate`` into form initial data (strings, as a person
reads them). ``candidate_patch_body`` turns the edited values plus the original into the
minimal PATCH body through the one diff (``compare.patch_body``, which bulk rows use too):
only changed fields; a scalar the user emptied is ``None`` (explicit clear); a list field is
sent whole when any row changed, since the API replaces arrays.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from candidates.editor.compare import patch_body
from candidates.editor.fields import (
    LIST_FIELDS,
    SCALAR_FIELDS,
    Row,
    format_hired_at,
    stored_hired_at,
    value_kind,
    value_text,
)
from candidates.types import Candidate, JSONObject, JSONValue


@dataclass(frozen=True)
class EmailFollow:
    """One field following the other: ``field`` ("emails" or "email") changes from ``old`` to
    ``new`` because the other did, unless ``kept`` (the user chose to keep ``old``)."""

    field: str
    old: str
    new: str
    kept: bool = False


@dataclass(frozen=True)
class CandidateInitial:
    """Initial data for the main form and the four formsets."""

    form: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class CandidateEdit:
    """The values the user wants, in API shape (``None`` for empty), as the form cleaned them."""

    scalars: dict[str, str | None]
    # A ``str`` is a stored value we could not read as a date, kept as it was (not a change).
    hired_at: datetime | str | None
    application_ids: list[str]
    passthrough: JSONObject | None
    unified_custom_fields: JSONObject | None
    rows: dict[str, list[Row]] = field(default_factory=dict)
    # Set by candidates.editor.email_follow when Email and an Emails row follow each other.
    email_follow: EmailFollow | None = None


def pretty_json(value: JSONObject | None) -> str:
    return "" if value is None else json.dumps(value, indent=2, ensure_ascii=False)


def candidate_initial(candidate: Candidate) -> CandidateInitial:
    """Return the form and formset initial data for ``candidate``."""
    form: dict[str, Any] = {name: getattr(candidate, name) or "" for name in SCALAR_FIELDS}
    form["hired_at"] = stored_hired_at(candidate)  # text we cannot read is shown as stored, flagged
    form["application_ids"] = "\n".join(candidate.application_ids)
    form["unified_custom_fields"] = pretty_json(candidate.unified_custom_fields)
    form["passthrough"] = ""  # write-only: StackOne never returns it
    rows: dict[str, list[dict[str, Any]]] = {
        "emails": [{"type": e.type or "", "value": e.value or ""} for e in candidate.emails],
        "phone_numbers": [{"type": p.type or "", "phone": p.phone or ""} for p in candidate.phone_numbers],
        "social_links": [{"type": s.type or "", "url": s.url or ""} for s in candidate.social_links],
        "custom_fields": [
            {
                "id": c.id or "",
                "remote_id": c.remote_id or "",
                "name": c.name or "",
                "value": value_text(c.value),
                "value_kind": value_kind(c.value),
                "stored_value": c.value,  # not a field: what a flagged value is kept as
                "value_id": c.value_id or "",
                "remote_value_id": c.remote_value_id or "",
            }
            for c in candidate.custom_fields
        ],
    }
    return CandidateInitial(form=form, rows=rows)


def edit_values(edit: CandidateEdit) -> dict[str, JSONValue]:
    """Return the values ``edit`` wants, in API shape, for ``compare.patch_body`` (a field the
    edit leaves as stored is absent: unreadable stored ``hired_at`` text, an empty passthrough)."""
    values: dict[str, JSONValue] = dict(edit.scalars)
    # A str is unreadable stored text the user left alone: never a change.
    if not isinstance(edit.hired_at, str):
        values["hired_at"] = format_hired_at(edit.hired_at) if edit.hired_at else None
    values["application_ids"] = list(edit.application_ids)
    values["unified_custom_fields"] = edit.unified_custom_fields
    if edit.passthrough is not None:
        values["passthrough"] = edit.passthrough
    for list_field in LIST_FIELDS:
        values[list_field] = edit.rows.get(list_field, [])  # type: ignore[assignment]
    return values


def candidate_patch_body(original: Candidate, edit: CandidateEdit) -> dict[str, JSONValue]:
    """Return the minimal PATCH body turning ``original`` into ``edit`` ({} when nothing changed)."""
    return patch_body(original, edit_values(edit))
