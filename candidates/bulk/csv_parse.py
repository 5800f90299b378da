"""Reading a bulk-update CSV: decoding, the header, and each row's cells checked with the edit
form's own rules (``CandidateForm``, the four row formsets of ``candidates.editor.forms`` and
the custom field definitions' types of ``candidates.editor.field_meta``).

A cell left empty leaves the field unchanged; ``__CLEAR__`` clears it (sent as JSON null).
Columns (docs/user/bulk.md, "CSV reference"):

- ``id`` and StackOne's field names; list and object fields take a JSON cell (the whole list);
- ``custom_field:<name or id>``: that one custom field, typed as a person types it; the
  candidate's other custom fields are kept as StackOne holds them;
- ``add_email`` / ``add_phone_number`` / ``add_social_link`` (each with an optional ``…_type``):
  one entry added to that list, the others kept; an entry already listed is not added twice.

The last two kinds need the candidate's current values, so a row keeps them as edits
(``SET_CUSTOM_FIELDS``, ``ADD_ENTRIES``) that the preview applies (``cell_edits``). A cell an
export neutralised against spreadsheet formulas ('+44…) is read without its quote
(``csv_cell_value``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from candidates.csv_cells import column_letter, csv_cell_value
from candidates.editor.field_meta import custom_field_cell
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
from candidates.json_input import JsonTooDeep, json_error_text, json_read
from candidates.phones import PhoneRegion, phone_region
from candidates.types import CustomFieldDefinition, JSONValue

CLEAR_MARKER = "__CLEAR__"
MAX_ROWS = 10_000
ID_COLUMN = "id"
CUSTOM_FIELD_PREFIX = "custom_field:"
# add_<entry> column → (list field, the key its cell fills); add_<entry>_type fills "type".
ADD_COLUMNS = {
    "add_email": ("emails", "value"),
    "add_phone_number": ("phone_numbers", "phone"),
    "add_social_link": ("social_links", "url"),
}
TYPE_SUFFIX = "_type"
COLUMNS = (ID_COLUMN, *BODY_FIELDS,
           *(f"{name}{suffix}" for name in ADD_COLUMNS for suffix in ("", TYPE_SUFFIX)))
# Keys of a row's values that are edits applied to the current values by the preview.
SET_CUSTOM_FIELDS = "set_custom_fields"  # {definition id: the custom field row, or None to remove it}
ADD_ENTRIES = {field: f"add_{field}" for field, _ in ADD_COLUMNS.values()}  # "emails" → "add_emails": [row]
PROGRESS_EVERY = 200


class CsvInvalid(Exception):
    """The file as a whole cannot be read (encoding, header, size); nothing was created."""


@dataclass(frozen=True)
class Column:
    """One header cell: its name as written, its position (1 = A) and what it sets."""

    name: str
    position: int
    field: str  # a body field, "id", "custom_field", or an add_… column name
    definition: CustomFieldDefinition | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.position)


@dataclass(frozen=True)
class CellError:
    column: str
    message: str
    position: int = 0  # the column's position (1 = A); 0: the row as a whole

    def as_dict(self) -> dict[str, Any]:
        return {"column": self.column, "message": self.message, "position": self.position}


@dataclass(frozen=True)
class ParsedRow:
    """One data row: the line its record starts on, the candidate id, the cleaned cells in API
    shape (``None`` = clear) plus the edits the preview applies, and the errors found (a row
    with errors is never sent)."""

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


def bulk_csv_parse(data: bytes, *, definitions: Sequence[CustomFieldDefinition] | None = None,
                   on_progress: Callable[[int, int], None] | None = None,
                   account_id: str | None = None) -> ParsedCsv:
    """Return every row of the CSV ``data``, validated. ``definitions``: the account's custom
    field definitions (needed by ``custom_field:`` columns); ``on_progress(rows read, lines in
    the file)`` is called every few hundred rows; ``account_id``: whose default phone region
    reads a national number in a row without a country cell (``candidates.phones``). Raises
    CsvInvalid for the whole file."""
    _, delimiter, lines = _lines(data)
    columns = _header(_cells(lines[0], delimiter), definitions=definitions or (),
                      check_definitions=True)
    rows: list[ParsedRow] = []
    seen: dict[str, int] = {}
    for line, cells, problem in _records(lines, delimiter, columns):
        if problem is not None:
            rows.append(ParsedRow(line, _first_cell(cells, columns), {}, (problem,)))
        elif any(cell.strip() for cell in cells):
            rows.append(_row(line, columns, [csv_cell_value(cell) for cell in cells], seen, account_id))
        else:
            continue
        if len(rows) > MAX_ROWS:
            raise CsvInvalid(f"The file has more than {MAX_ROWS:,} rows; split it into several files.")
        if on_progress and len(rows) % PROGRESS_EVERY == 0:
            on_progress(len(rows), len(lines) - 1)
    if not rows:
        raise CsvInvalid("The file has a header but no rows.")
    return ParsedCsv(columns=tuple(column.name for column in columns), rows=tuple(rows), delimiter=delimiter)


def bulk_csv_header_check(data: bytes) -> tuple[str, ...]:
    """Return the column names of ``data`` after reading only its header (custom field names are
    checked later, against the account's definitions). Raises CsvInvalid."""
    _, delimiter, lines = _lines(data)
    columns = _header(_cells(lines[0], delimiter), definitions=(), check_definitions=False)
    if len(lines) < 2 or not any(line.strip() for line in lines[1:]):
        raise CsvInvalid("The file has a header but no rows.")
    return tuple(column.name for column in columns)


def has_custom_field_columns(data: bytes) -> bool:
    """Return True when the header names a ``custom_field:`` column (the definitions are needed)."""
    try:
        _, delimiter, lines = _lines(data)
        columns = _header(_cells(lines[0], delimiter), definitions=(), check_definitions=False)
    except CsvInvalid:
        return False
    return any(column.field == "custom_field" for column in columns)


# -- reading records ----------------------------------------------------------------------------

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _lines(data: bytes) -> tuple[str, str, list[str]]:
    """Return (content, delimiter, physical lines with their line breaks)."""
    content = _decode(data)
    lines = list(_split_lines(content))
    if not lines or not lines[0].strip():
        raise CsvInvalid("The file is empty: the first line must name the columns, starting with id.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    return content, delimiter, lines


def _split_lines(content: str) -> Iterator[str]:
    start = 0
    for match in LINE_BREAK.finditer(content):
        yield content[start:match.end()]
        start = match.end()
    if start < len(content):
        yield content[start:]


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise CsvInvalid(f"Line 1 (the header) is not readable CSV: {exc}.") from exc


# Cells whose JSON may be spread over several lines; any other cell never holds a line break.
MULTILINE_COLUMNS = frozenset({*LIST_FIELDS, "unified_custom_fields", "passthrough", "application_ids"})


def _records(lines: list[str], delimiter: str,
             columns: tuple[Column, ...]) -> Iterator[tuple[int, list[str], CellError | None]]:
    """Yield (line its record starts on, cells, problem) for each record after the header.

    A quote that is never closed would make the reader take every following line as part of
    one cell. A record spanning several lines is kept only when each cell holding a line break
    is a JSON column whose text is JSON; otherwise that record is reported on the line it starts
    on, and reading starts again on the next line, so no following row is lost.
    """
    index = 1
    while index < len(lines):
        reader = csv.reader(iter(lines[index:]), delimiter=delimiter, strict=True)
        consumed = 0
        try:
            for cells in reader:
                start, consumed = index + consumed + 1, reader.line_num
                if index + consumed > start:
                    problem = _merged_problem(start, index + consumed, columns, cells)
                else:
                    problem = _unpaired_quote(lines[start - 1], columns, cells)
                if problem is not None:
                    yield start, cells, problem
                    index = start  # the next physical line (0-based index of line start + 1)
                    break
                yield start, cells, None
            else:
                return
        except csv.Error as exc:
            start = index + consumed + 1
            yield start, _loose_cells(lines[start - 1], delimiter), _quote_problem(start, exc, lines, columns,
                                                                                   delimiter)
            index = start


def _merged_problem(start: int, end: int, columns: tuple[Column, ...], cells: list[str]) -> CellError | None:
    """Return the problem of a record spanning lines ``start``–``end``, None when its line
    breaks are inside JSON cells that read as JSON."""
    for column, cell in zip(columns, cells, strict=False):
        if "\n" not in cell and "\r" not in cell:
            continue
        if column.field in MULTILINE_COLUMNS:
            try:
                json_read(cell)
                continue
            except (ValueError, JsonTooDeep):
                pass
        return CellError(column.name, (
            f"A quote in this cell opens on line {start} and is not closed where the cell ends, so lines "
            f"{start}–{end} would read as one row. Close or remove the stray quote; the lines after "
            f"line {start} are read as rows of their own."), column.position)
    return None


def _unpaired_quote(line: str, columns: tuple[Column, ...], cells: list[str]) -> CellError | None:
    """Return the problem of a one-line record holding an odd number of quotes: a stray quote
    (e.g. the one that closes a cell opened lines above) read as text, else None."""
    if line.count('"') % 2 == 0:
        return None
    position = next((index for index, cell in enumerate(cells) if '"' in cell), 0)
    column = columns[min(position, len(columns) - 1)]
    return CellError(column.name, 'This cell holds a stray quote ("): a quote in a cell must be doubled ("") '
                     "and the cell quoted. Correct it, or remove the quote.", column.position)


def _quote_problem(start: int, exc: csv.Error, lines: list[str], columns: tuple[Column, ...],
                   delimiter: str) -> CellError:
    cells = _loose_cells(lines[start - 1], delimiter)
    column = columns[min(len(cells), len(columns)) - 1] if cells else columns[0]
    if "unexpected end of data" in str(exc):
        message = ("A quote opens a cell that is never closed. Close or remove the stray quote; the lines "
                   f"after line {start} are read as rows of their own.")
    else:
        message = f"This line is not readable CSV ({exc}): a quote inside a cell must be doubled (\"\")."
    return CellError(column.name, message, column.position)


def _loose_cells(line: str, delimiter: str) -> list[str]:
    """Return a broken line's cells as well as they can be read (to name its id and column)."""
    try:
        return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter, strict=False), [])
    except csv.Error:
        return line.rstrip("\r\n").split(delimiter)


