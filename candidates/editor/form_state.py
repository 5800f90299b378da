"""The edit page's POST data as plain key → values, for pages that carry it along.

The review and conflict pages re-post what the user typed as hidden inputs; resolving a
conflict swaps one field's keys for the values now in StackOne.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.http import QueryDict

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.email_follow import KEEP_KEY
from candidates.editor.fields import LIST_FIELDS

# Keys that belong to the page, not to the candidate's fields: keep_old_email is the "Keep the
# old address" checkbox (candidates.editor.email_follow); add_row names the list whose "Add row"
# was pressed without JavaScript (rows_added); reverts is the signed marker of the save a revert
# undoes (candidates.editor.revert_flow).
ADD_ROW_KEY = "add_row"
CONTROL_KEYS = frozenset({"csrfmiddlewaretoken", "snapshot", "form_token", "conflict_snapshot",
                          KEEP_KEY, ADD_ROW_KEY, "reverts"})
CHOICE_PREFIX = "choose_"


def _shown_value(bound: forms.BoundField) -> str | list[str]:
    # What the rendered input holds: the widget formats the prepared initial value.
    formatted = bound.field.widget.format_value(bound.value())
    if isinstance(formatted, list):
        if getattr(bound.field.widget, "allow_multiple_selected", False):
            return [str(item) for item in formatted]  # each ticked checkbox (a multi-select's options)
        return str(formatted[0]) if formatted else ""  # a <select> submits its one selected option
    return "" if formatted is None else str(formatted)


def form_initial_data(form: forms.Form) -> dict[str, str | list[str]]:
    """Return the POST data of ``form`` submitted untouched: what its rendered inputs hold (a list
    for a key posted once per ticked checkbox)."""
    # Not on the page: an unticked checkbox (sends nothing), a custom field row's columns its
    # field fixes (forms.CustomFieldRowForm: implied by the posted field on the way back).
    absent = {forms.formsets.DELETION_FIELD_NAME, *getattr(form, "fixed_fields", ())}
    return {form.add_prefix(name): _shown_value(form[name]) for name in form.fields if name not in absent}


def editor_initial_data(editor: CandidateEditor) -> dict[str, str | list[str]]:
    """Return the POST data of ``editor``'s page submitted untouched (a list for a key posted
    once per ticked checkbox). Raises ValueError if bound."""
    if editor.form.is_bound:
        raise ValueError("editor_initial_data needs an unbound editor (built without data)")
    data = form_initial_data(editor.form)
    for formset in editor.formsets.values():
        management = formset.management_form
        data.update({management.add_prefix(name): _shown_value(management[name])
                     for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT)})  # the two the page holds
        for form in formset.forms:  # the stored rows (no blank row: forms.py extra=0)
            data.update(form_initial_data(form))
    return data


def rows_added(data: QueryDict) -> QueryDict:
    """Return ``data`` with one more row in the list its ``add_row`` key names (a list's "Add row"
    without JavaScript: Django's formset then builds that row blank, as the browser would copy
    its empty form). Returns ``data`` itself when it names no list or its row count is no number
    (the formset reports that)."""
    key = f"{data.get(ADD_ROW_KEY, '')}-{TOTAL_FORM_COUNT}"
    count = data.get(key) or ""
    if data.get(ADD_ROW_KEY) not in LIST_FIELDS or not (count.isascii() and count.isdigit()):
        return data
    added = data.copy()
    added[key] = str(int(count) + 1)
    return added


def editor_initial_query(editor: CandidateEditor) -> QueryDict:
    """Return ``editor_initial_data`` as the QueryDict a browser's POST of it binds to."""
    data = QueryDict(mutable=True)
    for key, shown in editor_initial_data(editor).items():
        data.setlist(key, shown if isinstance(shown, list) else [shown])
    return data


def field_items(data: QueryDict) -> list[tuple[str, str]]:
    """Return the (key, value) pairs of the candidate's fields in ``data``, in order."""
    return [(key, value) for key, values in data.lists() if key not in CONTROL_KEYS
            and not key.startswith(CHOICE_PREFIX) for value in values]


def _belongs_to(key: str, field: str) -> bool:
    return key == field or key.startswith(f"{field}-")


def with_fields_from(data: QueryDict, source: dict[str, str | list[str]], fields: Iterable[str]) -> QueryDict:
    """Return a copy of ``data`` whose keys for ``fields`` are replaced by ``source``'s."""
    fields = list(fields)
    merged = QueryDict(mutable=True)
    for key, value in field_items(data):
        if not any(_belongs_to(key, field) for field in fields):
            merged.appendlist(key, value)
    for key, shown in source.items():
        if any(_belongs_to(key, field) for field in fields):
            merged.setlist(key, shown if isinstance(shown, list) else [shown])
    return merged
