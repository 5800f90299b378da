"""The one renderer of a field change as a person reads it, for every page and file that shows
one: review, History, the audit log and its CSV export, the bulk preview, a job's results page,
its results CSV and the command line.

``Score: 42 → 77``, ``Screening status: Completed → Pending`` (an option by its label),
``Skills: Django, Go``, dates readable (pages show a moment in the reader's time zone; files
in UTC, saying so), and list entries by what people know them by: an email by its address, a
phone by its number, a link by its address, a custom field by its name and value. Entries of a
list are paired by that identity, never by position. Technical ids are kept apart
(``RowChange.details``) for a "details" disclosure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import phonenumbers
from phonenumbers import PhoneNumberFormat

from candidates.editor.field_meta import definitions_by_id
from candidates.editor.fields import FIELD_LABELS, LIST_FIELDS, parse_hired_at, text
from candidates.types import CustomFieldDefinition, JSONValue

# The list fields whose entries are shown one by one (application_ids is a list of strings).
ENTRY_FIELDS = (*LIST_FIELDS, "application_ids")
E164 = PhoneNumberFormat.E164
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EMPTY = "(empty)"


@dataclass(frozen=True)
class RowChange:
    """One entry of a list field: ``label`` is what people know it by (an address, a number, a
    custom field's name); ``old``/``new`` its readable value (a type, a custom field's value)
    before and after; ``details`` the technical ids, for a disclosure."""

    status: str  # "added", "removed", "changed" or "unchanged"
    label: str
    old: str
    new: str
    details: str = ""
    joiner: str = ": "  # custom field: "Name: value"; other lists: "address (type)"
    # A custom field's value that is a moment, for pages to show in the reader's time zone.
    old_at: datetime | None = None
    new_at: datetime | None = None

    def entry(self, value: str) -> str:
        """Return the entry as one phrase with ``value`` (``Notice period (days): 30``,
        ``ada@example.com (work)``)."""
        if not value:
            return self.label
        if not self.label:
            return value
        return f"{self.label}{self.joiner}{value}" if self.joiner == ": " else f"{self.label} ({value})"

    @property
    def old_entry(self) -> str:
        return self.entry(self.old)

    @property
    def new_entry(self) -> str:
        return self.entry(self.new)

    @property
    def text(self) -> str:
        """Return the entry's change in one line of plain text."""
        if self.status == "added":
            return f"added {self.new_entry}"
        if self.status == "removed":
            return f"removed {self.old_entry}"
        if self.status == "changed":
            prefix = f"{self.label}: " if self.label else ""
            return f"{prefix}{self.old or EMPTY} → {self.new or EMPTY}"
        return self.old_entry


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label, its old and new values as read (``old_at``/``new_at`` when
    the value is a moment, for pages to show in the reader's time zone) and, for a list field,
    its entries."""

    field: str
    label: str
    old: str
    new: str
    cleared: bool
    rows: tuple[RowChange, ...] = ()
    old_at: datetime | None = None
    new_at: datetime | None = None

    @property
    def is_list(self) -> bool:
        return bool(self.rows) or self.field in ENTRY_FIELDS

    @property
    def changed_rows(self) -> tuple[RowChange, ...]:
        return tuple(row for row in self.rows if row.status != "unchanged")

    @property
    def text(self) -> str:
        """Return the change in one line of plain text (files, the command line)."""
        if self.is_list:
            parts = [row.text for row in self.changed_rows]
            summary = "; ".join(parts) if parts else "emptied" if self.cleared else "reordered"
            return f"{self.label}: {summary}"
        new = "cleared" if self.cleared else self.new or EMPTY
        return f"{self.label}: {self.old or EMPTY} → {new}"


def changes_text(changes: Iterable[FieldChange]) -> str:
    """Return changes as one plain-text cell: one field after another, separated by " | "."""
    return " | ".join(change.text for change in changes)


# -- values -------------------------------------------------------------------------------------


def moment(value: JSONValue) -> datetime | None:
    """Return ``value`` as an aware UTC datetime when it is a date-time text, else None."""
    if not isinstance(value, str) or not ISO_MOMENT.match(value.strip()):
        return None
    try:
        return parse_hired_at(value)
    except ValueError:
        return None


def moment_text(when: datetime) -> str:
    """Return a moment as files show it: ``1 May 2024, 09:00 UTC``."""
    when = when.astimezone(UTC)
    return f"{when.day} {when:%b %Y, %H:%M} UTC"


def date_text(value: str) -> str:
    """Return an ISO date (``2024-05-01``) as ``1 May 2024``; other text as it is."""
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return value
    return f"{day.day} {day:%b %Y}"


def value_shown(value: JSONValue, *, definition: CustomFieldDefinition | None = None) -> str:
    """Return any field or custom field value as a person reads it: Yes/No, numbers as typed,
    lists as "a, b", objects as "key: value", dates readable, an option id as its label."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return ", ".join(value_shown(item, definition=definition) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {value_shown(item)}" for key, item in value.items())
    if ISO_DATE.match(value.strip()):
        return date_text(value)
    if definition is not None and definition.type == "date" and ISO_MOMENT.match(value.strip()):
        return date_text(value.strip()[:10])  # a calendar date: no time zone moves it to another day
    when = moment(value)
    if when is not None:
        return moment_text(when)
    return _option_label(definition, value) or value


