"""Template tags of the edit page: the account's custom field definitions for the script, and
the error summary's links to the fields. (Its inputs are drawn by the forms' renderer:
``{{ groups }}``, candidates/editor/display.py.)"""

from __future__ import annotations

import json
from typing import Any

from django import forms, template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.field_meta import definitions_data
from candidates.editor.forms import FORMSET_LEGENDS, PAGE_ORDER

register = template.Library()


@register.simple_tag
def editor_definitions_json(editor: CandidateEditor) -> SafeString:
    """Return the account's custom field definitions as JSON in a data attribute for
    static/js/editor.js (the pages hold no inline script element of any kind)."""
    data = json.dumps(definitions_data(editor.definitions), ensure_ascii=False)
    return format_html('<div id="custom-field-definitions" hidden data-definitions="{}"></div>', data)


@register.simple_tag
def editor_error_links(editor: CandidateEditor) -> list[tuple[str, str, str]]:
    """Return (anchor, where, message) for each error on the edit page, in page order, so the
    error summary can link to the field ("Emails, row 2, Value: Enter an email address…")."""
    if not editor.form.is_bound:
        return []
    links = []
    for name in PAGE_ORDER:
        if name in editor.formsets:
            links += _list_error_links(name, editor.formsets[name])
        elif name in editor.form.fields:
            label = str(editor.form.fields[name].label)
            links += [(f"id_{name}", label, str(error)) for error in editor.form.errors.get(name, ())]
    return links


def _list_error_links(prefix: str, formset: forms.BaseFormSet[Any]) -> list[tuple[str, str, str]]:
    """Return the error links of one list: its own errors, then each row's in the order its
    fields are shown (the technical ones behind "Advanced" last)."""
    legend = FORMSET_LEGENDS[prefix]
    links = [(f"formset-{prefix}", legend, str(error)) for error in formset.non_form_errors()]
    for index, row in enumerate(formset.forms):
        advanced = getattr(row, "advanced_fields", ())
        shown = [name for name in row.fields if name not in advanced] + list(advanced)
        for name in sorted(row.errors, key=lambda name: shown.index(name) if name in shown else -1):
            target = f"id_{prefix}-{index}-{name}" if name in row.fields else f"formset-{prefix}"
            column = f", {row.fields[name].label}" if name in row.fields else ""
            where = f"{legend}, row {index + 1}{column}"
            links += [(target, where, str(error)) for error in row.errors[name]]
    return links
