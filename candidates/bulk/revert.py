"""Reverting a bulk job: a new job whose rows set every field the job changed back to its value
before the job, taken from the job's audit entries, previewed and started like any job.

Each revert row's baseline is what the job's write sent (``BulkRow.expected``): the preview and
the check right before each PATCH (``preview.bulk_row_clashes``) make a row whose field no
longer holds what the job wrote a ``conflict``, never sent, so a change someone made since the
job is never undone. A field already back to its old value is not sent. A list field is set back
to its whole list as it was, and only while the list still holds exactly what the job wrote:
then the old list is provably what the candidate held before and nothing anyone did since is in
the list to lose. See docs/user/revert.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from candidates.access import BULK_PERMISSION, access_require
from candidates.audit import audit_actor
from candidates.bulk.jobs import LOST_MESSAGE, bulk_job_progress
from candidates.editor.compare import InverseValues, inverse_values
from candidates.editor.fields import FIELD_LABELS
from candidates.models import BulkJob, BulkRow

S = BulkRow.Status
# Why a row of the job is left alone, by its state (a saved or unknown row is reverted).
NOTHING_TO_REVERT: dict[str, str] = {
    S.FAILED: "StackOne refused it: it changed nothing.",
    S.INVALID: "never sent (invalid): it changed nothing.",
    S.NO_CHANGE: "it changed nothing (the candidate already held its values).",
    S.NOT_SENT: "never sent: it changed nothing.",
    S.CONFLICT: "never sent (conflict): it changed nothing.",
    S.PENDING: "never sent (the job stopped before it): it changed nothing.",
    S.CHECKING: "never sent (the job stopped before it): it changed nothing.",
}


class JobNotRevertable(Exception):
    """The job is still being previewed, waiting to start or running."""


@dataclass(frozen=True)
class LeftAlone:
    """A row of the job the revert does not set back, and why."""

    line: int
    candidate_id: str
    reason: str


@dataclass(frozen=True)
class JobRevert:
    """A revert job (not yet previewed) and the rows of the reverted job it leaves alone (listed
    on it as ``no_change`` or ``not_sent`` rows, never sent)."""

    job: BulkJob
    left_alone: tuple[LeftAlone, ...]
    to_revert: int


def bulk_job_revertable(job: BulkJob) -> bool:
    """Return True when ``job`` can be reverted: finished, or stopped (its worker stopped
    reporting while it ran)."""
    if job.status == BulkJob.Status.DONE:
        return True
    return job.status in (BulkJob.Status.QUEUED, BulkJob.Status.RUNNING) and bulk_job_progress(job).stale


def bulk_job_revert(*, job: BulkJob, user: Any, username: str = "", dry_run: bool = False) -> JobRevert:
    """Store a new job (``reverts`` = ``job``) whose rows set back what ``job`` changed: one per row
    saved (or whose outcome is unknown) with its values before the job as wanted values and what
    the job sent as the baseline. A stopped job is ended first (its rows never sent will never be;
    a row it left in flight becomes ``unknown`` and is reverted, since it may have been saved),
    unless ``dry_run``: then nothing changes, and the new job is a dry run, never started.
    Returns the job and the rows left alone. Raises JobNotRevertable, and PermissionDenied unless
    ``user`` (None: the operator) is granted Ops on the job's account."""
    access_require(user, BULK_PERMISSION, job.account_id)
    if not bulk_job_revertable(job):
        raise JobNotRevertable(f"Job #{job.pk} is {job.get_status_display()}: only a finished or stopped "
                               "job can be reverted.")
    user, username = audit_actor(user, username)
    with transaction.atomic():
        if not dry_run and job.status != BulkJob.Status.DONE:
            _end(job)
        revert = BulkJob.objects.create(user=user, username=username, account_id=job.account_id,
                                        filename=f"revert of job {job.pk}"[:255], concurrency=job.concurrency,
                                        reverts=job, from_file=job.from_file, dry_run=dry_run)
        rows, left_alone = _revert_rows(job, revert)
        BulkRow.objects.bulk_create(rows, batch_size=500)
    return JobRevert(job=revert, left_alone=tuple(left_alone), to_revert=len(rows) - len(left_alone))


def _end(job: BulkJob) -> None:
    """End a stopped run: nothing more of it will be sent, its rows in flight become unknown."""
    now = timezone.now()
    job.rows.filter(status=S.SENDING).update(status=S.UNKNOWN, message=LOST_MESSAGE, updated_at=now)
    job.rows.filter(status=S.CHECKING).update(status=S.PENDING, updated_at=now)
    job.status, job.finished_at, job.heartbeat_at = BulkJob.Status.DONE, now, now
    job.save(update_fields=["status", "finished_at", "heartbeat_at"])


def _revert_rows(job: BulkJob, revert: BulkJob) -> tuple[list[BulkRow], list[LeftAlone]]:
    rows: list[BulkRow] = []
    left_alone: list[LeftAlone] = []
    for row in job.rows.select_related("audit_entry").order_by("line").iterator(chunk_size=500):
        reason, values = _revert_of(row)
        if values is None:
            # Listed on the revert job too (never previewed nor sent), so its page and results CSV
            # account for every row of the job it reverts.
            left_alone.append(LeftAlone(row.line, row.candidate_id, reason))
            rows.append(BulkRow(job=revert, line=row.line, candidate_id=row.candidate_id,
                                status=S.NOT_SENT if row.status in (S.SAVED, S.UNKNOWN, S.SENDING)
                                else S.NO_CHANGE,
                                message=f"Left alone: {reason}"))
            continue
        rows.append(BulkRow(job=revert, line=row.line, candidate_id=row.candidate_id, values=values.old,
                            expected=values.sent, reverts_entry=row.audit_entry,
                            not_sent=[{"column": name, "message": WRITE_ONLY} for name in values.skipped]))
    return rows, left_alone


WRITE_ONLY = "Write-only (StackOne never returns it), so its value before the job is unknown: not set back."


def _revert_of(row: BulkRow) -> tuple[str, InverseValues | None]:
    """Return ("", what to set back) for a row to revert, else (why it is left alone, None)."""
    # A row still "sending" (a stopped job not ended: a dry run) may have been saved, as unknown.
    if row.status not in (S.SAVED, S.UNKNOWN, S.SENDING):
        return NOTHING_TO_REVERT.get(row.status, f"{row.get_status_display()}: it changed nothing."), None
    entry = row.audit_entry
    if entry is None or entry.outcome not in entry.REVERTABLE_OUTCOMES:
        return "its audit entry is gone: the values before the job are not known.", None
    values = inverse_values(entry.changes)
    if not values.old:
        written = ", ".join(FIELD_LABELS.get(name, name) for name in values.skipped) or "nothing"
        return f"it wrote only {written}, which is write-only: its value before the job is unknown.", None
    return "", values
