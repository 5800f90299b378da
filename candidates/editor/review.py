"""What the review page shows: each changed field with its current and new value, list
fields row by row (added, removed, changed), and the exact JSON body that will be sent."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

from candidates.editor.compare import body_changes, field_values
from candidates.editor.fields import FIELD_LABELS, LIST_FIELDS, value_text
from candidates.editor.payloads import CandidateEdit, EmailFollow, candidate_patch_body
from candidates.types import Candidate, JSONValue


@dataclass(frozen=True)
class RowChange:
    status: str  # "added", "removed", "changed" or "unchanged"
    old: str
    new: str


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    cleared: bool
    rows: tuple[RowChange, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.rows) or self.field in LIST_FIELDS or self.field == "application_ids"


@dataclass(frozen=True)
class Review:
    changes: tuple[FieldChange, ...]
    body: dict[str, JSONValue]
    # Email and Emails following each other (candidates.editor.email_follow), shown with a "keep" choice.
    email_follow: EmailFollow | None = None

    @property
    def body_json(self) -> str:
        return json.dumps(self.body, indent=2, ensure_ascii=False)


def _row_text(row: JSONValue) -> str:
    if isinstance(row, dict):
        return " · ".join(f"{key}: {value_text(value)}" for key, value in row.items()
                          if value not in (None, ""))
    return value_text(row)


def list_row_changes(old: list[JSONValue], new: list[JSONValue]) -> tuple[RowChange, ...]:
    """Return the rows of a list field paired up: unchanged, changed, added or removed."""
    keys_old = [json.dumps(row, sort_keys=True) for row in old]
    keys_new = [json.dumps(row, sort_keys=True) for row in new]
    rows: list[RowChange] = []
    matcher = difflib.SequenceMatcher(a=keys_old, b=keys_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [RowChange("unchanged", _row_text(row), _row_text(row)) for row in old[i1:i2]]
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        rows += [RowChange("changed", _row_text(old[i1 + k]), _row_text(new[j1 + k])) for k in range(pairs)]
        rows += [RowChange("removed", _row_text(row), "") for row in old[i1 + pairs:i2]]
        rows += [RowChange("added", "", _row_text(row)) for row in new[j1 + pairs:j2]]
    return tuple(rows)


def _field_change(name: str, old: JSONValue, new: JSONValue, rows: tuple[RowChange, ...]) -> FieldChange:
    return FieldChange(field=name, label=FIELD_LABELS.get(name, name), old=value_text(old),
                       new=value_text(new), cleared=new is None, rows=rows)


def candidate_review(original: Candidate, edit: CandidateEdit) -> Review:
    """Return what the review page shows for saving ``edit`` over ``original`` (the minimal
    PATCH body, empty when nothing changed, and each change)."""
    body = candidate_patch_body(original, edit)
    changes = []
    for change in body_changes(original, body):
        name, old, new = change["field"], change["old"], change["new"]
        rows: tuple[RowChange, ...] = ()
        if isinstance(old, list) or isinstance(new, list):
            rows = list_row_changes(old if isinstance(old, list) else [],
                                    new if isinstance(new, list) else [])
        changes.append(_field_change(name, old, new, rows))
    return Review(changes=tuple(changes), body=body, email_follow=edit.email_follow)


@dataclass(frozen=True)
class ConflictRow:
    """One field both the user and someone else changed: the three values to choose from."""

    field: str
    label: str
    loaded: str
    now: str
    yours: str


def conflict_rows(*, original: Candidate, current: Candidate, body: dict[str, JSONValue],
                  fields: list[str]) -> list[ConflictRow]:
    """Return, per clashing field, its value when loaded, now in StackOne, and the user's."""
    loaded, now = field_values(original), field_values(current)
    return [ConflictRow(field=name, label=FIELD_LABELS.get(name, name), loaded=value_text(loaded.get(name)),
                        now=value_text(now.get(name)), yours=value_text(body.get(name))) for name in fields]


def recorded_changes(changes: object) -> list[FieldChange]:
    """Return an audit entry's or bulk row's recorded ``[{field, old, new}]`` as the review page
    shows changes (labels, JSON as JSON, list rows paired up); malformed items are skipped."""
    shown = []
    for item in changes if isinstance(changes, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            continue
        name: str = item["field"]
        old, new = item.get("old"), item.get("new")
        rows: tuple[RowChange, ...] = ()
        if isinstance(old, list) or isinstance(new, list):
            rows = list_row_changes(list(old or []) if isinstance(old, list) else [old],
                               list(new or []) if isinstance(new, list) else [new])
        shown.append(_field_change(name, old, new, rows))
    return shown
