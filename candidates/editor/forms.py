"""The candidate edit form and its four formsets (emails, phone numbers, social links,
custom fields), mirroring every field of StackOne's ``AtsUpdateCandidateRequestDto``.

Validation judges what the user changed: a stored value our rules would reject never blocks
saving other fields. It is shown flagged instead (``form.flags``).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.forms.renderers import BaseRenderer
from django.http import QueryDict

from candidates.editor.change_text import entry_identity
from candidates.editor.field_meta import (
    definitions_by_id,
    has_options,
    option_for,
    option_ids,
    value_kind_for,
    value_widget,
)
from candidates.editor.fields import (
    FIELD_LABELS,
    LIST_FIELDS,
    ROW_KEYS,
    VALUE_KINDS,
    Row,
    is_blank_row,
    parse_hired_at,
    split_application_ids,
    text,
)
from candidates.editor.option_field import OptionsField, option_field_for
from candidates.form_renderer import FORM_RENDERER
from candidates.limits import MAX_ROWS_PER_LIST
from candidates.phones import PhoneRegion, phone_stored
from candidates.types import PHONE_TYPES, CustomFieldDefinition, JSONObject
from candidates.validators import (
    parse_json_object,
    typed_value,
    validate_email_address,
    validate_web_url,
)

# -- base ---------------------------------------------------------------------------------------


# The mixin is only ever mixed into forms.Form: type-check it as one.
if TYPE_CHECKING:
    _FormBase = forms.Form
else:
    _FormBase = object


class JudgeChangesMixin(_FormBase):
    """Keeps validation errors only on fields the user changed; others become ``flags``.

    A flagged field keeps its stored value, so the diff sees it as unchanged.
    """

    flags: dict[str, list[str]]
    # {field: the value it is saved as} when that is not what was typed (a phone in E.164).
    saved_as: dict[str, str] = {}  # noqa: RUF012  (never mutated: replaced per form)
    default_renderer: BaseRenderer | type[BaseRenderer] | None = FORM_RENDERER

    def full_clean(self) -> None:
        super().full_clean()
        self.flags = {}
        if not self.is_bound:
            return
        changed = self.judged_changed()
        errors = self.errors  # filled by full_clean() above
        for name in list(errors):
            if name != NON_FIELD_ERRORS and name not in changed:
                self.flags[name] = [str(message) for message in errors.pop(name)]
                self.cleaned_data[name] = self.kept_value(name)

    def judged_changed(self) -> set[str]:
        """Return the names of the fields whose errors are the user's to fix."""
        return set(self.changed_data)

    def kept_value(self, name: str) -> Any:
        return self.initial.get(name, "")

    def stored_flags(self) -> dict[str, list[str]]:
        """Return problems with stored values, for an unbound form too (shown as warnings)."""
        if self.is_bound:
            return getattr(self, "flags", {})
        found: dict[str, list[str]] = {}
        for name, field in self.fields.items():
            value = self.initial.get(name)
            if value in (None, "") or not isinstance(value, str):
                continue
            try:
                cleaned = field.clean(value)
                # The form's clean_<name>() rules apply to stored values too (e.g. hired_at).
                clean_method = getattr(self, f"clean_{name}", None)
                if clean_method is not None:
                    self.cleaned_data = {name: cleaned}
                    clean_method()
            except ValidationError as exc:
                found[name] = list(exc.messages)
            finally:
                self.__dict__.pop("cleaned_data", None)  # an unbound form has no cleaned data
        return found


def _browser_text(value: str | None) -> str:
    # Browsers submit a textarea's line breaks as CRLF whatever the page held.
    return (value or "").replace("\r\n", "\n")


