"""The edit page's field groups: drawn through Django's Jinja2 form renderer (escaping
included), no blank rows, and a list's new row its formset's empty_form, drawn when asked for."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.renderers import Jinja2

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.display import EditorGroups, NewRow
from candidates.types import Candidate, CustomFieldDefinition
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
    html = str(EditorGroups(editor))
    assert "<script>" not in html
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quotes&#39;"' in html


def test_every_editor_widget_renders_through_djangos_jinja2_renderer() -> None:
    for editor in _editors():
        for form in _all_forms(editor):
            assert isinstance(form.renderer, Jinja2), type(form).__name__


def test_a_list_holds_only_the_two_counts_django_reads_and_its_row_limit() -> None:
    html = str(EditorGroups(_editors()[0]))
    for prefix in ("emails", "phone_numbers", "social_links", "custom_fields"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html and f'name="{prefix}-INITIAL_FORMS"' in html
        assert f'name="{prefix}-MIN_NUM_FORMS"' not in html and f'name="{prefix}-MAX_NUM_FORMS"' not in html
        assert f'id="formset-{prefix}" data-max-rows="500"' in html


def test_each_new_row_is_its_formsets_empty_form_drawn_by_django() -> None:
    definitions = (CustomFieldDefinition.from_api({"id": "cf-1", "name": "Notice", "type": "number"}),)
    editor = CandidateEditor(_hostile_candidate(), definitions=definitions)
    for prefix, formset in editor.formsets.items():
        row = str(NewRow(prefix, definitions=definitions))
        empty = formset.empty_form
        # Django names the empty form's inputs with its "__prefix__" placeholder itself; the
        # browser numbers the row as it adds it. Every input of the row is there, under that name.
        assert empty.prefix == f"{prefix}-__prefix__"
        for name in empty.fields:
            assert f'name="{prefix}-__prefix__-{name}"' in row, (prefix, name)
        assert row.startswith('<div class="formset-row" data-formset-row>')
    assert '<option value="cf-1">Notice</option>' in str(NewRow("custom_fields", definitions=definitions))


def test_the_groups_build_no_new_row_only_each_lists_add_row_button() -> None:
    editor = CandidateEditor(_hostile_candidate())
    html = str(EditorGroups(editor))
    assert "__prefix__" not in html and "<template" not in html
    for prefix, legend in [("emails", "emails"), ("phone_numbers", "phone numbers"),
                           ("social_links", "social links"), ("custom_fields", "custom fields")]:
        fieldset = re.search(rf'id="formset-{prefix}".*?</fieldset>', html, re.S)
        button = f'<button type="button" class="add-row" data-add-row hidden>Add {legend} row</button>'
        assert fieldset and button in fieldset.group(0)


def test_an_unbound_list_holds_its_stored_rows_and_no_blank_one() -> None:
    editor = _editors()[0]
    html = str(EditorGroups(editor))
    for prefix, formset in editor.formsets.items():
        assert len(formset.forms) == formset.initial_form_count()
        assert f'name="{prefix}-TOTAL_FORMS" value="{formset.initial_form_count()}"' in html


def test_a_list_the_ats_does_not_accept_shows_its_note_and_no_add_row() -> None:
    editor = CandidateEditor(_hostile_candidate(), read_only={"social_links": "Not accepted by this ATS."})
    html = str(EditorGroups(editor))
    social = re.search(r'id="formset-social_links".*?</fieldset>', html, re.S)
    assert social and '<p class="help read-only-note">Not accepted by this ATS.</p>' in social.group(0)
    assert "data-add-row" not in social.group(0)
    assert not hasattr(editor.formsets["social_links"], "read_only_note")  # the wrapper holds it
