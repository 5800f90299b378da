"""A multi-select custom field's value on the edit page (issue 25 item 3): a checkbox per option
of the field's definition, never JSON to type.

A ticked option is posted as its id, and a changed value is sent as the ids of the options
ticked (StackOne's ``CustomFieldOption.id``, "to be used when updating the custom field"); a value
left alone goes back exactly as stored. A stored item that names no option gets its own checkbox,
flagged, and is kept while it stays ticked. A row added without JavaScript shows a text input
until its field is known: the options are then typed by label ("Python, SQL") and read here.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms

from candidates.editor.field_meta import (
    has_option_list,
    option_id_list,
    option_ids,
    option_list,
    option_named,
    options_typed,
)
from candidates.editor.fields import value_text
from candidates.types import CustomFieldDefinition, JSONValue

# The checkbox value of a stored item that names no option: its JSON, after this prefix.
KEPT = "kept:"


class OptionsField(forms.MultipleChoiceField):
    """The options of ``definition`` as checkboxes, plus one per item of ``stored`` outside them."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, definition: CustomFieldDefinition, stored: JSONValue, typed: bool = False,
                 **kwargs: Any) -> None:
        """``typed``: the row was posted with text (its field picked without JavaScript), shown
        again in a text input so nothing typed is lost."""
        self.definition = definition
        self.kept: dict[str, JSONValue] = {}
        # (checkbox value, label), kept apart from ``choices`` (which Django types loosely).
        choices: list[tuple[str, str]] = [(str(option_ids(option)[0]), value_text(option.get("value")))
                                          for option in option_list(definition)]
        for item in stored if isinstance(stored, list) else []:
            if option_named(definition, item) is None:
                key = KEPT + json.dumps(item, ensure_ascii=False, sort_keys=True)
                self.kept[key] = item
                choices.append((key, f"{value_text(item)} (not an option)"))
        widget = (forms.TextInput(attrs={"autocomplete": "off"}) if typed
                  else forms.CheckboxSelectMultiple(attrs={"class": "option-checks"}))
        self.boxes = choices
        super().__init__(choices=choices, required=False, widget=widget, **kwargs)

    def keys_of(self, stored: JSONValue) -> list[str]:
        """Return the checkbox values ticked for the stored value ``stored``."""
        keys = []
        for item in stored if isinstance(stored, list) else []:
            option = option_named(self.definition, item)
            key = str(option_ids(option)[0]) if option is not None else (
                KEPT + json.dumps(item, ensure_ascii=False, sort_keys=True))
            if key not in keys:
                keys.append(key)
        return keys

    def to_python(self, value: Any) -> list[str]:
        """Return the checkbox values posted; a text (labels typed) as its options' ids. Raises
        ValidationError naming labels that are not options."""
        posted = [value] if isinstance(value, str) else list(value or [])
        known = {key for key, _ in self.boxes}
        keys: list[str] = []
        for item in (str(item) for item in posted):
            found = [item] if item in known else option_id_list(options_typed(self.definition, item))
            keys += [key for key in found if key not in keys]
        return keys

    def typed(self, keys: list[str]) -> list[JSONValue]:
        """Return the value sent for ``keys``: the options' ids and the kept items, in the
        checkboxes' order."""
        chosen = set(keys)
        return [self.kept.get(key, key) for key, _ in self.boxes if key in chosen]

    def outside_options(self) -> list[str]:
        """Return the flags for stored items that name no option."""
        name = self.definition.name or self.definition.id or "this field"
        return [f"“{value_text(item)}” is not an option of {name}." for item in self.kept.values()]


def option_field_for(definition: CustomFieldDefinition | None, stored: JSONValue, *, new: bool,
                     posted: list[str] | None, label: str) -> OptionsField | None:
    """Return the value field of a row of ``definition`` holding ``stored``: checkboxes for a
    multi-select with options whose stored value is a list (or none yet); None otherwise (a
    stored value of another shape keeps the text input, so nothing loaded is hidden).
    ``posted``: the row's posted values, when bound."""
    if definition is None or not has_option_list(definition):
        return None
    if not (new or stored in (None, "") or isinstance(stored, list)):
        return None
    field = OptionsField(definition=definition, stored=stored, label=label)
    known = {key for key, _ in field.boxes}
    if not any(item not in known for item in posted or []):
        return field
    examples = ", ".join(shown for _, shown in field.boxes[:2])
    return OptionsField(definition=definition, stored=stored, typed=True, label=label,
                        help_text=f"Options by name, separated by ; or , (for example: {examples}).")