class TextField(forms.CharField):
    """A CharField that judges a change by the text the diff compares: trimmed (unless
    ``strip=False``) with line breaks normalised, so a stored value with stray spaces posted
    back untouched is not a change (and stays flagged rather than blocking)."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        if self.disabled:
            return False
        return _browser_text(self.to_python(initial)) != _browser_text(self.to_python(data))


class HiredAtField(TextField):
    """Date-time text. A stored date (a datetime initial) is unchanged while the text posted
    reads as the same instant."""

    def has_changed(self, initial: Any, data: Any) -> bool:
        if not isinstance(initial, datetime):
            return super().has_changed(initial, data)
        try:
            return parse_hired_at(self.to_python(data)) != initial
        except ValueError:
            return True


def _text_field(label: str, max_length: int = 255, **kwargs: Any) -> TextField:
    return TextField(label=label, required=False, max_length=max_length, **kwargs)


def _datalist_input(list_id: str) -> forms.TextInput:
    return forms.TextInput(attrs={"list": list_id, "autocomplete": "off"})


# -- phone numbers ------------------------------------------------------------------------------


def phone_help(region: PhoneRegion | None) -> str:
    """Return the help beside a phone input: how it is saved, and where a national number is read."""
    read = (f"without +, read as {region.text}" if region
            else "start with + and the country code (the candidate's country is not known)")
    return f"Saved as E.164 (+442079460099); {read}."


class PhoneMixin(JudgeChangesMixin):
    """A form with a ``phone`` field: a number the user typed is checked by the one phone rule
    (``candidates.phones``) and saved in E.164; ``saved_as`` says so beside the field when it is
    not what was typed. A stored number left alone is kept exactly (a flag when unreadable)."""

    phone_region: PhoneRegion | None = None

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        if not value:
            return value
        stored = phone_stored(value, region=self.phone_region)
        if not self.is_bound or "phone" not in self.changed_data:
            return value
        if stored != value.strip():
            self.saved_as = {**getattr(self, "saved_as", {}), "phone": stored}
        return stored


# -- the main form ------------------------------------------------------------------------------


class CandidateForm(PhoneMixin, forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    def __init__(self, *args: Any, phone_region: PhoneRegion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phone_region = phone_region

    name = _text_field(FIELD_LABELS["name"],
                       help_text="Full name, if the ATS keeps one apart from first and last name.")
    first_name = _text_field(FIELD_LABELS["first_name"])
    last_name = _text_field(FIELD_LABELS["last_name"])
    email = _text_field(
        FIELD_LABELS["email"], max_length=320, validators=[validate_email_address],
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    company = _text_field(FIELD_LABELS["company"])
    title = _text_field(FIELD_LABELS["title"])
    country = _text_field(FIELD_LABELS["country"], help_text="Free text, e.g. United Kingdom.")
    hired_at = HiredAtField(
        label=FIELD_LABELS["hired_at"], required=False, max_length=64,
        help_text="Date and time in UTC.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"),
    )
    phone = _text_field(
        FIELD_LABELS["phone"], max_length=64,
        help_text="Deprecated by StackOne: use Phone numbers above.",
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    application_ids = TextField(
        label=FIELD_LABELS["application_ids"], required=False, help_text="One per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unified_custom_fields = TextField(
        label=FIELD_LABELS["unified_custom_fields"], required=False,
        help_text="A JSON object of the custom unified fields configured in your StackOne project.",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "code"}),
    )
    passthrough = TextField(
        label=FIELD_LABELS["passthrough"], required=False,
        help_text="A JSON object forwarded as-is to the ATS. Never shown by StackOne after saving.",
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "class": "code"}),
    )

    def clean_hired_at(self) -> Any:
        value = self.cleaned_data["hired_at"]
        try:
            return parse_hired_at(value)
        except ValueError as exc:
            raise ValidationError("Enter a date and time, e.g. 2021-01-01T09:30:00.", code="invalid") from exc

    def clean_application_ids(self) -> list[str]:
        ids = split_application_ids(self.cleaned_data["application_ids"])
        if len(ids) > 1000:
            raise ValidationError("At most 1,000 application IDs.")
        if any(len(item) > 255 for item in ids):
            raise ValidationError("An application ID is longer than 255 characters.")
        return ids

    def clean_unified_custom_fields(self) -> JSONObject | None:
        return parse_json_object(self.cleaned_data["unified_custom_fields"],
                                 label=FIELD_LABELS["unified_custom_fields"])

    def clean_passthrough(self) -> JSONObject | None:
        return parse_json_object(self.cleaned_data["passthrough"], label=FIELD_LABELS["passthrough"])

    def kept_value(self, name: str) -> Any:
        initial = self.initial.get(name, "")
        if name == "hired_at":
            # The stored datetime, or the unreadable stored text itself, which the diff
            # treats as unchanged (None would clear it).
            return initial or None
        if name == "application_ids":
            return split_application_ids(initial)
        if name in ("unified_custom_fields", "passthrough"):
            return json.loads(initial) if initial else None
        return initial


# -- rows ---------------------------------------------------------------------------------------


class EmailRowForm(JudgeChangesMixin, forms.Form):
    type = _text_field("Type", max_length=64, widget=_datalist_input("email-types"))
    value = _text_field(
        "Value", max_length=320, validators=[validate_email_address],
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class PhoneRowForm(PhoneMixin, forms.Form):
    type = forms.ChoiceField(label="Type", required=False)
    phone = _text_field("Phone", max_length=64, widget=forms.TextInput(attrs={"inputmode": "tel"}))

    def __init__(self, *args: Any, phone_region: PhoneRegion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phone_region = phone_region
        self.fields["phone"].help_text = phone_help(phone_region)
        choices = [("", "—")] + [(value, value.capitalize()) for value in PHONE_TYPES]
        stored = self.initial.get("type")
        if stored and stored not in PHONE_TYPES:
            choices.append((stored, f"{stored} (from the ATS)"))  # keep values the API returned
        cast(forms.ChoiceField, self.fields["type"]).choices = choices


class SocialLinkRowForm(JudgeChangesMixin, forms.Form):
    type = _text_field("Type", max_length=64, widget=_datalist_input("social-link-types"))
    url = _text_field(
        "URL", max_length=2048, validators=[validate_web_url],
        widget=forms.URLInput(attrs={"autocomplete": "off"})
    )


class CustomFieldRowForm(JudgeChangesMixin, forms.Form):
    # Picks the field by name from the account's definitions: it fills in id, remote id and name.
    definition = forms.CharField(label="Field", required=False, widget=forms.Select())
    id = _text_field("ID", widget=_datalist_input("custom-field-ids"))
    remote_id = _text_field("Remote ID")
    name = _text_field("Name")
    value = TextField(
        label="Value", required=False, strip=False, max_length=10_000,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    value_kind = forms.ChoiceField(
        label="Value type", required=False, initial="text",
        choices=[("text", "Text"), ("number", "Number"), ("boolean", "Yes / no (true or false)"),
                 ("json", "JSON list or object"), ("null", "Empty (null)")],
    )
    value_id = _text_field("Value ID")
    remote_value_id = _text_field("Remote value ID")
    # Shown behind "Advanced" in each row (the template reads this).
    advanced_fields = ("id", "remote_id", "name", "value_kind", "value_id", "remote_value_id")

    def __init__(self, *args: Any, definitions: tuple[CustomFieldDefinition, ...] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.definitions = definitions_by_id(definitions)
        if self.is_bound:
            self._imply_from_definition()
        stored_id = self.initial.get("id") or ""
        self.initial.setdefault("definition", stored_id if stored_id in self.definitions else "")
        choices = [("", "Choose a field…" if not stored_id or stored_id in self.definitions
                    else "Other (see Advanced)")]
        choices += sorted(((key, d.name or key) for key, d in self.definitions.items()),
                          key=lambda choice: str(choice[1]).casefold())
        self.fields["definition"].widget.choices = choices
        if not self.definitions:
            self.fields["definition"].widget = forms.HiddenInput()
        picked = self.definitions.get(self["definition"].value() or "")
        stored = self.initial.get("stored_value")
        options = option_field_for(picked, stored, new=not stored_id, posted=self._posted("value"),
                                   label=str(self.fields["value"].label))
        if options is not None:  # a multi-select: a checkbox per option (option_field.py)
            self.fields["value"] = options
            self.initial = {**self.initial, "value": options.keys_of(stored)}
        elif (widget := value_widget(picked, stored, new=not stored_id)) is not None:
            self.fields["value"].widget = widget
        # The fields fixed by the row's definition: not on the page (shown as text), implied by the
        # posted field on the way back.
        self.fixed_fields: tuple[str, ...] = ()
        if stored_id in self.definitions:
            self._fix_to_definition(self.definitions[stored_id])

    def _posted(self, name: str) -> list[str] | None:
        """Return the values posted for this row's ``name`` (None when not bound)."""
        if not self.is_bound:
            return None
        key = self.add_prefix(name)
        if isinstance(self.data, QueryDict):
            return self.data.getlist(key)
        value = self.data.get(key)
        if value is None:
            return []
        return [str(item) for item in value] if isinstance(value, list) else [str(value)]

    def stored_flags(self) -> dict[str, list[str]]:
        flags = super().stored_flags()
        value = self.fields["value"]
        if isinstance(value, OptionsField) and value.kept:  # stored items outside the options: kept, flagged
            flags = {**flags, "value": [*flags.get("value", []), *value.outside_options()]}
        return flags

    @staticmethod
    def _implied(definition: CustomFieldDefinition) -> dict[str, str]:
        # The columns a row of ``definition`` holds whatever its value (as the page posts them).
        implied = {"id": definition.id or "", "remote_id": definition.remote_id or "",
                   "name": definition.name or "", "value_kind": value_kind_for(definition)}
        if not has_options(definition):
            implied.update(value_id="", remote_value_id="")
        return implied

    def _fix_to_definition(self, definition: CustomFieldDefinition) -> None:
        # A stored row that holds exactly what its definition implies is that field: its ids and
        # name are shown as text, not edited (to change the field, remove the row and add one),
        # and only its field's id is posted (hidden): the rest is implied by it on the way back
        # (_imply_from_definition), so a row posted over another baseline (the conflict page)
        # keeps its own field. The page renders and posts a handful of inputs per row this way.
        implied = self._implied(definition)
        fixed = [name for name, value in implied.items() if text(self.initial.get(name)) == text(value)]
        if not {"id", "remote_id", "name"} <= set(fixed):
            return  # a stored row that differs from its definition edits as before
        self.fields["definition"].widget = forms.HiddenInput()
        self.fixed_fields = tuple(fixed)
        self.fields["value"].label = definition.name or definition.id
        if not self.is_bound:
            # Drawn as text from the stored row: no field to validate, bind or draw (fewer fields
            # per row). A bound row keeps them: the field it posts implies their values.
            for name in fixed:
                del self.fields[name]

    def _imply_from_definition(self) -> None:
        # The columns a fixed row did not post are those its posted field implies.
        definition = self.definitions.get(self.data.get(self.add_prefix("definition")) or "")
        if definition is None:
            return
        missing = {key: value for key, value in
                   ((self.add_prefix(name), value) for name, value in self._implied(definition).items())
                   if key not in self.data}
        if not missing:
            return
        if not isinstance(self.data, QueryDict):
            self.data = {**self.data, **missing}
            return
        own = QueryDict(mutable=True)  # this row's keys only: the formset's POST may be large
        # The formset adds its Remove box after this form is built: its key is the row's too.
        for name in (*self.fields, DELETION_FIELD_NAME):
            key = self.add_prefix(name)
            if key in self.data:
                own.setlist(key, self.data.getlist(key))
        own.update(missing)
        self.data = own

    def fixed_columns(self) -> list[tuple[str, str]]:
        """Return (label, text) for each column the row's field fixes, in the order of
        ``advanced_fields``: its value, a choice by its label, "—" when empty."""
        columns = []
        for name in self.advanced_fields:
            if name not in self.fixed_fields:
                continue
            field = self.base_fields[name]
            value = self[name].value() if name in self.fields else self.initial.get(name)
            choices = dict(getattr(field, "choices", ()))
            shown = str(choices.get(value, value)) if value not in (None, "") else "—"
            columns.append((str(field.label), shown))
        return columns

    @property
    def advanced_open(self) -> bool:
        """Return True when the technical columns are shown: no definitions, a field without
        one, or an error among them."""
        stored_id = self.initial.get("id") or ""
        return (not self.definitions or bool(stored_id and stored_id not in self.definitions)
                or any(self.has_error(name) for name in self.advanced_fields))

    def judged_changed(self) -> set[str]:
        changed = super().judged_changed()
        if "value_kind" in changed:
            # The value is read as the new kind: a stored "abc" turned into a number is the
            # user's error to fix, not a stored value to keep.
            changed.add("value")
        return changed

    def full_clean(self) -> None:
        super().full_clean()
        if "value" in getattr(self, "flags", {}):
            # A flagged stored value (too long, nested too deeply) goes back exactly as loaded;
            # re-reading its text would fail the same rule that flagged it.
            self.cleaned_data["typed_value"] = self.initial.get("stored_value")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = self.definitions.get(cleaned.get("definition") or "")
        if picked is not None and "definition" in self.changed_data:
            # A field picked by name: its ids and name fill in, its type decides the value's
            # (as the script does in the browser; this is the same without JavaScript).
            cleaned.update(id=picked.id, remote_id=picked.remote_id, name=picked.name)
            if "value_kind" not in self.changed_data:
                cleaned["value_kind"] = value_kind_for(picked)
        value = self.fields["value"]
        if isinstance(value, OptionsField):
            # The options ticked, by id; a value left alone goes back exactly as stored.
            if "value" in cleaned:
                cleaned["typed_value"] = (value.typed(cleaned["value"]) if "value" in self.changed_data
                                          else self.initial.get("stored_value"))
            return cleaned
        if "value" in self.changed_data or (picked is not None and "definition" in self.changed_data):
            self._fill_option_ids(cleaned, picked or self.definitions.get(cleaned.get("id") or ""))
        kind = cleaned.get("value_kind") or "text"
        if "value" in cleaned and kind in VALUE_KINDS:
            try:
                cleaned["typed_value"] = typed_value(cleaned["value"], kind)
            except ValidationError as exc:
                self.add_error("value", exc)
        return cleaned

    def _fill_option_ids(self, cleaned: dict[str, Any], definition: CustomFieldDefinition | None) -> None:
        """A select field's option chosen (or typed) by its label: its id becomes the row's
        value_id (and its remote id, when the definition gives one, the remote_value_id), as
        the script fills them in the browser. A changed value drops ids that named the old
        option; ids the user typed under Advanced win. Called only for a value or field the user
        changed: a stored row left alone keeps its ids (and is not a change)."""
        if {"value_id", "remote_value_id"} & set(self.changed_data):
            return
        if definition is None or not has_options(definition):
            return
        cleaned["value_id"], cleaned["remote_value_id"] = option_ids(
            option_for(definition, cleaned.get("value")))