def _first_cell(cells: list[str], columns: tuple[Column, ...]) -> str:
    position = next((index for index, column in enumerate(columns) if column.field == ID_COLUMN), 0)
    return cells[position].strip()[:255] if len(cells) > position else ""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # a byte order mark (Excel's "CSV UTF-8") is dropped
    except UnicodeDecodeError as exc:
        raise CsvInvalid(
            f"The file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}). "
            "Save it as \"CSV UTF-8\" and upload it again."
        ) from exc


# -- the header ---------------------------------------------------------------------------------


def _header(cells: list[str], *, definitions: Sequence[CustomFieldDefinition],
            check_definitions: bool) -> tuple[Column, ...]:
    columns: list[Column] = []
    problems: list[str] = []
    for position, cell in enumerate(cells, start=1):
        name = cell.strip()
        where = f"Column {column_letter(position)} ({name or 'empty'})"
        if name.casefold().startswith(CUSTOM_FIELD_PREFIX):
            key = name[len(CUSTOM_FIELD_PREFIX):].strip()
            definition, problem = _definition(key, definitions) if check_definitions else (None, "")
            if not key:
                problem = "name a custom field after the colon, e.g. custom_field:Notice period (days)"
            if problem:
                problems.append(f"{where}: {problem}.")
            columns.append(Column(name, position, "custom_field", definition))
        elif name in COLUMNS:
            columns.append(Column(name, position, name))
        else:
            problems.append(f"{where}: unknown column.")
    if problems:
        raise CsvInvalid(" ".join(problems) + " Columns are id, StackOne's field names "
                         f"({', '.join(BODY_FIELDS)}), custom_field:<name or id>, and "
                         f"{', '.join(f'{name}[_type]' for name in ADD_COLUMNS)}.")
    _refuse_clashes(columns)
    return tuple(columns)


def _definition(key: str,
                definitions: Sequence[CustomFieldDefinition]) -> tuple[CustomFieldDefinition | None, str]:
    """Return the definition a ``custom_field:`` column names (by id, else by name in any case),
    or the problem with it."""
    by_id = [d for d in definitions if d.id == key]
    if by_id:
        return by_id[0], ""
    by_name = [d for d in definitions if d.id and (d.name or "").strip().casefold() == key.casefold()]
    if len(by_name) == 1:
        return by_name[0], ""
    if by_name:
        return None, (f"{len(by_name)} custom fields are named “{key}”; name it by id instead "
                      f"({', '.join(str(d.id) for d in by_name)})")
    known = ", ".join(sorted({d.name or d.id or "" for d in definitions}, key=str.casefold))
    return None, (f"this account has no custom field named or with the id “{key}”"
                  + (f" (its custom fields: {known})" if known else
                     " (StackOne listed no custom field definitions for it)"))


def _refuse_clashes(columns: list[Column]) -> None:
    names = [column.name for column in columns]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CsvInvalid(f"Column(s) named twice: {', '.join(duplicates)}.")
    fields = [column.definition.id for column in columns if column.definition is not None]
    twice = sorted({str(field) for field in fields if fields.count(field) > 1})
    if twice:
        raise CsvInvalid(f"Two custom_field: columns name the same custom field ({', '.join(twice)}).")
    if ID_COLUMN not in names:
        raise CsvInvalid("The column id is missing: it names the candidate of each row.")
    if len(names) == 1:
        raise CsvInvalid("Only the id column is given: add at least one field to change.")
    if "custom_fields" in names and any(column.field == "custom_field" for column in columns):
        raise CsvInvalid("Use either custom_fields (the whole list, as JSON) or custom_field:<name> columns "
                         "(one field each, the others kept), not both.")
    for add, (field, _) in ADD_COLUMNS.items():
        if field in names and (add in names or f"{add}{TYPE_SUFFIX}" in names):
            raise CsvInvalid(f"Use either {field} (the whole list, as JSON) or {add} (one entry added, the "
                             "others kept), not both.")
        if f"{add}{TYPE_SUFFIX}" in names and add not in names:
            raise CsvInvalid(f"The column {add}{TYPE_SUFFIX} needs a column {add} (the entry it types).")


