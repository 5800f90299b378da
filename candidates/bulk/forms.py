"""The upload form (a linked account and a CSV file) and the start form (its confirmation of
removals)."""

from __future__ import annotations

from typing import Any

from django import forms

from candidates.access import EVERYWHERE, Reach
from candidates.bulk.csv_parse import CLEAR_MARKER, MAX_ROWS, CsvInvalid, bulk_csv_header_check
from candidates.form_renderer import FORM_RENDERER
from candidates.types import LinkedAccount

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def account_choice_label(account: LinkedAccount, accounts: list[LinkedAccount]) -> str:
    """Return an account as the picker names it: its name, the ATS when the name does not say it
    ("Acme EU (Greenhouse)", never "Lever (sandbox) (Lever)"), the id only when another account
    shares the name."""
    label = account.display_name
    ats = account.provider_name or account.provider or ""
    if ats and ats.casefold() not in label.casefold():
        label = f"{label} ({ats})"
    if sum(other.display_name == account.display_name for other in accounts) > 1:
        label = f"{label} · {account.id}"
    return label


class BulkUploadForm(forms.Form):
    default_renderer = FORM_RENDERER  # the app's field group (candidates/form_renderer.py)

    account_id = forms.CharField(
        label="Linked account ID", max_length=255,
        help_text="The x-account-id of the linked account these candidates belong to.")
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, comma or semicolon separated, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB and "
                  f"{MAX_ROWS:,} rows. Column id, then the fields to change (see the CSV format below). "
                  f"An empty cell leaves the field unchanged; {CLEAR_MARKER} clears it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, accounts: list[LinkedAccount] | None = None, reach: Reach = EVERYWHERE,
                 **kwargs: Any) -> None:
        """``accounts``: the linked accounts to pick from (None or empty: type the id, as when
        StackOne cannot list them); ``reach``: the accounts the user may run bulk jobs on."""
        super().__init__(*args, **kwargs)
        self.reach = reach
        active = [account for account in accounts or [] if account.is_active and account.id]
        if active:
            field = self.fields["account_id"]
            field.label = "Linked account"
            field.help_text = "The ATS account these candidates belong to."
            choices = [(a.id, account_choice_label(a, active)) for a in active]
            initial = self.initial.get("account_id")
            if initial and initial not in {a.id for a in active}:
                self.initial["account_id"] = ""
            field.widget = forms.Select(choices=[("", "Choose an account…"), *choices])
            self.account_ids = {a.id for a in active}
        else:
            self.account_ids = set()

    def clean_account_id(self) -> str:
        value = self.cleaned_data["account_id"].strip()
        # An account not granted gets the words of one that does not exist (nothing leaks).
        if (self.account_ids and value not in self.account_ids) or not self.reach.allows(value):
            raise forms.ValidationError("Choose one of the active linked accounts.")
        return value

    def clean_file(self) -> Any:
        """Check the size and the header only: the rows are read by the background task."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        self.data_bytes: bytes = upload.read()
        try:
            bulk_csv_header_check(self.data_bytes)
        except CsvInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class BulkStartForm(forms.Form):
    """Start a previewed job; a job whose rows remove list entries needs them confirmed."""

    default_renderer = FORM_RENDERER  # the app's field group (candidates/form_renderer.py)
    confirm_removals = forms.BooleanField(
        label="I have checked the entries listed above: remove them", required=False)

    def __init__(self, *args: Any, removals: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.removals = removals

    def clean_confirm_removals(self) -> bool:
        confirmed = bool(self.cleaned_data.get("confirm_removals"))
        if self.removals and not confirmed:
            raise forms.ValidationError(
                f"This job removes {self.removals} list entr{'ies' if self.removals != 1 else 'y'}: "
                "tick the box "
                "to confirm, or upload a file that keeps them.")
        return confirmed