class RowFormSet(forms.BaseFormSet):
    """A list field's rows. Rows the user left completely empty are dropped, not sent."""

    list_field: str = ""
    default_error_messages = {
        "too_many_forms": "This list has more rows than the editor can save (at most %(num)d per list).",
    }

    def total_form_count(self) -> int:
        """Return the number of row forms to build: none for a POST claiming more rows than a
        list may hold (full_clean() then reports it), so a forged count builds nothing."""
        if self.is_bound and self.absolute_max is not None:
            # The management form's clean() defaults a missing count to 0 (django-stubs allow None).
            if (self.management_form.cleaned_data[TOTAL_FORM_COUNT] or 0) > self.absolute_max:
                return 0
        return super().total_form_count()

    def clean(self) -> None:
        """Refuse row counts that cannot add up. Raises ValidationError (a non-form error)."""
        # Django accepts any integers here; TOTAL_FORMS -1 would silently read as "no rows" and
        # clear the list. The page only ever adds rows (removal ticks DELETE), so counts that
        # cannot add up mean the form was altered.
        management = self.management_form
        if self.is_bound and management.is_valid():
            counts = management.cleaned_data
            total, initial = counts[TOTAL_FORM_COUNT] or 0, counts[INITIAL_FORM_COUNT] or 0
            if not 0 <= initial <= total:
                raise ValidationError(
                    "The rows of this list were altered (their counts do not add up). Reload the candidate.")

    def is_deleted(self, form: forms.Form) -> bool:
        """Return True when the user ticked the row's Remove box."""
        return self.can_delete and bool(getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME, False))

    def rows(self) -> list[Row]:
        """Return the cleaned, non-deleted, non-empty rows in API shape."""
        return [row for _, row in self.sent()]

    def sent(self) -> list[tuple[forms.Form, Row]]:
        """Return (form, row) for each row that will be sent, in order (its index in the body)."""
        pairs: list[tuple[forms.Form, Row]] = []
        for form in self.forms:
            if self.is_deleted(form):
                continue
            data = getattr(form, "cleaned_data", None)
            if not data:
                continue
            row = self._api_row(data)
            if not is_blank_row(row):
                pairs.append((form, row))
        return pairs

    def _api_row(self, data: dict[str, Any]) -> Row:
        return {key: text(data.get(key)) for key in ROW_KEYS[self.list_field]}