def _option_label(definition: CustomFieldDefinition | None, value: str) -> str | None:
    # A value stored as an option's id reads as that option's label.
    if definition is None:
        return None
    for option in definition.options:
        if isinstance(option, dict) and value in (option.get("id"), option.get("remote_id")):
            label = option.get("value")
            return label if isinstance(label, str) else None
    return None


# -- list entries -------------------------------------------------------------------------------


def entry_identity(field: str, row: JSONValue) -> str:
    """Return what makes two entries of ``field`` the same entry: an email's address (any case),
    a phone's digits, a link's address, a custom field's id (else remote id, else name)."""
    if not isinstance(row, dict):
        return str(row)
    if field == "emails":
        return (text(_str(row.get("value"))) or "").casefold()
    if field == "phone_numbers":
        number = _str(row.get("phone"))
        return ("+" if number.strip().startswith("+") else "") + "".join(ch for ch in number if ch.isdigit())
    if field == "social_links":
        return (text(_str(row.get("url"))) or "").rstrip("/").casefold()
    if field == "custom_fields":
        for key in ("id", "remote_id", "name"):
            if row.get(key) not in (None, ""):
                return f"{key}:{row[key]}"
    return repr(sorted(row.items()))


def _str(value: JSONValue) -> str:
    return value if isinstance(value, str) else ""


def _entry_parts(field: str, row: JSONValue,
                 definitions: dict[str, CustomFieldDefinition]) -> tuple[str, str, str]:
    """Return (label, value, details) of one entry."""
    if not isinstance(row, dict):
        return value_shown(row), "", ""
    if field == "custom_fields":
        definition = definitions.get(_str(row.get("id")))
        name = text(_str(row.get("name"))) or (definition.name if definition else None)
        value: JSONValue = row.get("value")
        if value in (None, "") and row.get("value_id"):
            value = row.get("value_id")
        ids = [f"{key}: {row[key]}" for key in ("id", "remote_id", "value_id", "remote_value_id")
               if row.get(key) not in (None, "")]
        return (name or _str(row.get("id")) or _str(row.get("remote_id")) or "Custom field",
                value_shown(value, definition=definition), " · ".join(ids))
    key = {"emails": "value", "phone_numbers": "phone", "social_links": "url"}.get(field, "value")
    return _str(row.get(key)), _str(row.get("type")), ""


def _entry_moment(field: str, row: JSONValue,
                  definitions: dict[str, CustomFieldDefinition]) -> datetime | None:
    """Return a custom field entry's value as a moment (a date-time, not a calendar date), else None."""
    if field != "custom_fields" or not isinstance(row, dict):
        return None
    definition = definitions.get(_str(row.get("id")))
    if definition is not None and definition.type == "date":
        return None
    return moment(row.get("value"))


def entry_label(field: str, row: JSONValue, *,
                definitions: Iterable[CustomFieldDefinition] = ()) -> str:
    """Return one entry as people name it: ``ada@example.com (work)``, ``Notice period (days): 30``."""
    label, value, _ = _entry_parts(field, row, definitions_by_id(definitions))
    joiner = ": " if field == "custom_fields" else " "
    return RowChange("unchanged", label, value, value, joiner=joiner).old_entry


def entry_changes(field: str, old: list[JSONValue], new: list[JSONValue], *,
                  definitions: Iterable[CustomFieldDefinition] = ()) -> tuple[RowChange, ...]:
    """Return the entries of a list field paired by identity (``entry_identity``): unchanged,
    changed (same entry, other attributes), removed and added, in the new list's order with the
    removed ones after."""
    by_id = definitions_by_id(definitions)
    joiner = ": " if field == "custom_fields" else " "
    remaining: dict[str, list[JSONValue]] = {}
    for row in old:
        remaining.setdefault(entry_identity(field, row), []).append(row)
    changes: list[RowChange] = []
    for row in new:
        label, value, details = _entry_parts(field, row, by_id)
        new_at = _entry_moment(field, row, by_id)
        matches = remaining.get(entry_identity(field, row)) or _same_number(field, row, remaining)
        if not matches:
            changes.append(RowChange("added", label, "", value, details, joiner, new_at=new_at))
            continue
        before = matches.pop(0)
        old_at = _entry_moment(field, before, by_id)
        old_label, old_value, old_details = _entry_parts(field, before, by_id)
        status = "unchanged" if before == row else "changed"
        if status == "changed" and old_value == value and old_details != details:
            value, old_value = f"{value} ({details})", f"{old_value} ({old_details})"
        if status == "changed" and old_label != label:  # e.g. an address's case: show both whole
            old_value = RowChange(status, old_label, old_value, "", joiner=joiner).old_entry
            value, label = RowChange(status, label, "", value, joiner=joiner).new_entry, ""
        changes.append(RowChange(status, label, old_value, value, details or old_details, joiner,
                                 old_at=old_at, new_at=new_at))
    for rows in remaining.values():
        for row in rows:
            label, value, details = _entry_parts(field, row, by_id)
            changes.append(RowChange("removed", label, value, "", details, joiner,
                                     old_at=_entry_moment(field, row, by_id)))
    return tuple(changes)


