"""The per-row results of a job as CSV lines (the web download and the CLI's file)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from candidates.bulk.conflict_text import conflicts_text
from candidates.csv_cells import csv_cell
from candidates.models import BulkJob

RESULT_COLUMNS = ("line", "id", "status", "remote_id", "returned_id", "http_status", "message", "fields")


def results_csv_rows(job: BulkJob) -> Iterator[list[str]]:
    """Yield the header, then one line per row: outcome, StackOne's ids and message."""
    yield list(RESULT_COLUMNS)
    for row in job.rows.order_by("line").iterator():
        message = row.message or "; ".join(f"{e['column'] or 'row'}: {e['message']}" for e in row.errors)
        # A conflict: each field with the row's baseline, the value now in StackOne and its own.
        message = " ".join(part for part in (message, conflicts_text(row)) if part)
        # Columns left out because the ATS does not accept them, after StackOne's answer.
        message = "; ".join([message] * bool(message) + [f"{item['column']}: {item['message']}"
                                                          for item in row.not_sent])
        yield [csv_cell(cell) for cell in (
            str(row.line), row.candidate_id, row.status, row.returned_remote_id, row.returned_id,
            str(row.http_status or ""), message, json.dumps(sorted(row.body), ensure_ascii=False))]


def results_csv_write(job: BulkJob, path: Path) -> Path:
    """Write the results CSV to ``path`` and return it."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(results_csv_rows(job))
    return path