# -- rows ---------------------------------------------------------------------------------------


def _row(line: int, columns: tuple[Column, ...], cells: list[str], seen: dict[str, int],
         account_id: str | None = None) -> ParsedRow:
    candidate_id = _first_cell(cells, columns)
    if len(cells) != len(columns):
        return ParsedRow(line, candidate_id, {}, (CellError(
            "", f"This row has {len(cells)} cells; the header has {len(columns)}."),))
    errors: list[CellError] = []
    if not candidate_id:
        errors.append(CellError(ID_COLUMN, "The id is required.", _position(columns, ID_COLUMN)))
    elif candidate_id in seen:
        errors.append(CellError(ID_COLUMN, f"This id is already on line {seen[candidate_id]}.",
                                _position(columns, ID_COLUMN)))
    else:
        seen[candidate_id] = line
    by_name = dict(zip((column.name for column in columns), cells, strict=True))
    # A national phone number is read in the row's country, else the account's default region.
    region = phone_region(country=by_name.get("country"), account_id=account_id)
    values, cell_errors = row_values({name: cell for name, cell in by_name.items()
                                      if name in BODY_FIELDS}, region=region)
    errors.extend(CellError(error.column, error.message, _position(columns, error.column))
                  for error in cell_errors)
    edits, edit_errors = _edits(columns, cells, region)
    values.update(edits)
    errors.extend(edit_errors)
    if not errors and not values:
        errors.append(CellError("", "Every field cell is empty: nothing to change."))
    return ParsedRow(line, candidate_id, values, tuple(sorted(errors, key=lambda error: error.position)))


def _position(columns: tuple[Column, ...], name: str) -> int:
    return next((column.position for column in columns if column.name == name), 0)


