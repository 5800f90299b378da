"""Template helpers for pages people read: times, field labels, recorded changes, the way back.

``{{ value|utc_time }}`` gives a ``<time>`` element whose text is the UTC time, readable
("28 Nov 2026, 10:00 UTC"), with the exact UTC value on hover; static/js/local_time.js rewrites
the text in the reader's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from candidates.csv_cells import column_letter
from candidates.editor.fields import FIELD_LABELS
from candidates.list_return import list_url

register = template.Library()


def _parse(value: object) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None


@register.filter
def utc_time(value: object) -> SafeString | str:
    """Return ``value`` (an ISO 8601 text or a datetime) as a ``<time>`` element; a value that is
    not a time is returned as it is ("—" when empty)."""
    parsed = _parse(value)
    if parsed is None:
        return "—" if value in (None, "") else str(value)
    exact = parsed.strftime("%Y-%m-%d %H:%M:%S UTC")
    readable = f"{parsed.day} {parsed:%b %Y, %H:%M} UTC"
    iso = parsed.isoformat().replace("+00:00", "Z")
    return format_html('<time datetime="{}" title="{}" data-local>{}</time>', iso, exact, readable)


@register.filter
def field_label(name: str) -> str:
    """Return the label people know a candidate field by ("hired_at" → "Hired at")."""
    return FIELD_LABELS.get(name, name)


@register.filter(name="column_letter")
def column_letter_filter(position: object) -> str:
    """Return a spreadsheet's name for a 1-based column position (3 → "C")."""
    return column_letter(position) if isinstance(position, int) else ""


@register.simple_tag(takes_context=True)
def candidates_list_url(context: dict, account_id: str) -> str:
    """Return the candidate list URL with the search the user left it with (list_return)."""
    return list_url(context["request"], account_id)
