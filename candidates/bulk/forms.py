"""The upload form: a linked account and a CSV file."""

from __future__ import annotations

from typing import Any

from django import forms

from candidates.bulk.csv_parse import CLEAR_MARKER, MAX_ROWS, CsvInvalid, ParsedCsv, bulk_csv_parse

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class BulkUploadForm(forms.Form):
    account_id = forms.CharField(label="Linked account ID", max_length=255,
                                 help_text="The x-account-id of the linked account these candidates belong to.")
    file = forms.FileField(
        label="CSV file",
        help_text=f"UTF-8, comma or semicolon separated, up to {MAX_ROWS:,} rows. Column id, then StackOne field "
                  f"names. An empty cell leaves the field unchanged; {CLEAR_MARKER} clears it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        try:
            self.parsed: ParsedCsv = bulk_csv_parse(upload.read())
        except CsvInvalid as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload
