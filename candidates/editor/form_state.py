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

# Keys that belong to the page, not to the candidate's fields.
# keep_old_email is the review page's own checkbox (candidates.editor.email_follow), posted by it.
# No page posts "action" since each step has its own URL; a page loaded before that still does.
# reverts is the signed marker of the save a revert undoes (candidates.editor.revert_flow).
CONTROL_KEYS = frozenset({"csrfmiddlewaretoken", "action", "snapshot", "form_token", "conflict_snapshot",
                          "keep_old_email", "reverts"})
CHOICE_PREFIX = "choose_"


def _shown_value(bound: forms.BoundField) -> str:
    # What the rendered input holds: the widget formats the prepared initial value.
    formatted = bound.field.widget.format_value(bound.value())
    if isinstance(formatted, list):  # a <select> submits its one selected option
        return str(formatted[0]) if formatted else ""
    return "" if formatted is None else str(formatted)


def _form_data(form: forms.Form) -> dict[str, str]:
    # Not on the page: an unticked checkbox (sends nothing), a custom field row's columns its
    # field fixes (forms.CustomFieldRowForm: implied by the posted field on the way back).
    absent = {forms.formsets.DELETION_FIELD_NAME, *getattr(form, "fixed_fields", ())}
    return {form.add_prefix(name): _shown_value(form[name]) for name in form.fields if name not in absent}


def editor_initial_data(editor: CandidateEditor) -> dict[str, str]:
    """Return the POST data of ``editor``'s page submitted untouched. Raises ValueError if bound."""
    if editor.form.is_bound:
        raise ValueError("editor_initial_data needs an unbound editor (built without data)")
    data = _form_data(editor.form)
    for formset in editor.formsets.values():
        management = formset.management_form
        data.update({management.add_prefix(name): _shown_value(management[name])
                     for name in (TOTAL_FORM_COUNT, INITIAL_FORM_COUNT)})  # the two the page holds
        for form in formset.forms:  # the initial rows plus the formset's one extra row
            data.update(_form_data(form))
    return data


def field_items(data: QueryDict) -> list[tuple[str, str]]:
    """Return the (key, value) pairs of the candidate's fields in ``data``, in order."""
    return [(key, value) for key, values in data.lists() if key not in CONTROL_KEYS
            and not key.startswith(CHOICE_PREFIX) for value in values]


def _belongs_to(key: str, field: str) -> bool:
    return key == field or key.startswith(f"{field}-")


def with_fields_from(data: QueryDict, source: dict[str, str], fields: Iterable[str]) -> QueryDict:
    """Return a copy of ``data`` whose keys for ``fields`` are replaced by ``source``'s."""
    fields = list(fields)
    merged = QueryDict(mutable=True)
    for key, value in field_items(data):
        if not any(_belongs_to(key, field) for field in fields):
            merged.appendlist(key, value)
    for key, value in source.items():
        if any(_belongs_to(key, field) for field in fields):
            merged[key] = value
    return merged