class DuplicatesFlagged(RowFormSet):
    """A list whose rows must differ: a duplicate the user typed is flagged beside the row."""

    column = ""  # the column the message is shown beside
    key_columns: tuple[str, ...] = ()  # a row the user changed in one of these is judged
    duplicate_message = ""

    def row_key(self, data: dict[str, Any]) -> str:
        """Return what makes two rows the same (empty: never a duplicate)."""
        raise NotImplementedError

    def clean(self) -> None:
        """Flag a duplicate beside the row the user changed."""
        groups: dict[str, list[JudgeChangesMixin]] = {}
        for form in self.forms:
            if self.is_deleted(form) or not isinstance(form, JudgeChangesMixin):
                continue
            key = self.row_key(getattr(form, "cleaned_data", {}) or {})
            if key:
                groups.setdefault(key, []).append(form)
        for group in groups.values():
            if len(group) < 2:
                continue
            edited = [form for form in group if form.judged_changed() & set(self.key_columns)]
            # The later copies the user typed are the duplicates; the first listed row only
            # when the user made it equal to a row already there. Stored duplicates the user
            # left alone never block saving.
            for form in [form for form in edited if form is not group[0]] or edited:
                form.add_error(self.column, self.duplicate_message)
        super().clean()


class EmailFormSet(DuplicatesFlagged):
    list_field = "emails"
    column = "value"
    key_columns = ("value",)
    duplicate_message = "This email address is already listed."

    def row_key(self, data: dict[str, Any]) -> str:
        return str(data.get("value") or "").strip().casefold()  # the address, whatever its type


