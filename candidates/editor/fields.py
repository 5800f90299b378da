"""The candidate's writable fields and the one normalised API shape every mapping and
comparison uses: the edit form's initial data and PATCH body (``payloads``), the diff and the
read-back check (``compare``), bulk cells and the pages' labels all read values through here,
so "changed" means the same thing everywhere."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from candidates.types import Candidate, JSONValue

SCALAR_FIELDS = ("name", "first_name", "last_name", "email", "company", "title", "country", "phone")
LIST_FIELDS = ("emails", "phone_numbers", "social_links", "custom_fields")
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "emails": ("type", "value"),
    "phone_numbers": ("type", "phone"),
    "social_links": ("type", "url"),
    "custom_fields": ("id", "remote_id", "name", "value", "value_id", "remote_value_id"),
}
# The order of every field of AtsUpdateCandidateRequestDto, for stable bodies and review pages.
BODY_FIELDS = (
    "name", "first_name", "last_name", "email", "emails", "phone_numbers", "phone",
    "social_links", "company", "title", "country", "hired_at", "application_ids",
    "custom_fields", "unified_custom_fields", "passthrough",
)
VALUE_KINDS = ("text", "number", "boolean", "json", "null")

Row = dict[str, JSONValue]


# The fields' names on every page (the edit form's labels, review, history, bulk upload).
FIELD_LABELS = {
    "name": "Name", "first_name": "First name", "last_name": "Last name", "email": "Email",
    "emails": "Emails", "phone_numbers": "Phone numbers", "phone": "Phone", "social_links": "Social links",
    "company": "Company", "title": "Title", "country": "Country", "hired_at": "Hired at",
    "application_ids": "Application IDs", "custom_fields": "Custom fields",
    "unified_custom_fields": "Unified custom fields", "passthrough": "Passthrough",
}


def text(value: str | None) -> str | None:
    """Return ``value`` trimmed, or ``None`` when nothing is left (how empty inputs compare)."""
    if value is None:
        return None
    value = value.strip()
    return value or None



def parse_hired_at(value: str | None) -> datetime | None:
    """Return an aware UTC datetime at second precision, or None when blank. Raises ValueError."""
    value = text(value)
    if value is None:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC).replace(microsecond=0)
    except OverflowError as exc:  # e.g. 0001-01-01T00:00:00+01:00 falls before year 1 in UTC
        raise ValueError(f"{value!r} is out of range in UTC") from exc



def stored_hired_at(candidate: Candidate) -> datetime | str | None:
    """Return the candidate's ``hired_at`` as the form holds it: a UTC datetime, None when
    blank, or the stored text itself when it is not a date we can read."""
    try:
        return parse_hired_at(candidate.hired_at)
    except ValueError:
        return candidate.hired_at



def format_hired_at(value: datetime) -> str:
    """Return StackOne's date-time form: ``2021-01-01T01:01:01.000Z``."""
    # isoformat() pads the year to four digits; strftime("%Y") gives "999" for year 999.
    return value.astimezone(UTC).replace(microsecond=0, tzinfo=None).isoformat() + ".000Z"



def split_application_ids(value: str) -> list[str]:
    """Return the IDs typed one per line, trimmed, blank lines dropped."""
    # Only line feeds separate IDs: str.splitlines() would also split on U+2028 and others
    # that can be part of a stored ID.
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [line.strip() for line in lines if line.strip()]



def is_blank_row(row: Row) -> bool:
    """Return True when every column of ``row`` is empty: such a row is never sent."""
    return all(value in (None, "") for value in row.values())



def value_kind(value: JSONValue) -> str:
    """Return how a custom field value is edited: its JSON type, as one of VALUE_KINDS."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "text"
    return "json"



def value_text(value: JSONValue) -> str:
    """Return the text shown for a custom field value of any JSON type."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)



def original_rows(candidate: Candidate, list_field: str) -> list[Row]:
    """Return the candidate's rows of ``list_field`` normalised as the form would clean them.

    Blank rows are left out as the formsets leave them out, so a stored blank row posted back
    untouched is not a removal.
    """
    rows: list[Row] = []
    for item in getattr(candidate, list_field):
        row: Row = {}
        for key in ROW_KEYS[list_field]:
            value = getattr(item, key)
            # Only a custom field's value keeps its JSON type (and spaces); the rest is text.
            row[key] = value if list_field == "custom_fields" and key == "value" else text(value)
        if not is_blank_row(row):
            rows.append(row)
    return rows