def _same_number(field: str, row: JSONValue, remaining: dict[str, list[JSONValue]]) -> list[JSONValue]:
    """Return the still unpaired old phones that are ``row``'s number written another way (a
    national ``07700 900456`` and ``+447700900456``): reformatting a number removes nothing."""
    if field != "phone_numbers" or not isinstance(row, dict):
        return []
    number = _str(row.get("phone"))
    for rows in remaining.values():
        if rows and isinstance(rows[0], dict) and same_phone(_str(rows[0].get("phone")), number):
            return rows
    return []


def same_entry(field: str, a: JSONValue, b: JSONValue) -> bool:
    """Return True when ``a`` and ``b`` are the same entry of ``field``: the same identity
    (``entry_identity``), or the same phone number written another way (``same_phone``)."""
    if entry_identity(field, a) == entry_identity(field, b):
        return True
    return (field == "phone_numbers" and isinstance(a, dict) and isinstance(b, dict)
            and same_phone(_str(a.get("phone")), _str(b.get("phone"))))


def same_phone(a: str, b: str) -> bool:
    """Return True when two phone texts are the same number, a national one read in the region of
    the international one (neither international: compared by digits)."""
    international = a if a.strip().startswith("+") else b if b.strip().startswith("+") else ""
    try:
        region = phonenumbers.region_code_for_country_code(
            phonenumbers.parse(international).country_code or 0) if international else None
        first, second = phonenumbers.parse(a, region), phonenumbers.parse(b, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.format_number(first, E164) == phonenumbers.format_number(second, E164)


def removed_entries(field: str, old: JSONValue, new: JSONValue, *,
                    definitions: Iterable[CustomFieldDefinition] = ()) -> list[str]:
    """Return the label of each entry of ``old`` that ``new`` no longer holds (a list emptied or
    cleared removes them all)."""
    if field not in ENTRY_FIELDS:
        return []
    rows = entry_changes(field, _as_list(old), _as_list(new), definitions=definitions)
    return [row.old_entry for row in rows if row.status == "removed"]


def _as_list(value: JSONValue) -> list[JSONValue]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


# -- fields -------------------------------------------------------------------------------------


def field_change(name: str, old: JSONValue, new: JSONValue, *,
                 definitions: Iterable[CustomFieldDefinition] = ()) -> FieldChange:
    """Return the change of field ``name`` from ``old`` to ``new`` (API shapes) as people read it."""
    label = FIELD_LABELS.get(name, name)
    if name in ENTRY_FIELDS or isinstance(old, list) or isinstance(new, list):
        rows = entry_changes(name, _as_list(old), _as_list(new), definitions=definitions)
        return FieldChange(field=name, label=label, old="", new="", cleared=new in (None, []), rows=rows)
    old_at, new_at = moment(old), moment(new)
    return FieldChange(field=name, label=label, old=moment_text(old_at) if old_at else value_shown(old),
                       new=moment_text(new_at) if new_at else value_shown(new), cleared=new is None,
                       old_at=old_at, new_at=new_at)


def value_summary(name: str, value: JSONValue, *,
                  definitions: Iterable[CustomFieldDefinition] = ()) -> str:
    """Return a whole field's value in one phrase: a list as its entries' labels separated by
    "; ", a moment in UTC, anything else as ``value_shown`` reads it."""
    if name in ENTRY_FIELDS or isinstance(value, list):
        definitions = tuple(definitions)
        return "; ".join(entry_label(name, row, definitions=definitions) for row in _as_list(value))
    when = moment(value)
    return moment_text(when) if when else value_shown(value)


def recorded_changes(changes: object, *,
                     definitions: Iterable[CustomFieldDefinition] = ()) -> list[FieldChange]:
    """Return recorded ``[{field, old, new}]`` (an audit entry's, a bulk row's) as readable
    changes; malformed items are skipped."""
    definitions = tuple(definitions)
    shown = []
    for item in changes if isinstance(changes, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            continue
        shown.append(field_change(item["field"], item.get("old"), item.get("new"), definitions=definitions))
    return shown
