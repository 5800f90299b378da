"""The edit page's Python-rendered widgets are Django's own Jinja2 widget HTML, byte for byte.

``EditorRenderer`` writes inputs, text areas and selects without a template engine (speed: the
page has about a hundred of them). These tests render every widget of real editors both ways,
including hostile values, errors (aria-invalid, aria-describedby) and selected options.
"""

from __future__ import annotations

import re
from typing import Any

import markupsafe
import pytest
from django import forms
from django.forms.renderers import Jinja2
from django.template.loader import get_template
from django.test import override_settings
from django.utils.safestring import SafeString

from candidates.editor import CandidateEditor
from candidates.form_renderer import EditorRenderer, escape
from candidates.templatetags.form_html import _empty_row, _extra_row, editor_groups
from candidates.types import Candidate
from tests.candidates.form_data import candidate_api, editor_post_data, row_key

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"
REFERENCE = Jinja2()


def _hostile_candidate() -> Candidate:
    return Candidate.from_api(candidate_api(
        name=HOSTILE, first_name=HOSTILE, title="", hired_at="2024-05-01T09:30:00.000Z",
        emails=[{"type": HOSTILE, "value": "ada@example.com"}, {"type": "work", "value": HOSTILE}],
        phone_numbers=[{"type": "mobile", "phone": "+44 20 7946 0958"}, {"type": None, "phone": HOSTILE}],
        social_links=[{"type": "linkedin", "url": "javascript:alert(1)"}],
        custom_fields=[{"id": "cf-1", "name": HOSTILE, "value": 3}, {"id": "cf-2", "value": ["a", HOSTILE]},
                       {"id": "cf-3", "value": True}, {"id": "cf-4", "value": None}],
        application_ids=["app-1", HOSTILE], passthrough={"k": HOSTILE},
    ))


def _all_forms(editor: CandidateEditor) -> list[forms.Form]:
    found: list[forms.Form] = [editor.form]
    for formset in editor.formsets.values():
        found += [formset.management_form, *formset.forms, formset.empty_form]
    return found


def _editors() -> list[CandidateEditor]:
    candidate = _hostile_candidate()
    unbound = CandidateEditor(candidate)
    data = editor_post_data(CandidateEditor(candidate))
    data.update({"email": "not an email", row_key("emails", 0, "value"): "bad@", "last_name": HOSTILE,
                 row_key("phone_numbers", 0, "type"): "work", row_key("custom_fields", 0, "value"): "x" * 3,
                 row_key("custom_fields", 0, "value_kind"): "number", row_key("emails", 1, "DELETE"): "on"})
    bound = CandidateEditor(candidate, data)
    assert not bound.is_valid()  # so the errors' aria attributes are rendered too
    return [unbound, bound]


def _rendered(field: forms.BoundField, renderer: Any) -> str:
    field.form.renderer = renderer
    return str(field)


@pytest.mark.parametrize("which", ["unbound", "bound with errors"])
def test_every_editor_widget_renders_exactly_as_djangos_jinja2_template(which: str) -> None:
    editor = _editors()[0 if which == "unbound" else 1]
    fast = EditorRenderer()
    compared: set[str] = set()
    for form in _all_forms(editor):
        for field in form:
            expected = _rendered(field, REFERENCE)
            assert _rendered(field, fast) == expected, field.html_name
            compared.add(type(field.field.widget).__name__)
    # Every kind of widget the editor has was compared, the hostile text among the values.
    assert compared >= {"TextInput", "EmailInput", "URLInput", "DateTimeInput", "Textarea", "Select",
                        "CheckboxInput", "HiddenInput"}


def test_hostile_values_are_escaped_in_python_rendered_widgets() -> None:
    editor = _editors()[0]
    html = str(editor.form["name"]) + str(editor.formsets["emails"].forms[1]["value"])
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;" in html


def test_a_widget_without_a_python_writer_falls_back_to_djangos_template() -> None:
    choices = [("a", "A"), ("b", "B")]
    html = forms.CheckboxSelectMultiple(choices=choices).render("pick", ["b"], renderer=EditorRenderer())
    assert 'type="checkbox" name="pick" value="b"' in html and "checked" in html
    assert html == forms.CheckboxSelectMultiple(choices=choices).render("pick", ["b"], renderer=REFERENCE)


def test_the_add_row_templates_come_from_the_per_process_cache_unchanged() -> None:
    editor = _editors()[0]
    with override_settings(DEBUG=True):  # DEBUG renders the empty rows every time
        fresh = str(editor_groups(editor))
    first, cached = str(editor_groups(editor)), str(editor_groups(CandidateEditor(_hostile_candidate())))
    assert first == cached == fresh
    for prefix, column in [("emails", "value"), ("phone_numbers", "phone"), ("social_links", "url"),
                           ("custom_fields", "value_kind")]:
        template = re.search(rf'id="formset-{prefix}".*?<template data-empty-row>(.*?)</template>', first, re.S)
        assert template and f'name="{prefix}-__prefix__-{column}"' in template.group(1)


def test_an_unbound_blank_row_is_the_empty_row_numbered() -> None:
    row_block = get_template("candidates/_formset.html", using="jinja2").template.module.row_block
    editor = _editors()[0]
    for prefix, formset in editor.formsets.items():
        index = formset.initial_form_count()
        blank = formset.forms[index]  # the extra row: no initial values
        assert str(_extra_row(_empty_row(prefix), index)) == str(row_block(blank))
        assert f'name="{prefix}-{index}-' in str(row_block(blank))


@pytest.mark.parametrize("value", [HOSTILE, "plain", "é ✓ 名", 30, 2.5, True, "", SafeString("<b>kept</b>")])
def test_escape_is_markupsafes(value: Any) -> None:
    assert escape(value) == str(markupsafe.escape(value))
