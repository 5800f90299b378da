"""The one bulk module another wing imports: data health hands its fixes over here as typed rows
(a candidate id and the fields to set, in API shape), and they become a job previewed like any
upload (nothing is sent before a person starts it).

The rows never pass through CSV text: they are built into the parser's own row type and stored
by the same ``bulk_job_create`` an uploaded file goes through, so a value holding a line break,
a quote or a marker such as ``__CLEAR__`` arrives as the value it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from candidates.bulk.csv_parse import CLEAR_MARKER, ID_COLUMN, MAX_ROWS, ParsedCsv, ParsedRow
from candidates.bulk.jobs import bulk_enqueue, bulk_job_create, bulk_preview_task
from candidates.editor.fields import BODY_FIELDS
from candidates.models import BulkJob
from candidates.types import JSONValue

__all__ = ["CLEAR_MARKER", "MAX_ROWS", "HandoffInvalid", "HandoffRow", "bulk_job_handoff"]


class HandoffInvalid(ValueError):
    """The rows cannot make a job (too many, a field that is not writable, an id twice, a
    value that would clear a field); nothing was created."""


@dataclass(frozen=True)
class HandoffRow:
    """One candidate's changes: field name → the value to set, in the PATCH body's shape (a
    list field whole). Never None: a handed-over change sets a value, it never clears one."""

    candidate_id: str
    values: dict[str, JSONValue]


def bulk_job_handoff(*, user: Any, account_id: str, label: str, rows: Sequence[HandoffRow]) -> BulkJob:
    """Create a job holding ``rows`` (``label`` names it on the job page) and queue its preview.
    Returns the job. Raises HandoffInvalid before anything is stored."""
    parsed = _parsed(rows)
    job = bulk_job_create(user=user, account_id=account_id, filename=label, parsed=parsed, from_file=False)
    bulk_enqueue(bulk_preview_task, job.pk)
    return job


def _parsed(rows: Sequence[HandoffRow]) -> ParsedCsv:
    """Return ``rows`` as the parser's value (row n is line n + 1, as under a header line)."""
    if not rows:
        raise HandoffInvalid("No rows to hand over.")
    if len(rows) > MAX_ROWS:
        raise HandoffInvalid(f"{len(rows):,} candidates, but one bulk job takes at most {MAX_ROWS:,}.")
    seen: set[str] = set()
    used: set[str] = set()
    for row in rows:
        if not row.candidate_id or row.candidate_id in seen:
            raise HandoffInvalid(f"Candidate id “{row.candidate_id}” is empty or given twice.")
        seen.add(row.candidate_id)
        unknown = sorted(set(row.values) - set(BODY_FIELDS))
        if not row.values:
            raise HandoffInvalid(f"Candidate {row.candidate_id}: no field to set.")
        if unknown:
            raise HandoffInvalid(f"Candidate {row.candidate_id}: not writable: {', '.join(unknown)}.")
        if any(value is None for value in row.values.values()):
            raise HandoffInvalid(f"Candidate {row.candidate_id}: a handed-over change never clears a field.")
        used.update(row.values)
    return ParsedCsv(
        columns=(ID_COLUMN, *(name for name in BODY_FIELDS if name in used)),
        rows=tuple(
            ParsedRow(
                line=index,
                candidate_id=row.candidate_id,
                values={name: row.values[name] for name in BODY_FIELDS if name in row.values},
            )
            for index, row in enumerate(rows, start=2)
        ),
        delimiter=",",
    )
