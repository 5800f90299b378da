"""The edit page's inputs for one candidate: the main form and its four row formsets, bound
together, with the fields its ATS does not accept made read-only and StackOne's validation
messages placed beside the fields they name."""

from __future__ import annotations

from typing import Any

from django.forms.formsets import all_valid
from django.http import QueryDict

from candidates.countries import country_code
from candidates.editor.email_follow import KeepOldOffer, email_follow, keep_chosen, same_address
from candidates.editor.fields import LIST_FIELDS, SCALAR_FIELDS, text
from candidates.editor.forms import FORMSETS, CandidateForm, row_form_kwargs
from candidates.editor.payloads import CandidateEdit, candidate_initial
from candidates.exceptions import StackOneError, error_text
from candidates.phones import phone_region
from candidates.types import Candidate, CustomFieldDefinition


class CandidateEditor:
    """The whole edit page's inputs for one candidate, bound to POST data or not."""

    def __init__(self, candidate: Candidate, data: Any = None, *,
                 definitions: tuple[CustomFieldDefinition, ...] | list[CustomFieldDefinition] = (),
                 read_only: dict[str, str] | None = None, account_id: str | None = None) -> None:
        """``definitions``: the account's custom field definitions; ``read_only``: {field: note}
        for the fields its ATS does not accept (shown, never sent); ``account_id``: whose default
        phone region reads a national number when the candidate's country is not known."""
        initial = candidate_initial(candidate)
        self.candidate = candidate
        self.definitions = tuple(definitions)
        self.read_only = dict(read_only or {})
        self.keep_old_offer: KeepOldOffer | None = None  # set by offer_keep_old_email()
        # A national number is read in the country the form says (as typed, else as stored).
        posted_country = data.get("country") if data is not None else None
        country = posted_country if country_code(posted_country) else candidate.country
        self.phone_country = country or ""  # a new phone row is read there too (display.NewRow)
        self.phone_region = phone_region(country=country, account_id=account_id)
        self.form = CandidateForm(data, initial=initial.form, phone_region=self.phone_region)
        self.formsets = {
            name: FORMSETS[name](data, initial=initial.rows[name], prefix=name,
                                 form_kwargs=row_form_kwargs(name, definitions=self.definitions,
                                                             phone_region=self.phone_region))
            for name in LIST_FIELDS
        }
        self._apply_read_only()

    def _apply_read_only(self) -> None:
        # A disabled field keeps its initial value whatever is posted, so it is never a change.
        # A list's note is shown by its display wrapper (display.ListFieldset).
        for name, note in self.read_only.items():
            if name in self.form.fields:
                self.form.fields[name].disabled = True
                self.form.fields[name].help_text = note
            elif name in self.formsets:
                for row in self.formsets[name].forms:
                    for field in row.fields.values():
                        field.disabled = True

    @property
    def posted(self) -> QueryDict:
        """Return the data the editor is bound to (empty when it is not bound)."""
        data = self.form.data
        return data if isinstance(data, QueryDict) else QueryDict()

    def is_valid(self) -> bool:
        """Validate everything (every form and formset, so every error shows at once), as
        contrib.admin's change form does."""
        form_valid = self.form.is_valid()
        return all_valid(list(self.formsets.values())) and form_valid

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
        keep = keep_chosen(self.form.data)
        return email_follow(self.candidate, edit, row_changes=self._email_row_changes(), keep=keep)

    def offer_keep_old_email(self, *, review_first: bool) -> None:
        """Put the "Keep the old address in Emails" choice beside Email when a change of Email
        would take an Emails row along: shown at once when the review step is off (this page is
        then the only place to choose) or Email was changed, else shown by the script when
        Email changes. Nothing when either field is read-only or no Emails row holds Email."""
        old = text(self.candidate.email)
        if old is None or "email" in self.read_only or "emails" in self.read_only:
            return
        if not any(same_address(text(row.value), old) for row in self.candidate.emails):
            return
        changed = self.form.is_bound and "email" in self.form.changed_data
        self.keep_old_offer = KeepOldOffer(old, shown=not review_first or changed,
                                           checked=keep_chosen(self.form.data))

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
