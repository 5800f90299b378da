"""The dry run: read each row's candidate from StackOne (bounded concurrency, within the shared
budget), apply the row's one-entry cells to it (``cell_edits``) and keep only the fields that
really change; a list entry the body would remove is recorded on the row (``removals``), to be
confirmed before the job starts. Rows with no change are skipped; changes to
fields the account's ATS does not accept (its meta, as on the edit page) are left out and named
on the row, and a row with no other change is not sent.

A row keeps, as its baseline, only the fields it writes as they were read (the check right before
its PATCH expects them unchanged: ``bulk_row_clashes``), and the candidate's name to show. A
revert row (``candidates.bulk.revert``) comes with ``expected``, what the write it reverts sent:
that is its baseline, so a field changed since that write is a conflict already here."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from django.utils import timezone

from candidates import services
from candidates.budget import budget_call
from candidates.bulk.cell_edits import bulk_row_wanted
from candidates.editor.change_text import ENTRY_FIELDS, FieldChange, recorded_changes, removed_entries
from candidates.editor.compare import FieldDiff, body_changes, clashing_fields, field_values, patch_body
from candidates.editor.field_meta import read_only_fields
from candidates.exceptions import StackOneError, StackOneNotFound, error_details
from candidates.models import BulkJob, BulkRow
from candidates.stackone import stackone_client
from candidates.types import Candidate, CustomFieldDefinition, JSONValue
from candidates.worker_process import worker_stopping

logger = logging.getLogger(__name__)


def bulk_row_baseline(row: BulkRow) -> Candidate | None:
    """Return the candidate as the preview read it (None before the preview)."""
    return Candidate.from_api(row.baseline) if row.baseline else None


def bulk_row_changes(row: BulkRow) -> list[FieldDiff]:
    """Return ``[{field, old, new}]`` for the row's body (old as the preview read it)."""
    return body_changes(bulk_row_baseline(row), row.body)


def bulk_row_shown_changes(row: BulkRow, *,
                           definitions: Iterable[CustomFieldDefinition] = ()) -> list[FieldChange]:
    """Return the row's changes as people read them (``change_text``)."""
    return recorded_changes(bulk_row_changes(row), definitions=definitions)


def bulk_row_clashes(row: BulkRow, current: Candidate) -> list[dict[str, JSONValue]]:
    """Return ``[{field, baseline, current, wanted}]`` for each field the row writes that changed
    in ``current`` since the row's baseline (the editor's conflict rule, ``clashing_fields``); a
    revert row's baseline is what the reverted write sent. Values in the normalised API shape."""
    if row.expected is not None:
        before: dict[str, JSONValue] = dict(row.expected)
    else:
        baseline = bulk_row_baseline(row)
        before = field_values(baseline) if baseline is not None else {}
    fields = clashing_fields(row.body, before=before, current=current,
                             before_as_sent=row.expected is not None)
    now = field_values(current)
    return [{"field": name, "baseline": before.get(name), "current": now[name], "wanted": row.body[name]}
            for name in fields]


def candidate_read(*, account_id: str, candidate_id: str, retry_unavailable: bool = False) -> Candidate:
    """Return the candidate, read within the shared budget and its retry policy
    (``retry_unavailable``: a 5xx or no answer is tried again too). Raises StackOneError
    subclasses."""
    client = stackone_client(bulk=True)
    return budget_call(lambda: client.candidate_get(account_id=account_id, candidate_id=candidate_id),
                       retry_unavailable=retry_unavailable)


