"""The candidate edit form and its four formsets (emails, phone numbers, social links,
custom fields), mirroring every field of StackOne's ``AtsUpdateCandidateRequestDto``.

Validation judges what the user changed: a stored value our rules would reject never blocks
saving other fields. It is shown flagged instead (``form.flags``).
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

import phonenumbers
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.forms.formsets import DELETION_FIELD_NAME, INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.forms.renderers import BaseRenderer
from django.http import QueryDict
from email_validator import EmailNotValidError, validate_email

from candidates.email_follow import KEEP_KEY, email_follow
from candidates.exceptions import StackOneError, error_text
from candidates.field_meta import definitions_by_id, value_kind_for, value_widget
from candidates.form_renderer import EditorRenderer
from candidates.json_input import NonStandardNumber, json_loads_strict
from candidates.limits import MAX_ROWS_PER_LIST
from candidates.payloads import (
    LIST_FIELDS,
    ROW_KEYS,
    SCALAR_FIELDS,
    VALUE_KINDS,
    CandidateEdit,
    Row,
    candidate_initial,
    is_blank_row,
    parse_hired_at,
    split_application_ids,
    text,
)
from candidates.types import PHONE_TYPES, Candidate, CustomFieldDefinition, JSONObject, JSONValue

MAX_JSON_CHARS = 100_000
# Deeper JSON is refused up front: json.loads/dumps recurse, so a value parsed here could still
# hit RecursionError later (the diff, the HTTP client) at a deeper call stack.
MAX_JSON_DEPTH = 100
EMAIL_TYPES = ("personal", "work", "other")
SOCIAL_TYPES = ("linkedin", "github", "twitter", "facebook", "website", "other")


# -- validators ---------------------------------------------------------------------------------


def validate_email_address(value: str) -> None:
    """Accept internationalised addresses (RFC 6531); no DNS lookups."""
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        # email_validator's own reasons are technical ("the part after the @-sign…"): an example says more.
        raise ValidationError("Enter an email address like name@example.com.", code="invalid") from exc


def validate_phone(value: str) -> None:
    """Accept a plausible international number: ``+`` and the country code first."""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "Enter the number in international form, starting with + and the country code, "
            "e.g. +44 7700 900123.",
            code="invalid",
        ) from exc
    if not phonenumbers.is_possible_number(number):
        raise ValidationError("This is not a possible phone number for its country code.", code="invalid")


validate_web_url = URLValidator(
    schemes=["http", "https"], message="Enter a full web address starting with https:// or http://."
)


def json_depth_exceeds(value: JSONValue, limit: int = MAX_JSON_DEPTH) -> bool:
    """Return True when ``value`` nests lists/objects more than ``limit`` levels deep."""
    stack: list[tuple[JSONValue, int]] = [(value, 1)]
    while stack:  # iterative, so checking depth cannot itself overflow the stack
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def _too_deep_message(label: str) -> str:
    return f"{label} is nested too deeply (at most {MAX_JSON_DEPTH} levels of lists and objects)."


def parse_json_object(value: str, *, label: str) -> JSONObject | None:
    """Return the JSON object typed in ``value`` (None when empty). Raises ValidationError."""
    if not value.strip():
        return None
    if len(value) > MAX_JSON_CHARS:
        raise ValidationError(f"{label} is too long (at most {MAX_JSON_CHARS:,} characters).")
    try:
        parsed = json_loads_strict(value)
    except RecursionError as exc:
        raise ValidationError(_too_deep_message(label)) from exc
    except ValueError as exc:
        raise ValidationError(f"{label} is not valid JSON: {exc}.") from exc
    if not isinstance(parsed, dict):
        raise ValidationError(f'{label} must be a JSON object, e.g. {{"key": "value"}}.')
    if json_depth_exceeds(parsed):
        raise ValidationError(_too_deep_message(label))
    return parsed


# -- base ---------------------------------------------------------------------------------------


FAST_RENDERER = EditorRenderer()


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
    # The edit page has about a hundred inputs: see form_renderer (admin forms keep the default).
    default_renderer: BaseRenderer | type[BaseRenderer] | None = FAST_RENDERER

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


# -- the main form ------------------------------------------------------------------------------


class CandidateForm(JudgeChangesMixin, forms.Form):
    required_css_class = "required"
    error_css_class = "has-error"

    name = _text_field("Name", help_text="Full name, if the ATS keeps one apart from first and last name.")
    first_name = _text_field("First name")
    last_name = _text_field("Last name")
    email = _text_field(
        "Email", max_length=320, validators=[validate_email_address],
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    company = _text_field("Company")
    title = _text_field("Title")
    country = _text_field("Country", help_text="Free text, e.g. United Kingdom.")
    hired_at = HiredAtField(
        label="Hired at", required=False, max_length=64,
        help_text="Date and time in UTC.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"),
    )
    phone = _text_field(
        "Phone", max_length=64, validators=[validate_phone],
        help_text="Deprecated by StackOne: use Phone numbers below.",
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    application_ids = TextField(
        label="Application IDs", required=False, help_text="One per line.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    unified_custom_fields = TextField(
        label="Unified custom fields", required=False,
        help_text="A JSON object of the custom unified fields configured in your StackOne project.",
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false", "class": "code"}),
    )
    passthrough = TextField(
        label="Passthrough", required=False,
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
        return parse_json_object(self.cleaned_data["unified_custom_fields"], label="Unified custom fields")

    def clean_passthrough(self) -> JSONObject | None:
        return parse_json_object(self.cleaned_data["passthrough"], label="Passthrough")

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


class PhoneRowForm(JudgeChangesMixin, forms.Form):
    type = forms.ChoiceField(label="Type", required=False)
    phone = _text_field(
        "Phone", max_length=64, validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
        widget = value_widget(picked, self.initial.get("stored_value"), new=not stored_id)
        if widget is not None:
            self.fields["value"].widget = widget

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
        kind = cleaned.get("value_kind") or "text"
        if "value" in cleaned and kind in VALUE_KINDS:
            try:
                cleaned["typed_value"] = typed_value(cleaned["value"], kind)
            except ValidationError as exc:
                self.add_error("value", exc)
        return cleaned


def typed_value(raw: str, kind: str) -> JSONValue:
    """Return the custom field value typed as ``kind`` (None for a blank number, boolean or
    JSON: an emptied value is a clear). Raises ValidationError."""
    if kind == "null":
        return None
    if kind == "text":
        return raw
    stripped = raw.strip()
    if not stripped:
        return None
    if kind == "boolean":
        lowered = stripped.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        raise ValidationError("Enter true or false.", code="invalid")
    if kind == "number":
        try:
            number = json.loads(stripped)
        except ValueError:
            number = None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ValidationError("Enter a number, e.g. 30 or 2.5.", code="invalid")
        try:
            finite = math.isfinite(number)
        except OverflowError as exc:  # an integer with hundreds of digits: no ATS stores that as a number
            raise ValidationError("That number is too large; choose Text if it is an identifier.",
                                  code="invalid") from exc
        if not finite:  # NaN, Infinity
            raise ValidationError("Enter a number, e.g. 30 or 2.5.", code="invalid")
        return number
    try:
        parsed = json_loads_strict(stripped)
    except RecursionError as exc:
        raise ValidationError(_too_deep_message("The value"), code="invalid") from exc
    except NonStandardNumber as exc:
        raise ValidationError(f"Not valid JSON: {exc}.", code="invalid") from exc
    except ValueError as exc:
        raise ValidationError("Enter a JSON list or object, e.g. [\"a\", \"b\"].", code="invalid") from exc
    if not isinstance(parsed, (list, dict)):
        raise ValidationError("Enter a JSON list or object, e.g. [\"a\", \"b\"].", code="invalid")
    if json_depth_exceeds(parsed):
        raise ValidationError(_too_deep_message("The value"), code="invalid")
    return parsed


class RowFormSet(forms.BaseFormSet):
    """A list field's rows. Rows the user left completely empty are dropped, not sent."""

    list_field: str = ""
    read_only_note: str = ""  # set by CandidateEditor when the account's ATS does not accept the list
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