class PhoneFormSet(RowFormSet):
    list_field = "phone_numbers"


class SocialLinkFormSet(DuplicatesFlagged):
    list_field = "social_links"
    column = "url"
    key_columns = ("type", "url")
    duplicate_message = "This link is already listed with this type."

    def row_key(self, data: dict[str, Any]) -> str:
        # The same address (any case, with or without its trailing "/") and the same type.
        url = entry_identity("social_links", {"url": data.get("url") or ""})
        return f"{str(data.get('type') or '').strip().casefold()} {url}" if url else ""


class CustomFieldFormSet(RowFormSet):
    list_field = "custom_fields"

    def _api_row(self, data: dict[str, Any]) -> Row:
        row = super()._api_row({**data, "value": None})  # the value keeps its JSON type, below
        # Set by the row form's clean() (or full_clean() for a flagged stored value); absent
        # only on a row that did not validate, which is never sent.
        row["value"] = data.get("typed_value")
        return row


def _formset(form: type[forms.Form], base: type[RowFormSet]) -> type[RowFormSet]:
    # formset_factory returns a subclass of ``formset`` (django-stubs type it as the base class).
    # No blank rows (extra=0): a row is built when someone adds one, from the formset's
    # empty_form in the browser, or by the edit flow's add-row step without JavaScript.
    return cast(type[RowFormSet], forms.formset_factory(
        form, formset=base, extra=0, can_delete=True, max_num=MAX_ROWS_PER_LIST,
        absolute_max=MAX_ROWS_PER_LIST, renderer=FORM_RENDERER))


FORMSETS: dict[str, type[RowFormSet]] = {
    "emails": _formset(EmailRowForm, EmailFormSet),
    "phone_numbers": _formset(PhoneRowForm, PhoneFormSet),
    "social_links": _formset(SocialLinkRowForm, SocialLinkFormSet),
    "custom_fields": _formset(CustomFieldRowForm, CustomFieldFormSet),
}
FORMSET_LEGENDS = {name: FIELD_LABELS[name] for name in LIST_FIELDS}


def row_form_kwargs(list_field: str, *, definitions: tuple[CustomFieldDefinition, ...],
                    phone_region: PhoneRegion | None) -> dict[str, Any]:
    """Return the keyword arguments each row form of ``list_field``'s formset takes (a custom
    field row: the definitions; a phone row: the region its national numbers are read in), so
    the page's rows and a row added later are built alike."""
    if list_field == "custom_fields":
        return {"definitions": definitions}
    if list_field == "phone_numbers":
        return {"phone_region": phone_region}
    return {}
# The order the edit page shows the fields and lists in (its groups: Identity, Contact, Work, Links,
# Custom fields, Advanced JSON), which its error summary follows.
PAGE_ORDER = ("name", "first_name", "last_name", "email", "emails", "phone_numbers", "phone", "company",
              "title", "country", "hired_at", "application_ids", "social_links", "custom_fields",
              "unified_custom_fields", "passthrough")