def bulk_preview_run(*, job_id: int, on_progress: Callable[[int, int], None] | None = None) -> BulkJob:
    """Read the current values of every row still to preview and store each row's diff.

    Returns the job, now ``ready`` (as it is when it was no longer previewing); or still
    ``previewing`` when this worker is stopping (``worker_stopping``: no read is started after it,
    those in flight are stored, and the caller queues the rest again). StackOne errors never
    escape: a row that cannot be read is marked (404: invalid; otherwise failed, retryable) and
    never sent.
    """
    job = BulkJob.objects.get(pk=job_id)
    if job.status != BulkJob.Status.PREVIEWING:  # a second reading (queued again) after the first ended
        return job
    rows = list(job.rows.filter(status=BulkRow.Status.PENDING, baseline__isnull=True))
    # The fields the account's ATS does not accept (the edit page shows them read-only): left out
    # of every body, each named on its row. Cached with the edit page's; unavailable means none.
    read_only = read_only_fields(services.account_meta(client=stackone_client(bulk=True),
                                                       account_id=job.account_id)) if rows else {}
    waiting = iter(rows)
    in_flight: dict[Future[Candidate], BulkRow] = {}
    with ThreadPoolExecutor(max_workers=job.concurrency, thread_name_prefix=f"bulk-preview-{job.pk}") as pool:

        def read_next() -> None:
            row = next(waiting, None)
            if row is not None:
                in_flight[pool.submit(candidate_read, account_id=job.account_id,
                                      candidate_id=row.candidate_id)] = row

        # At most one read per thread in flight, the next one started as one ends: a worker
        # told to stop starts no more (the rest are read by the next preview), whatever the load.
        for _ in range(job.concurrency):
            read_next()
        done = 0
        while in_flight:
            # Only this thread writes to the database; the pool threads only talk HTTP.
            for future in wait(in_flight, return_when=FIRST_COMPLETED).done:
                _store(in_flight.pop(future), future, read_only)
                done += 1
                if done % 20 == 0:
                    BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
                if on_progress:
                    on_progress(done, len(rows))
                if not worker_stopping():
                    read_next()
    if worker_stopping():
        return job
    job.status = BulkJob.Status.READY
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "heartbeat_at"])
    return job


def _store(row: BulkRow, future: Future[Candidate], read_only: dict[str, str]) -> None:
    try:
        current = future.result()
    except StackOneNotFound:
        row.status = BulkRow.Status.INVALID
        row.errors = [{"column": "id", "message": "No candidate with this id in this linked account."}]
    except StackOneError as error:
        row.status = BulkRow.Status.FAILED
        row.http_status = error.status_code
        row.message = f"Not sent: the current values could not be read ({error_details(error)})."
    else:
        body = patch_body(current, bulk_row_wanted(current, row.values))
        # A revert row may arrive with fields it cannot set back already named (write-only ones).
        row.not_sent = [*row.not_sent,
                        *({"column": name, "message": read_only[name]} for name in body if name in read_only)]
        row.body = {name: value for name, value in body.items() if name not in read_only}
        row.removals = bulk_body_removals(current, row.body)
        row.removed_count = len(row.removals)
        row.candidate_name = _display_name(current)
        row.baseline = _baseline(current, row)
        row.conflicts = bulk_row_clashes(row, current) if row.expected is not None else []
        if row.conflicts:
            row.status, row.message = BulkRow.Status.CONFLICT, CONFLICT_SINCE_REVERTED
        elif row.body:
            row.status = BulkRow.Status.PENDING
        else:
            row.status = BulkRow.Status.NOT_SENT if row.not_sent else BulkRow.Status.NO_CHANGE
    row.save(update_fields=["status", "errors", "http_status", "message", "baseline", "body", "not_sent",
                            "removals", "removed_count", "candidate_name", "conflicts", "updated_at"])


def bulk_body_removals(current: Candidate, body: dict[str, JSONValue]) -> list[dict[str, str]]:
    """Return ``[{field, entry}]``: each list entry ``current`` holds that ``body`` would remove
    (by its label: an address, a number, a custom field's name and value)."""
    held = field_values(current)
    return [{"field": name, "entry": entry} for name in ENTRY_FIELDS if name in body
            for entry in removed_entries(name, held.get(name), body[name])]


CONFLICT_SINCE_REVERTED = "Not sent: changed in StackOne since the write this row reverts."


def _baseline(current: Candidate, row: BulkRow) -> dict[str, JSONValue]:
    """Return what the row keeps as its baseline: the candidate's ids and the fields it writes,
    as read (a revert row: as the write it reverts sent them); nothing else of the candidate."""
    written = dict(row.expected) if row.expected is not None else current.raw
    return {"id": current.id, "remote_id": current.remote_id,
            **{name: written.get(name) for name in row.body if name in written}}


def _display_name(candidate: Candidate) -> str:
    name = candidate.display_name
    return "" if name in (candidate.id, "(unnamed)") else name[:255]
