"""The one bulk module another wing imports: data health hands its fixes over here, and they
become a job previewed like any upload (nothing is sent before a person starts it)."""

from __future__ import annotations

from typing import Any

from candidates.bulk.csv_parse import ID_COLUMN, MAX_ROWS, CsvInvalid, bulk_csv_parse
from candidates.bulk.jobs import bulk_enqueue, bulk_job_create, bulk_preview_task
from candidates.models import BulkJob

__all__ = ["ID_COLUMN", "MAX_ROWS", "CsvInvalid", "bulk_job_handoff"]


def bulk_job_handoff(*, user: Any, account_id: str, filename: str, data: bytes) -> BulkJob:
    """Create a job from a bulk-update CSV another part of the product wrote and queue its
    preview. Returns the job. Raises CsvInvalid."""
    job = bulk_job_create(user=user, account_id=account_id, filename=filename, parsed=bulk_csv_parse(data))
    bulk_enqueue(bulk_preview_task, job.pk)
    return job