class EmailFormSet(RowFormSet):
    list_field = "emails"

    def clean(self) -> None:
        """Flag a duplicate address (case-insensitive) beside the row the user changed."""
        groups: dict[str, list[JudgeChangesMixin]] = {}
        for form in self.forms:
            if self.is_deleted(form) or not isinstance(form, JudgeChangesMixin):
                continue
            value = (getattr(form, "cleaned_data", {}) or {}).get("value") or ""
            key = value.strip().casefold()
            if key:
                groups.setdefault(key, []).append(form)
        for group in groups.values():
            if len(group) < 2:
                continue
            edited = [form for form in group if "value" in form.judged_changed()]
            # The later copies the user typed are the duplicates; the first listed row only
            # when the user made it equal to a row already there. Stored duplicates the user
            # left alone never block saving.
            for form in [form for form in edited if form is not group[0]] or edited:
                form.add_error("value", "This email address is already listed.")
        super().clean()


class PhoneFormSet(RowFormSet):
    list_field = "phone_numbers"


class SocialLinkFormSet(RowFormSet):
    list_field = "social_links"


class CustomFieldFormSet(RowFormSet):
    list_field = "custom_fields"

    def _api_row(self, data: dict[str, Any]) -> Row:
        row = super()._api_row(data)
        # Set by the row form's clean() (or full_clean() for a flagged stored value); absent
        # only on a row that did not validate, which is never sent.
        row["value"] = data.get("typed_value")
        return row


def _formset(form: type[forms.Form], base: type[RowFormSet]) -> type[RowFormSet]:
    # formset_factory returns a subclass of ``formset`` (django-stubs type it as the base class).
    return cast(type[RowFormSet], forms.formset_factory(
        form, formset=base, extra=1, can_delete=True, max_num=MAX_ROWS_PER_LIST,
        absolute_max=MAX_ROWS_PER_LIST, renderer=FAST_RENDERER))


