"""Template tags that hand form markup to the Jinja2 templates in ``templates/jinja2/``.

Fields are drawn by one Jinja2 macro everywhere, so the edit page (where speed matters) and
the smaller forms (sign-in, search, upload) cannot drift apart.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.conf import settings
from django.forms import BoundField
from django.template.backends.jinja2 import Template as Jinja2Template
from django.template.loader import get_template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from markupsafe import Markup

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.field_meta import definitions_data
from candidates.editor.forms import FORMSET_LEGENDS, FORMSETS, PAGE_ORDER
from candidates.phones import PhoneRegion
from candidates.types import CustomFieldDefinition

register = template.Library()


def _jinja(name: str) -> Any:
    """Return the Jinja2 template ``name`` itself (its macros are read from its module)."""
    template = get_template(name, using="jinja2")
    if not isinstance(template, Jinja2Template):
        raise TypeError(f"{name} is not a Jinja2 template")
    return template.template


@register.simple_tag
def form_field(field: BoundField, flags: dict[str, list[str]] | None = None) -> SafeString:
    """Return one field's HTML: label, input, help, errors and stored-value flags."""
    return mark_safe(_jinja("candidates/_field.html").module.field_block(field, flags))


_empty_rows: dict[tuple[str, str], str] = {}


def _empty_row(prefix: str, definitions: tuple[CustomFieldDefinition, ...] = (),
               phone_region: PhoneRegion | None = None) -> str:
    # A formset's empty row (the template "Add row" copies) is the same for every candidate and
    # request of an account (custom field rows list its definitions; a phone row says where a
    # national number is read), so it is rendered once per process and set of definitions or
    # region; DEBUG renders it every time (template edits).
    key = (prefix, repr(definitions) if prefix == "custom_fields" else
           repr(phone_region) if prefix == "phone_numbers" else "")
    html = _empty_rows.get(key)
    if html is None:
        form_kwargs: dict[str, Any] = ({"definitions": definitions} if prefix == "custom_fields" else
                                       {"phone_region": phone_region} if prefix == "phone_numbers" else {})
        empty_form = FORMSETS[prefix](prefix=prefix, form_kwargs=form_kwargs).empty_form
        html = _jinja("candidates/_formset.html").module.row_block(empty_form)
        if not settings.DEBUG:
            if len(_empty_rows) > 256:  # many accounts' definitions: start again rather than grow
                _empty_rows.clear()
            _empty_rows[key] = html
    return html


def _extra_row(empty_row: str, index: int) -> Markup:
    # The formset's blank row at ``index`` is its empty row numbered, as "Add row" numbers it in
    # the browser (tests/candidates/test_editor_rendering.py checks they are the same HTML).
    return Markup(empty_row.replace("__prefix__", str(index)))


@register.simple_tag
def editor_groups(editor: CandidateEditor) -> SafeString:
    """Return the edit page's field groups (the candidate form and its four formsets) as HTML."""
    return mark_safe(_jinja("candidates/_editor_groups.html").render(
        form=editor.form, formsets=editor.formsets, legends=FORMSET_LEGENDS, keep_old=editor.keep_old_offer,
        empty_rows={prefix: _empty_row(prefix, editor.definitions, editor.phone_region)
                    for prefix in editor.formsets},
        extra_row=_extra_row,
    ))


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


def _list_error_links(prefix: str, formset: Any) -> list[tuple[str, str, str]]:
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
