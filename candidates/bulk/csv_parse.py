"""Reading a bulk-update CSV: decoding, the header, and each row's cells checked with the edit
form's own rules (``CandidateForm`` and the four row formsets of ``candidates.editor.forms``).

A cell left empty leaves the field unchanged; ``__CLEAR__`` clears it (sent as JSON null).
List and object fields take a JSON cell. A cell neutralised against spreadsheet formulas ('+44…)
is read without its quote (``csv_cell_value``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from candidates.csv_cells import csv_cell_value
from candidates.editor.fields import (
    BODY_FIELDS,
    LIST_FIELDS,
    ROW_KEYS,
    format_hired_at,
    text,
    value_kind,
    value_text,
)
from candidates.editor.forms import FORMSETS, CandidateForm
from candidates.json_input import JsonTooDeep, json_read
from candidates.types import JSONValue

CLEAR_MARKER = "__CLEAR__"
MAX_ROWS = 10_000
ID_COLUMN = "id"
COLUMNS = (ID_COLUMN, *BODY_FIELDS)


class CsvInvalid(Exception):
    """The file as a whole cannot be read (encoding, header, size); nothing was created."""


@dataclass(frozen=True)
class CellError:
    column: str
    message: str


@dataclass(frozen=True)
class ParsedRow:
    """One data row: its line in the file, the candidate id, the cleaned cells in API shape
    (``None`` = clear), and the errors found (a row with errors is never sent)."""

    line: int
    candidate_id: str
    values: dict[str, JSONValue]
    errors: tuple[CellError, ...] = ()

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ParsedCsv:
    columns: tuple[str, ...]
    rows: tuple[ParsedRow, ...]
    delimiter: str


def bulk_csv_parse(data: bytes) -> ParsedCsv:
    """Return every row of the CSV ``data``, validated. Raises CsvInvalid for the whole file."""
    content = _decode(data)
    lines = content.splitlines()
    if not lines or not lines[0].strip():
        raise CsvInvalid("The file is empty: the first line must name the columns, starting with id.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    # strict: a quote that breaks the quoting rules is an error, never silently read as text.
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    start = 1  # the physical line the record being read starts on
    try:
        columns = _header(next(reader))
        rows: list[ParsedRow] = []
        seen: dict[str, int] = {}
        start = reader.line_num + 1
        for cells in reader:
            _refuse_merged_lines(start, reader.line_num, columns, cells)
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise CsvInvalid(
                        f"The file has more than {MAX_ROWS:,} rows; split it into several files.")
                rows.append(_row(reader.line_num, columns, [csv_cell_value(cell) for cell in cells], seen))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise CsvInvalid(
                f"Line {start}: a quote opens a cell that is never closed, so every line after it would be "
                "read as part of that cell. Remove the stray quote or close it, then upload the file again."
            ) from exc
        raise CsvInvalid(f"The file is not a readable CSV (line {reader.line_num}: {exc}).") from exc
    if not rows:
        raise CsvInvalid("The file has a header but no rows.")
    return ParsedCsv(columns=columns, rows=tuple(rows), delimiter=delimiter)


# Cells whose JSON may be spread over several lines; any other cell never holds a line break.
MULTILINE_COLUMNS = frozenset({*LIST_FIELDS, "unified_custom_fields", "passthrough", "application_ids"})


def _refuse_merged_lines(start: int, end: int, columns: tuple[str, ...], cells: list[str]) -> None:
    """Raise CsvInvalid when a quoted cell spanning lines ``start``–``end`` holds text other than JSON:
    a stray quote that merged the following rows into that cell."""
    if end == start:
        return
    for column, cell in zip(columns, cells, strict=False):
        if ("\n" in cell or "\r" in cell) and column not in MULTILINE_COLUMNS:
            raise CsvInvalid(
                f"Line {start}: a quote in the {column or 'unnamed'} cell runs on to line {end}, merging "
                f"lines {start}–{end} into one row. Remove the stray quote on line {start} (or close it), "
                "then upload the file again."
            )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte order mark (Excel's "CSV UTF-8") is dropped
    except UnicodeDecodeError as exc:
        raise CsvInvalid(
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as \"CSV UTF-8\" and upload it again."
        ) from exc


def _header(cells: list[str]) -> tuple[str, ...]:
    columns = tuple(cell.strip() for cell in cells)
    unknown = [name for name in columns if name not in COLUMNS]
    if unknown:
        raise CsvInvalid(
            f"Unknown column(s): {', '.join(unknown) or '(empty)'}. Columns are id and StackOne's field "
            f"names: {', '.join(BODY_FIELDS)}."
        )
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise CsvInvalid(f"Column(s) named twice: {', '.join(duplicates)}.")
    if ID_COLUMN not in columns:
        raise CsvInvalid("The column id is missing: it names the candidate of each row.")
    if len(columns) == 1:
        raise CsvInvalid("Only the id column is given: add at least one field to change.")
    return columns


def _row(line: int, columns: tuple[str, ...], cells: list[str], seen: dict[str, int]) -> ParsedRow:
    candidate_id = (cells[columns.index(ID_COLUMN)] if len(cells) > columns.index(ID_COLUMN) else "").strip()
    if len(cells) != len(columns):
        return ParsedRow(line, candidate_id, {}, (CellError(
            "", f"This row has {len(cells)} cells; the header has {len(columns)}."),))
    errors: list[CellError] = []
    if not candidate_id:
        errors.append(CellError(ID_COLUMN, "The id is required."))
    elif candidate_id in seen:
        errors.append(CellError(ID_COLUMN, f"This id is already on line {seen[candidate_id]}."))
    else:
        seen[candidate_id] = line
    values, cell_errors = row_values(dict(zip(columns, cells, strict=True)))
    errors.extend(cell_errors)
    if not errors and not values:
        errors.append(CellError("", "Every field cell is empty: nothing to change."))
    return ParsedRow(line, candidate_id, values, tuple(errors))


def row_values(cells: dict[str, str]) -> tuple[dict[str, JSONValue], list[CellError]]:
    """Return the cleaned values of one row's field cells, and the errors per column."""
    values: dict[str, JSONValue] = {}
    errors: list[CellError] = []
    form_data: dict[str, str] = {}
    for name, raw in cells.items():
        if name == ID_COLUMN or not raw.strip():
            continue
        if raw.strip() == CLEAR_MARKER:
            values[name] = None
        elif name in LIST_FIELDS:
            try:
                values[name] = _list_cell(name, raw)  # type: ignore[assignment]
            except ValidationError as exc:
                errors.extend(CellError(name, message) for message in exc.messages)
        elif name == "application_ids":
            try:
                form_data[name] = _application_ids_text(raw)
            except ValidationError as exc:
                errors.extend(CellError(name, message) for message in exc.messages)
        else:
            form_data[name] = raw
    if form_data:
        form = CandidateForm(form_data, initial={})
        form.is_valid()
        for name in form_data:
            if name in form.errors:
                errors.extend(CellError(name, str(message)) for message in form.errors[name])
            else:
                values[name] = _api_value(name, form.cleaned_data[name])
    return {name: values[name] for name in BODY_FIELDS if name in values}, errors


