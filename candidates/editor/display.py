"""How the edit page draws its inputs, apart from how they bind and validate
(``candidate_editor``): display wrappers, as contrib.admin's ``helpers`` wrap a change form
(``AdminForm``) and each inline's formset (``InlineAdminFormSet``).

Each renders itself through the forms' renderer (``candidates.form_renderer``), so a page prints
it as it prints a form: ``{{ groups }}``. A list's new row is drawn only when someone adds one
(``NewRow``): no blank form is built for a row nobody asked for.
"""

from __future__ import annotations

from typing import Any

from django.forms.utils import RenderableMixin

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.forms import FORMSET_LEGENDS, FORMSETS, RowFormSet, row_form_kwargs
from candidates.form_renderer import FORM_RENDERER
from candidates.phones import PhoneRegion
from candidates.types import CustomFieldDefinition


class ListFieldset(RenderableMixin):
    """One list field (emails, phone numbers, social links, custom fields) as the page shows it:
    its formset's rows under a legend, the note when the account's ATS does not accept the list
    (shown, never sent: no "Add row" then)."""

    template_name = "candidates/editor/list.html"
    renderer = FORM_RENDERER

    def __init__(self, formset: RowFormSet, *, legend: str, read_only_note: str = "") -> None:
        self.formset = formset
        self.prefix = formset.prefix
        self.legend = legend
        self.read_only_note = read_only_note

    @property
    def can_add(self) -> bool:
        """Return True when rows may be added (the list is sent)."""
        return not self.read_only_note

    def get_context(self) -> dict[str, Any]:
        return {"fieldset": self}


class EditorGroups(RenderableMixin):
    """The edit page's field groups: the candidate form's fields and the four lists, grouped
    (Identity, Contact, Work, Links, Custom fields, Advanced JSON)."""

    template_name = "candidates/editor/groups.html"
    renderer = FORM_RENDERER

    def __init__(self, editor: CandidateEditor) -> None:
        self.editor = editor
        self.lists = {
            name: ListFieldset(formset, legend=FORMSET_LEGENDS[name],
                               read_only_note=editor.read_only.get(name, ""))
            for name, formset in editor.formsets.items()
        }

    def get_context(self) -> dict[str, Any]:
        return {"form": self.editor.form, "lists": self.lists, "keep_old": self.editor.keep_old_offer}


class NewRow(RenderableMixin):
    """A new row of the list ``list_field``: its formset's ``empty_form``, drawn by Django (its
    inputs named with the formset's ``__prefix__``, which the browser numbers as it adds the
    row, as contrib.admin's inlines do). ``definitions``: the account's custom field definitions;
    ``phone_region``: where a national number typed in a new phone row is read (its help says so)."""

    template_name = "candidates/editor/new_row.html"
    renderer = FORM_RENDERER

    def __init__(self, list_field: str, *, definitions: tuple[CustomFieldDefinition, ...] = (),
                 phone_region: PhoneRegion | None = None) -> None:
        form_kwargs = row_form_kwargs(list_field, definitions=definitions, phone_region=phone_region)
        self.form = FORMSETS[list_field](prefix=list_field, form_kwargs=form_kwargs).empty_form

    def get_context(self) -> dict[str, Any]:
        return {"row": self.form}
