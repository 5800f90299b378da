"""What the account's metadata says about the edit form's fields (issue 13, items 6 and 7).

Custom field definitions drive the custom field rows: a field is picked by its name, and its
value is edited with a widget for the definition's type. The account's meta says which
candidate fields its connector accepts on update: the others are read-only, never sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from candidates.editor.fields import BODY_FIELDS, FIELD_LABELS, value_text
from candidates.types import AccountMeta, CustomFieldDefinition, JSONValue
from candidates.validators import typed_value, validate_iso_date, validate_web_url

# StackOne's CustomFieldTypeEnum values → how a value of that type is typed in the PATCH body.
NUMBER_TYPES = frozenset({"integer", "float"})
BOOLEAN_TYPES = frozenset({"boolean", "checkbox"})
LIST_TYPES = frozenset({"multi_select", "list"})
SELECT_TYPES = frozenset({"single_select"})
DATE_TYPES = frozenset({"date"})
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def definitions_by_id(definitions: Iterable[CustomFieldDefinition]) -> dict[str, CustomFieldDefinition]:
    """Return the definitions that have an id, keyed by it (the first wins)."""
    found: dict[str, CustomFieldDefinition] = {}
    for definition in definitions:
        if definition.id and definition.id not in found:
            found[definition.id] = definition
    return found


def option_values(definition: CustomFieldDefinition) -> list[str]:
    """Return the text of each option's value, in the definition's order."""
    return [value_text(option.get("value")) for option in definition.options
            if isinstance(option, dict) and option.get("value") is not None]


def has_options(definition: CustomFieldDefinition) -> bool:
    """Return True when a value of ``definition`` is picked from its options (a select)."""
    return definition.type in SELECT_TYPES and bool(definition.options)


def option_for(definition: CustomFieldDefinition | None, value: str | None) -> dict[str, Any] | None:
    """Return the option of a single-select ``definition`` whose value reads as ``value`` (the
    text the value input holds), None when the field is not a select or no option matches."""
    if definition is None or definition.type not in SELECT_TYPES or value in (None, ""):
        return None
    return _option_by_label(definition, value.strip())


def option_ids(option: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """Return (value_id, remote_value_id) for a chosen option: its ``id`` (what StackOne's
    ``CustomFieldOption`` gives "to be used when updating the custom field") and its
    ``remote_id`` when it carries one; (None, None) without an option."""
    if option is None:
        return None, None
    ids = [option.get(key) for key in ("id", "remote_id")]
    value_id, remote_value_id = (str(item) if isinstance(item, (str, int)) and item != "" else None
                                 for item in ids)
    return value_id, remote_value_id


def custom_field_cell(definition: CustomFieldDefinition, raw: str) -> dict[str, JSONValue]:
    """Return the custom field row that sets ``definition``'s field to ``raw`` as a person types
    it, typed by the definition: a number (a whole one for an integer field), yes/no
    (true/false, any case), a date (YYYY-MM-DD), an option by its label (any case; its id as
    ``value_id``, its remote id as ``remote_value_id``), options by label separated by ";" for a
    multi-select (sent as their ids; the row's ``options`` key, never sent, holds the options
    chosen), a web address for a url field, text otherwise. Raises ValidationError naming what
    was expected."""
    name = definition.name or definition.id or "this field"
    value: JSONValue
    value_id = remote_value_id = None
    kind = definition.type or "text"
    stripped = raw.strip()
    if len(stripped) > MAX_VALUE_CHARS:
        raise ValidationError(f"The value is too long (at most {MAX_VALUE_CHARS:,} characters).")
    if has_options(definition):
        option = option_for(definition, stripped)
        if option is None:
            raise ValidationError(f"“{stripped}” is not an option of {name}: {_options_text(definition)}.")
        value = option["value"]
        value_id, remote_value_id = option_ids(option)
    elif has_option_list(definition):
        chosen = options_typed(definition, stripped)
        # The options themselves ride along (never sent): a row holding them by label is no change.
        return {**_cell_row(definition, [*option_id_list(chosen)]), "options": [*chosen]}
    elif kind in LIST_TYPES:
        value = [*_labels(stripped)]
    elif kind in NUMBER_TYPES:
        value = _number(stripped, whole=kind == "integer")
    elif kind in BOOLEAN_TYPES:
        value = typed_value(stripped, "boolean")
    elif kind in DATE_TYPES:
        value = validate_iso_date(stripped)
    elif kind == "url":
        validate_web_url(stripped)
        value = stripped
    else:
        value = stripped
    return _cell_row(definition, value, value_id, remote_value_id)


def _cell_row(definition: CustomFieldDefinition, value: JSONValue, value_id: str | None = None,
              remote_value_id: str | None = None) -> dict[str, JSONValue]:
    return {"id": definition.id, "remote_id": definition.remote_id, "name": definition.name, "value": value,
            "value_id": value_id, "remote_value_id": remote_value_id}


MAX_VALUE_CHARS = 10_000  # as the edit page's value input


def _options_text(definition: CustomFieldDefinition) -> str:
    return ", ".join(option_values(definition)) or "(none)"


def _number(raw: str, *, whole: bool) -> int | float:
    number = typed_value(raw, "number")
    assert isinstance(number, (int, float))
    if not whole:
        return float(number)
    if isinstance(number, float) and not number.is_integer():
        raise ValidationError("Enter a whole number, e.g. 30.", code="invalid")
    return int(number)


def has_option_list(definition: CustomFieldDefinition | None) -> bool:
    """Return True when a value of ``definition`` is a list picked from its options (a multi-select)."""
    return definition is not None and definition.type in LIST_TYPES and bool(option_list(definition))


def option_list(definition: CustomFieldDefinition) -> list[dict[str, Any]]:
    """Return the options of ``definition`` a value can name: those with an id and a value."""
    return [option for option in definition.options if isinstance(option, dict)
            and option.get("value") is not None and option_ids(option)[0] is not None]


def _labels(raw: str) -> list[str]:
    # Labels are separated by ";" (as the bulk CSV writes them), else by ",".
    separator = ";" if ";" in raw else ","
    return [label.strip() for label in raw.split(separator) if label.strip()]


def options_typed(definition: CustomFieldDefinition, raw: str) -> list[dict[str, Any]]:
    """Return the options of a multi-select typed as their labels (any case), separated by ";"
    or "," (a label holding a comma is read whole), each once, in the order typed. Raises
    ValidationError naming the labels that are not options, and the options there are."""
    name = definition.name or definition.id or "this field"
    whole = _option_by_label(definition, raw.strip()) if raw.strip() else None
    labels = [raw.strip()] if whole is not None else _labels(raw)
    chosen: list[dict[str, Any]] = []
    unknown = []
    for label in labels:
        option = _option_by_label(definition, label)
        if option is None:
            unknown.append(label)
        elif option not in chosen:
            chosen.append(option)
    if unknown:
        listed = ", ".join(f"“{label}”" for label in unknown)
        raise ValidationError(f"{listed} {'is not an option' if len(unknown) == 1 else 'are not options'} of "
                              f"{name}: {_options_text(definition)}. Separate options with ;.")
    return chosen


def option_id_list(options: Iterable[dict[str, Any]]) -> list[str]:
    """Return the ids of ``options``: what a multi-select's value holds when it is sent (StackOne's
    ``CustomFieldOption.id``, "to be used when updating the custom field")."""
    return [value_id for value_id, _ in map(option_ids, options) if value_id is not None]


def option_named(definition: CustomFieldDefinition | None, item: JSONValue) -> dict[str, Any] | None:
    """Return the option a stored list item names, by its id, its remote id or its label (an ATS
    returns either); None when it names none."""
    if definition is None:
        return None
    for option in option_list(definition):
        if isinstance(item, str) and item in option_ids(option):
            return option
    return next((option for option in option_list(definition) if _same_json(option.get("value"), item)), None)


def _same_json(a: JSONValue, b: JSONValue) -> bool:
    return type(a) is type(b) and a == b


def names_options(held: JSONValue, options: JSONValue) -> bool:
    """Return True when the list ``held`` names exactly ``options`` (dicts with an id and a value),
    in order, each by its id, its remote id or its label: sending those options' ids over it
    changes nothing (an ATS may return a multi-select's options by label)."""
    if not isinstance(held, list) or not isinstance(options, list) or len(held) != len(options):
        return False
    return all(isinstance(option, dict) and ((isinstance(item, str) and item in option_ids(option))
                                             or _same_json(option.get("value"), item))
               for item, option in zip(held, options, strict=True))


def _option_by_label(definition: CustomFieldDefinition, label: str) -> dict[str, Any] | None:
    """Return the option whose value reads as ``label``: exactly, else in another case (labels are
    for people: "completed" is "Completed")."""
    options = [option for option in definition.options
               if isinstance(option, dict) and option.get("value") is not None]
    return next((option for option in options if value_text(option["value"]) == label), None) or next(
        (option for option in options if value_text(option["value"]).casefold() == label.casefold()), None)


def value_kind_for(definition: CustomFieldDefinition) -> str:
    """Return the edit form's value kind (payloads.VALUE_KINDS) for a value of ``definition``'s type."""
    if definition.type in NUMBER_TYPES:
        return "number"
    if definition.type in BOOLEAN_TYPES:
        return "boolean"
    if definition.type in LIST_TYPES:
        return "json"
    return "text"


def value_widget(definition: CustomFieldDefinition | None, stored: JSONValue, *,
                 new: bool) -> forms.Widget | None:
    """Return the value widget for a row of ``definition`` holding ``stored`` (None: the plain text input).

    A stored value the typed widget could not show (a text in a number field) keeps the text
    input, so nothing loaded is hidden.
    """
    if definition is None:
        return None
    empty = new or stored in (None, "")
    kind = definition.type
    if has_options(definition):
        values = option_values(definition)
        current = value_text(stored)
        choices = [("", "—")] + [(value, value) for value in values]
        if current and current not in values:
            choices.append((current, f"{current} (not an option)"))
        return forms.Select(choices=choices)
    is_number = isinstance(stored, (int, float)) and not isinstance(stored, bool)
    if kind in NUMBER_TYPES and (empty or is_number):
        return forms.NumberInput(attrs={"step": "1" if kind == "integer" else "any", "autocomplete": "off"})
    if kind in BOOLEAN_TYPES and (empty or isinstance(stored, bool)):
        return forms.Select(choices=[("", "—"), ("true", "Yes"), ("false", "No")])
    if kind in DATE_TYPES and (empty or (isinstance(stored, str) and ISO_DATE.match(stored))):
        return forms.DateInput(attrs={"type": "date"})
    return None


def definitions_data(definitions: Iterable[CustomFieldDefinition]) -> list[dict[str, Any]]:
    """Return the definitions as the editor's script reads them (``json_script``)."""
    return [
        {"id": d.id, "remote_id": d.remote_id, "name": d.name, "type": d.type, "kind": value_kind_for(d),
         "options": [_option_data(option) for option in d.options
                     if isinstance(option, dict) and option.get("value") is not None]}
        for d in definitions_by_id(definitions).values()
    ]


def _option_data(option: dict[str, Any]) -> dict[str, str | None]:
    # The script fills the row's value_id / remote_value_id with these when the option is chosen.
    value_id, remote_value_id = option_ids(option)
    return {"value": value_text(option.get("value")), "id": value_id, "remote_id": remote_value_id}


# StackOne's own features, not a provider's fields: a connector's meta does not list them.
ALWAYS_ACCEPTED = frozenset({"passthrough", "unified_custom_fields"})


def provider_label(provider: str | None) -> str:
    """Return a provider key as people write it ("lever" → "Lever", "smart_recruiters" →
    "Smart Recruiters")."""
    if not provider:
        return "This ATS"
    return provider.replace("_", " ").replace("-", " ").title()


def read_only_fields(meta: AccountMeta | None) -> dict[str, str]:
    """Return {field: note} for the update fields the account's connector does not accept.

    Empty (everything editable) when the meta is unavailable or lists no candidate update fields.
    """
    if meta is None or not meta.candidate_update_fields:
        return {}
    accepted = set(meta.candidate_update_fields)
    ats = provider_label(meta.provider)
    return {name: f"{ats} does not accept {FIELD_LABELS.get(name, name)} through StackOne, so it is not sent."
            for name in BODY_FIELDS if name not in accepted and name not in ALWAYS_ACCEPTED}