def _edits(columns: tuple[Column, ...], cells: list[str],
           region: PhoneRegion | None = None) -> tuple[dict[str, JSONValue], list[CellError]]:
    """Return the row's custom_field: and add_… cells as edits, and their errors."""
    edits: dict[str, JSONValue] = {}
    errors: list[CellError] = []
    custom: dict[str, JSONValue] = {}
    cell_of = {column.name: (column, cell) for column, cell in zip(columns, cells, strict=True)}
    for column, raw in cell_of.values():
        if column.field != "custom_field" or not raw.strip() or column.definition is None:
            continue
        definition_id = str(column.definition.id)
        if raw.strip() == CLEAR_MARKER:
            custom[definition_id] = None
            continue
        try:
            custom[definition_id] = dict(custom_field_cell(column.definition, raw))
        except ValidationError as exc:
            errors.extend(CellError(column.name, message, column.position) for message in exc.messages)
    if custom:
        edits[SET_CUSTOM_FIELDS] = custom
    for add, (field, key) in ADD_COLUMNS.items():
        if add not in cell_of:
            continue
        column, raw = cell_of[add]
        type_column, type_raw = cell_of.get(f"{add}{TYPE_SUFFIX}") or (None, "")
        if not raw.strip():
            if type_column is not None and type_raw.strip():
                errors.append(CellError(type_column.name, f"A type without an entry: fill {add} too, or "
                                        "leave this cell empty.", type_column.position))
            continue
        # Phone types are a fixed list (the edit page's choices): "Mobile" is typed as meant.
        kind = type_raw.strip().lower() if field == "phone_numbers" else type_raw.strip()
        rows, problems = formset_rows(field, [{"type": kind, key: raw}], region=region)
        for _, item_key, message in problems:
            target = type_column if item_key == "type" and type_column is not None else column
            errors.append(CellError(target.name, message, target.position))
        if rows and not problems:
            edits[ADD_ENTRIES[field]] = rows  # type: ignore[assignment]
    return edits, errors


def row_values(cells: dict[str, str], *,
               region: PhoneRegion | None = None) -> tuple[dict[str, JSONValue], list[CellError]]:
    """Return the cleaned values of one row's field cells, and the errors per column (``region``:
    where a national phone number is read; every phone is saved in E.164, as the edit page does)."""
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
                values[name] = _list_cell(name, raw, region=region)  # type: ignore[assignment]
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
        form = CandidateForm(form_data, initial={}, phone_region=region)
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
        reason = json_error_text(exc, raw)
        raise ValidationError(f"Not valid JSON: {reason}; expected e.g. {example}") from exc


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


def _list_cell(name: str, raw: str, *, region: PhoneRegion | None = None) -> list[dict[str, JSONValue]]:
    """Return a list cell's rows as the edit page's formset cleans them. Raises ValidationError."""
    items = _json(raw, LIST_EXAMPLES[name])
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValidationError(f"Enter a JSON list of objects, e.g. {LIST_EXAMPLES[name]}.")
    rows, problems = formset_rows(name, items, region=region)
    if problems:
        raise ValidationError([f"item {index + 1}: {key}: {message}" if key else message
                               for index, key, message in problems])
    return rows


def formset_rows(name: str, items: list[dict[str, Any]], *, region: PhoneRegion | None = None,
                 ) -> tuple[list[dict[str, JSONValue]], list[tuple[int, str, str]]]:
    """Return ``items`` cleaned by the edit page's formset for list ``name`` (its rows in API
    shape), and its problems as (item index, key, message); key "" for the list as a whole."""
    keys = ROW_KEYS[name]
    data: dict[str, str] = {f"{name}-TOTAL_FORMS": str(len(items)), f"{name}-INITIAL_FORMS": "0"}
    problems: list[tuple[int, str, str]] = []
    for index, item in enumerate(items):
        unknown = sorted(set(item) - set(keys))
        if unknown:
            problems.append((index, "", f"item {index + 1}: unknown key(s) {', '.join(unknown)} "
                                        f"(known: {', '.join(keys)})"))
        for key in keys:
            value = item.get(key)
            if name == "custom_fields" and key == "value":
                data[f"{name}-{index}-value"] = value_text(value)
                data[f"{name}-{index}-value_kind"] = value_kind(value)
            elif value is None or isinstance(value, str):
                data[f"{name}-{index}-{key}"] = value or ""
            else:
                problems.append((index, key, "must be text"))
    if problems:
        return [], problems
    form_kwargs = {"phone_region": region} if name == "phone_numbers" else {}
    formset = FORMSETS[name](data, prefix=name, form_kwargs=form_kwargs)
    if not formset.is_valid():
        for index, form in enumerate(formset.forms):
            for key, messages in form.errors.items():
                problems.extend((index, key, str(message)) for message in messages)
        problems.extend((0, "", str(message)) for message in formset.non_form_errors())
        return [], problems
    return formset.rows(), []