def _api_value(name: str, cleaned: Any) -> JSONValue:
    if name == "hired_at":
        return format_hired_at(cleaned) if cleaned else None
    if name in ("application_ids", "unified_custom_fields", "passthrough"):
        return cleaned
    return text(cleaned)


def _json(raw: str, example: str) -> Any:
    try:
        return json_read(raw)
    except JsonTooDeep as exc:
        raise ValidationError("The JSON is nested too deeply.") from exc
    except ValueError as exc:
        raise ValidationError(f"Not valid JSON ({exc}); expected e.g. {example}") from exc


def _application_ids_text(raw: str) -> str:
    ids = _json(raw, '["app-1", "app-2"]')
    if not isinstance(ids, list) or not all(isinstance(item, str) and "\n" not in item for item in ids):
        raise ValidationError('Enter a JSON list of IDs, e.g. ["app-1", "app-2"].')
    return "\n".join(ids)


LIST_EXAMPLES = {
    "emails": '[{"type": "work", "value": "ada@example.com"}]',
    "phone_numbers": '[{"type": "mobile", "phone": "+44 7700 900123"}]',
    "social_links": '[{"type": "linkedin", "url": "https://www.linkedin.com/in/ada"}]',
    "custom_fields": '[{"id": "cf-1", "value": "Completed"}]',
}


def _list_cell(name: str, raw: str) -> list[dict[str, JSONValue]]:
    """Return a list cell's rows as the edit page's formset cleans them. Raises ValidationError."""
    items = _json(raw, LIST_EXAMPLES[name])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValidationError(f"Enter a JSON list of objects, e.g. {LIST_EXAMPLES[name]}.")
    keys = ROW_KEYS[name]
    data: dict[str, str] = {f"{name}-TOTAL_FORMS": str(len(items)), f"{name}-INITIAL_FORMS": "0"}
    problems: list[str] = []
    for index, item in enumerate(items):
        unknown = sorted(set(item) - set(keys))
        if unknown:
            problems.append(f"item {index + 1}: unknown key(s) {', '.join(unknown)} "
                            f"(known: {', '.join(keys)})")
        for key in keys:
            value = item.get(key)
            if name == "custom_fields" and key == "value":
                data[f"{name}-{index}-value"] = value_text(value)
                data[f"{name}-{index}-value_kind"] = value_kind(value)
            elif value is None or isinstance(value, str):
                data[f"{name}-{index}-{key}"] = value or ""
            else:
                problems.append(f"item {index + 1}: {key} must be text")
    if problems:
        raise ValidationError(problems)
    formset = FORMSETS[name](data, prefix=name)
    if not formset.is_valid():
        for index, form in enumerate(formset.forms):
            for key, messages in form.errors.items():
                problems.extend(f"item {index + 1}: {key}: {message}" for message in messages)
        problems.extend(str(message) for message in formset.non_form_errors())
        raise ValidationError(problems)
    return formset.rows()