FORMSETS: dict[str, type[RowFormSet]] = {
    "emails": _formset(EmailRowForm, EmailFormSet),
    "phone_numbers": _formset(PhoneRowForm, PhoneFormSet),
    "social_links": _formset(SocialLinkRowForm, SocialLinkFormSet),
    "custom_fields": _formset(CustomFieldRowForm, CustomFieldFormSet),
}
FORMSET_LEGENDS = {
    "emails": "Emails",
    "phone_numbers": "Phone numbers",
    "social_links": "Social links",
    "custom_fields": "Custom fields",
}


# -- the editor: one form and four formsets -----------------------------------------------------


class CandidateEditor:
    """The whole edit page's inputs for one candidate, bound to POST data or not."""

    def __init__(self, candidate: Candidate, data: Any = None, *,
                 definitions: tuple[CustomFieldDefinition, ...] | list[CustomFieldDefinition] = (),
                 read_only: dict[str, str] | None = None) -> None:
        """``definitions``: the account's custom field definitions; ``read_only``: {field: note}
        for the fields its ATS does not accept (shown, never sent)."""
        initial = candidate_initial(candidate)
        self.candidate = candidate
        self.definitions = tuple(definitions)
        self.read_only = dict(read_only or {})
        self.form = CandidateForm(data, initial=initial.form)
        row_kwargs = {"custom_fields": {"definitions": self.definitions}}
        self.formsets = {
            name: FORMSETS[name](data, initial=initial.rows[name], prefix=name,
                                 form_kwargs=row_kwargs.get(name, {}))
            for name in LIST_FIELDS
        }
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        # A disabled field keeps its initial value whatever is posted, so it is never a change.
        for name, note in self.read_only.items():
            if name in self.form.fields:
                self.form.fields[name].disabled = True
                self.form.fields[name].help_text = note
            elif name in self.formsets:
                formset = self.formsets[name]
                formset.read_only_note = note
                for row in formset.forms:
                    for field in row.fields.values():
                        field.disabled = True

    @property
    def posted(self) -> QueryDict:
        """Return the data the editor is bound to (empty when it is not bound)."""
        data = self.form.data
        return data if isinstance(data, QueryDict) else QueryDict()

    def is_valid(self) -> bool:
        """Validate everything (all forms, so every error shows at once)."""
        results = [self.form.is_valid()] + [formset.is_valid() for formset in self.formsets.values()]
        return all(results)

    def edit(self) -> CandidateEdit:
        """Return the cleaned values in API shape. Call only after ``is_valid()``."""
        data = self.form.cleaned_data
        edit = CandidateEdit(
            scalars={name: text(data.get(name)) for name in SCALAR_FIELDS},
            hired_at=data.get("hired_at"),
            application_ids=data.get("application_ids") or [],
            passthrough=data.get("passthrough"),
            unified_custom_fields=data.get("unified_custom_fields"),
            rows={name: formset.rows() for name, formset in self.formsets.items()},
        )
        if "email" in self.read_only or "emails" in self.read_only:
            return edit  # the one cannot follow the other if it cannot be sent
        keep = str(self.form.data.get(KEEP_KEY, "")).lower() in ("on", "1", "true", "yes")
        return email_follow(self.candidate, edit, row_changes=self._email_row_changes(), keep=keep)

    def _email_row_changes(self) -> list[tuple[str, str]]:
        """Return (address loaded, address typed) for each kept Emails row whose address the user changed."""
        formset = self.formsets["emails"]
        changes = []
        for form, row in formset.sent():
            before, after = text(form.initial.get("value")), row.get("value")
            if before and isinstance(after, str) and before != after:
                changes.append((before, after))
        return changes

    def add_remote_error(self, error: StackOneError) -> None:
        """Put StackOne's validation messages beside the fields they name, the rest on top."""
        unplaced = [e.message for e in error.field_errors
                    if not self._place(e.field, e.index, e.column, e.message)]
        self.form.add_error(None, error_text(error, write=True, unplaced=unplaced))

    def _place(self, field: str | None, index: int | None, column: str | None, message: str) -> bool:
        if field in self.form.fields:
            self.form.add_error(field, message)
            return True
        formset = self.formsets.get(field or "")
        if formset is None:
            return False
        sent = [form for form, _ in formset.sent()]
        if index is not None and index < len(sent) and column in sent[index].fields:
            sent[index].add_error(column, message)
        else:
            formset.non_form_errors().append(message)
        return True

    @property
    def error_count(self) -> int:
        """Return how many errors the page lists (0 for an editor not bound to posted data)."""
        if not self.form.is_bound:
            return 0
        count = sum(len(errors) for errors in self.form.errors.values())
        return count + sum(formset.total_error_count() for formset in self.formsets.values())
