"""The edit page's field groups: Django's Jinja2 widget templates (escaping included), the
per-process "Add row" templates and the formsets' blank rows."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.renderers import Jinja2
from django.template.loader import get_template
from django.test import override_settings

from candidates.editor.candidate_editor import CandidateEditor
from candidates.templatetags.form_html import _empty_row, _extra_row, editor_groups
from candidates.types import Candidate
from tests.candidates.form_data import candidate_api, editor_post_data, row_key

HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


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


def test_hostile_values_are_escaped_by_djangos_jinja2_widget_templates() -> None:
    editor = _editors()[0]
    html = str(editor_groups(editor))
    assert "<script>" not in html
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;"' in html


def test_every_editor_widget_renders_through_djangos_jinja2_renderer() -> None:
    for editor in _editors():
        for form in _all_forms(editor):
            assert isinstance(form.renderer, Jinja2), type(form).__name__


def test_a_list_holds_only_the_two_counts_django_reads_and_its_row_limit() -> None:
    html = str(editor_groups(_editors()[0]))
    for prefix in ("emails", "phone_numbers", "social_links", "custom_fields"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html and f'name="{prefix}-INITIAL_FORMS"' in html
        assert f'name="{prefix}-MIN_NUM_FORMS"' not in html and f'name="{prefix}-MAX_NUM_FORMS"' not in html
        assert f'id="formset-{prefix}" data-max-rows="500"' in html


def test_the_add_row_templates_come_from_the_per_process_cache_unchanged() -> None:
    editor = _editors()[0]
    with override_settings(DEBUG=True):  # DEBUG renders the empty rows every time
        fresh = str(editor_groups(editor))
    first, cached = str(editor_groups(editor)), str(editor_groups(CandidateEditor(_hostile_candidate())))
    assert first == cached == fresh
    for prefix, column in [("emails", "value"), ("phone_numbers", "phone"), ("social_links", "url"),
                           ("custom_fields", "value_kind")]:
        template = re.search(rf'id="formset-{prefix}".*?<template data-empty-row>(.*?)</template>',
                             first, re.S)
        assert template and f'name="{prefix}-__prefix__-{column}"' in template.group(1)


def test_an_unbound_blank_row_is_the_empty_row_numbered() -> None:
    row_block = get_template("candidates/_formset.html", using="jinja2").template.module.row_block
    editor = _editors()[0]
    for prefix, formset in editor.formsets.items():
        index = formset.initial_form_count()
        blank = formset.forms[index]  # the extra row: no initial values
        assert str(_extra_row(_empty_row(prefix), index)) == str(row_block(blank))
        assert f'name="{prefix}-{index}-' in str(row_block(blank))
