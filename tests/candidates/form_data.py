"""Turn an unbound ``CandidateEditor`` into the POST data a browser sends for it untouched.

Shared by form and view tests: start from ``editor_post_data(CandidateEditor(candidate))``,
change the keys a user would change, and bind. Values are what the rendered widgets hold:
each widget's ``format_value`` of the initial value, a ``<select>`` as its one chosen
string, each formset's two counts, the stored rows (no blank row), no DELETE keys.
"""

from __future__ import annotations

from typing import Any

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.form_state import editor_initial_data, form_initial_data
from candidates.editor.forms import FORMSETS


def editor_post_data(editor: CandidateEditor) -> dict[str, Any]:
    """Return the POST data for ``editor``'s page submitted unedited. Raises ValueError if bound."""
    return dict(editor_initial_data(editor))


def row_key(list_field: str, index: int, column: str) -> str:
    """Return the POST key of ``column`` in row ``index`` of ``list_field``'s formset."""
    return f"{list_field}-{index}-{column}"


def add_row(data: dict[str, Any], list_field: str, row: dict[str, str]) -> int:
    """Append a row to ``list_field`` as the page's "Add row" does (the formset's empty form,
    numbered, one more in TOTAL_FORMS) and fill it with ``row`` (other columns keep the empty
    form's defaults). Returns the new row's index."""
    index = int(data[f"{list_field}-TOTAL_FORMS"])
    empty = FORMSETS[list_field](prefix=list_field).empty_form  # keys "<list>-__prefix__-<column>"
    blank = {key.rsplit("-", 1)[1]: value for key, value in form_initial_data(empty).items()}
    data.update({row_key(list_field, index, column): value for column, value in blank.items()})
    for column, value in row.items():
        data[row_key(list_field, index, column)] = value
    data[f"{list_field}-TOTAL_FORMS"] = str(index + 1)
    return index


def candidate_api(**overrides: Any) -> dict[str, Any]:
    """Return a StackOne candidate as the API sends it (a payload builder), with ``overrides``."""
    data: dict[str, Any] = {
        "id": "c-1",
        "remote_id": "r-1",
        "name": "Ada Lovelace",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
        "emails": [{"type": "personal", "value": "ada@example.com"}],
        "phone_numbers": [{"type": "mobile", "phone": "+447700900123"}],
        "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada"}],
        "phone": "+447700900123",
        "company": "Analytical Engines Ltd",
        "title": "Mathematician",
        "country": "United Kingdom",
        "hired_at": "2021-01-01T01:01:01.000Z",
        "application_ids": ["app-1", "app-2"],
        "custom_fields": [
            {
                "id": "cf_notice",
                "remote_id": "r_notice",
                "name": "Notice period",
                "value": 30,
                "value_id": None,
                "remote_value_id": None,
            }
        ],
        "unified_custom_fields": {"ref": "REF-1"},
    }
    data.update(overrides)
    return data
