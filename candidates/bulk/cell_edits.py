"""The cells that change one entry of a list, applied to the candidate as the preview read it:
``custom_field:<name>`` sets (or, with ``__CLEAR__``, removes) that one custom field and keeps
every other row as StackOne holds it; ``add_email`` / ``add_phone_number`` / ``add_social_link``
append one entry unless the list already holds it. The result is the whole list, since StackOne
replaces arrays; the preview then keeps only the fields that really change (``patch_body``)."""

from __future__ import annotations

from candidates.bulk.csv_parse import ADD_ENTRIES, SET_CUSTOM_FIELDS
from candidates.editor.change_text import same_entry
from candidates.editor.compare import same
from candidates.editor.field_meta import names_options
from candidates.editor.fields import BODY_FIELDS, Row, original_rows
from candidates.types import Candidate, JSONValue


def bulk_row_wanted(current: Candidate, values: dict[str, JSONValue]) -> dict[str, JSONValue]:
    """Return the API-shape values a row's cells ask for, given the candidate ``current``: its
    whole-field cells as they are, its one-entry cells applied to the current lists."""
    wanted = {name: value for name, value in values.items() if name in BODY_FIELDS}
    custom = values.get(SET_CUSTOM_FIELDS)
    if isinstance(custom, dict) and custom:
        wanted["custom_fields"] = _custom_fields_set(original_rows(current, "custom_fields"), custom)  # type: ignore[assignment]
    for field, key in ADD_ENTRIES.items():
        added = values.get(key)
        if isinstance(added, list) and added:
            wanted[field] = _entries_added(field, original_rows(current, field), added)  # type: ignore[assignment]
    return wanted


def _custom_fields_set(rows: list[Row], edits: dict[str, JSONValue]) -> list[Row]:
    """Return ``rows`` with each edited field's value set (a row added when the candidate has none
    for it; removed when the edit is None). A row already holding the value is left exactly as it
    is, ids included."""
    result: list[Row] = []
    done: set[str] = set()
    for row in rows:
        key = next((definition_id for definition_id, edit in edits.items()
                    if _same_field(row, definition_id, edit)), None)
        if key is None:
            result.append(row)
            continue
        done.add(key)
        edit = edits[key]
        if not isinstance(edit, dict):
            continue  # __CLEAR__: this field's row goes, and only it
        if same(row.get("value"), edit.get("value")) or names_options(row.get("value"), edit.get("options")):
            result.append(row)  # already held (a multi-select's options by label, too)
            continue
        # A changed value drops ids that named the old option (as the editor does): an option's
        # ids name the new value, any other value has none.
        result.append({**row, "value": edit.get("value"), "value_id": edit.get("value_id"),
                       "remote_value_id": edit.get("remote_value_id")})
    for definition_id, edit in edits.items():
        if definition_id not in done and isinstance(edit, dict):
            result.append({key: edit.get(key) for key in ("id", "remote_id", "name", "value", "value_id",
                                                          "remote_value_id")})
    return result


def _same_field(row: Row, definition_id: str, edit: JSONValue) -> bool:
    if row.get("id") not in (None, ""):
        return row.get("id") == definition_id
    remote_id = edit.get("remote_id") if isinstance(edit, dict) else None
    return remote_id not in (None, "") and row.get("remote_id") == remote_id


def _entries_added(field: str, rows: list[Row], added: list[JSONValue]) -> list[Row]:
    """Return ``rows`` with each added entry appended, unless the list already holds that entry
    (``same_entry``: an address in any case, a link, a number however it is written)."""
    result = list(rows)
    for entry in added:
        if isinstance(entry, dict) and not any(same_entry(field, held, entry) for held in result):
            result.append(entry)
    return result
