"""The per-row results of a job as CSV lines (the web download and the CLI's file)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from candidates.bulk.conflict_text import conflicts_text
from candidates.bulk.preview import bulk_row_shown_changes
from candidates.csv_cells import column_letter, csv_cell
from candidates.editor.change_text import changes_text
from candidates.models import BulkJob

RESULT_COLUMNS = ("line", "id", "status", "remote_id", "returned_id", "http_status", "message", "changes")


def error_place(error: dict[str, Any]) -> str:
    """Return where a row's error is: ``column C (custom_field:Score)``, a column's name, or "row"."""
    column, position = error.get("column") or "", error.get("position") or 0
    if position:
        return f"column {column_letter(position)} ({column})"
    return column or "row"


def results_csv_rows(job: BulkJob) -> Iterator[list[str]]:
    """Yield the header, then one line per row: outcome, StackOne's ids, message and the
    changes as people read them (``change_text``; moments in UTC)."""
    yield list(RESULT_COLUMNS)
    for row in job.rows.order_by("line").iterator():
        message = row.message or "; ".join(f"{error_place(error)}: {error.get('message', '')}"
                                           for error in row.errors)
        # A conflict: each field with the row's baseline, the value now in StackOne and its own.
        message = " ".join(part for part in (message, conflicts_text(row)) if part)
        # Columns left out because the ATS does not accept them, after StackOne's answer.
        message = "; ".join([message] * bool(message) + [f"{item['column']}: {item['message']}"
                                                          for item in row.not_sent])
        yield [csv_cell(cell) for cell in (
            str(row.line), row.candidate_id, row.status, row.returned_remote_id, row.returned_id,
            str(row.http_status or ""), message, changes_text(bulk_row_shown_changes(row)))]


def results_csv_write(job: BulkJob, path: Path) -> Path:
    """Write the results CSV to ``path`` and return it."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(results_csv_rows(job))
    return path
