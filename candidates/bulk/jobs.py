"""Bulk jobs: creation, the row state machine, the run loop and the background tasks.

Row states: ``pending`` → ``sending`` (saved before the PATCH) → ``saved`` / ``failed`` /
``unknown`` (saved after it); ``invalid``, ``no_change`` and ``not_sent`` (only changes the
account's ATS does not accept) rows are never sent. A row is
claimed with a conditional UPDATE (pending → sending), so two workers never send the same
row. When a job (re)starts, rows left in ``sending`` by a worker that died become ``unknown``
and are shown as such, never re-sent; ``saved`` rows are never sent again.

Each row costs one StackOne call: the PATCH. The preview's read is the baseline (the body
holds only the fields that differed then, and the audit entry's "old" values come from it);
no second GET before the PATCH and no read-back after it. See docs/user/bulk.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import task

from candidates.audit import audit_actor
from candidates.budget import budget_monotonic, budget_retry, budget_sleep, budget_try
from candidates.bulk.csv_parse import ParsedCsv
from candidates.bulk.preview import bulk_preview_run, bulk_row_baseline
from candidates.exceptions import StackOneRateLimited, StackOneUnavailable, error_row_text
from candidates.models import BulkJob, BulkRow
from candidates.stackone import stackone_client
from candidates.worker import inprocess_worker_ensure
from candidates.writes import CandidateWrite, WriteSent, write_close, write_open, write_send

logger = logging.getLogger(__name__)
STALE_AFTER_SECONDS = 60
HEARTBEAT_SECONDS = 2.0
# Progress is counted over all the job's rows: at most once a second (and once at the end), not
# after every row, which grew with the square of the job's size (docs/benchmarks.md).
PROGRESS_SECONDS = 1.0
LOST_MESSAGE = ("The worker stopped while this row was being sent: it may or may not have been saved. "
                "Not re-sent.")
S = BulkRow.Status


@dataclass(frozen=True)
class JobProgress:
    """Counts for the progress bar. ``eta_seconds`` is None until a rate is known."""

    status: str
    total: int
    to_send: int
    saved: int
    failed: int
    unknown: int
    remaining: int
    no_change: int
    not_sent: int
    invalid: int
    previewed: int
    eta_seconds: float | None
    stale: bool

    @property
    def done(self) -> int:
        return self.saved + self.failed + self.unknown

    @property
    def percent(self) -> int:
        if self.status == BulkJob.Status.PREVIEWING:
            return int(100 * self.previewed / self.total) if self.total else 100
        return int(100 * self.done / self.to_send) if self.to_send else 100

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "done": self.done, "percent": self.percent}


def bulk_job_create(*, user: Any, account_id: str, filename: str, parsed: ParsedCsv,
                    concurrency: int | None = None) -> BulkJob:
    """Store a new job and its rows (invalid ones included, to be listed). Returns the job."""
    user, username = audit_actor(user)
    with transaction.atomic():
        job = BulkJob.objects.create(
            user=user, username=username,
            account_id=account_id, filename=filename[:255],
            concurrency=concurrency or settings.BULK_CONCURRENCY,
        )
        BulkRow.objects.bulk_create([
            BulkRow(job=job, line=row.line, candidate_id=row.candidate_id[:255], values=row.values,
                    errors=[{"column": e.column, "message": e.message} for e in row.errors],
                    status=S.PENDING if row.is_valid else S.INVALID)
            for row in parsed.rows
        ], batch_size=500)
    return job


def bulk_job_retry(*, job: BulkJob, user: Any) -> BulkJob:
    """Return a new job holding only ``job``'s failed and unknown rows, to preview again
    (a row whose write did land then shows as "no change")."""
    user, username = audit_actor(user)
    with transaction.atomic():
        retry = BulkJob.objects.create(
            user=user, username=username,
            account_id=job.account_id, filename=job.filename, concurrency=job.concurrency, retry_of=job,
        )
        BulkRow.objects.bulk_create([
            BulkRow(job=retry, line=row.line, candidate_id=row.candidate_id, values=row.values)
            for row in job.rows.filter(status__in=[S.FAILED, S.UNKNOWN])
        ], batch_size=500)
    return retry


def bulk_job_progress(job: BulkJob) -> JobProgress:
    """Return the job's counts and an estimate of the time left."""
    counts = dict(job.rows.values_list("status").annotate(n=Count("id")).order_by())
    previewed = job.rows.exclude(status=S.PENDING, baseline__isnull=True).count()
    get = counts.get
    remaining = get(S.PENDING, 0) + get(S.SENDING, 0)
    done = get(S.SAVED, 0) + get(S.FAILED, 0) + get(S.UNKNOWN, 0)
    eta = None
    if job.status == BulkJob.Status.RUNNING and job.started_at and done:
        elapsed = (timezone.now() - job.started_at).total_seconds()
        eta = round(remaining * elapsed / done, 1)
    stale = job.status in (BulkJob.Status.PREVIEWING, BulkJob.Status.QUEUED, BulkJob.Status.RUNNING) and (
        (timezone.now() - (job.heartbeat_at or job.created_at)).total_seconds() > STALE_AFTER_SECONDS)
    return JobProgress(
        status=job.status, total=sum(counts.values()), to_send=remaining + done, saved=get(S.SAVED, 0),
        failed=get(S.FAILED, 0), unknown=get(S.UNKNOWN, 0), remaining=remaining,
        no_change=get(S.NO_CHANGE, 0), not_sent=get(S.NOT_SENT, 0), invalid=get(S.INVALID, 0),
        previewed=previewed, eta_seconds=eta, stale=stale,
    )


# -- running ------------------------------------------------------------------------------------


def bulk_job_start(*, job: BulkJob, user: Any, username: str = "") -> bool:
    """Queue a ``ready`` job's run as ``user`` (``username``: the name without a user, e.g. a
    command line's). Returns False when the job was not ready (nothing queued)."""
    user, username = audit_actor(user, username)
    if not BulkJob.objects.filter(pk=job.pk, status=BulkJob.Status.READY).update(
            status=BulkJob.Status.QUEUED, started_by=user, started_by_username=username):
        return False
    bulk_enqueue(bulk_run_task, job.pk)
    return True


def bulk_job_resume(*, job: BulkJob, user: Any) -> bool:
    """Queue again a job whose worker stopped reporting. A stopped run is resumed as ``user``
    (rows sent from now on are theirs); a stopped preview only reads. Returns False when the job
    is not stale (nothing queued)."""
    if not bulk_job_progress(job).stale:
        return False
    if job.status == BulkJob.Status.PREVIEWING:
        bulk_enqueue(bulk_preview_task, job.pk)
        return True
    user, username = audit_actor(user)
    BulkJob.objects.filter(pk=job.pk).update(resumed_by=user, resumed_by_username=username)
    bulk_enqueue(bulk_run_task, job.pk)
    return True


def _send(write: CandidateWrite) -> WriteSent:
    """The only work done in a pool thread: one PATCH (no database access)."""
    try:
        return write_send(write, client=stackone_client(bulk=True))
    except Exception as exc:  # a bug must not leave the row "sending" forever
        logger.exception("bulk PATCH crashed for %s", write.candidate_id)
        return WriteSent(error=StackOneUnavailable(f"Unexpected error: {type(exc).__name__}"))


def bulk_job_run(*, job_id: int, on_progress: Callable[[JobProgress], None] | None = None) -> BulkJob:
    """Send every pending row of the job, ``job.concurrency`` at a time, within the shared
    budget, as whoever started (or resumed) this run. Returns the finished job. StackOne
    errors are recorded per row, never raised."""
    job = BulkJob.objects.get(pk=job_id)
    job.rows.filter(status=S.SENDING).update(status=S.UNKNOWN, message=LOST_MESSAGE,
                                             updated_at=timezone.now())
    job.status, job.heartbeat_at = BulkJob.Status.RUNNING, timezone.now()
    job.started_at = job.started_at or job.heartbeat_at
    job.save(update_fields=["status", "heartbeat_at", "started_at"])
    run_by = job.run_by()
    queue = list(job.rows.filter(status=S.PENDING).order_by("line"))
    in_flight: dict[Future[WriteSent], tuple[BulkRow, CandidateWrite]] = {}
    beat = reported = budget_monotonic()
    with ThreadPoolExecutor(max_workers=job.concurrency, thread_name_prefix=f"bulk-{job.pk}") as pool:

        def fill() -> float:
            """Claim and send rows until ``concurrency`` are in flight. Returns the seconds the
            budget asks to wait before the next one (0 when none is waiting)."""
            while queue and len(in_flight) < job.concurrency:
                wait_for = budget_try()
                if wait_for > 0:
                    return wait_for
                row = queue.pop(0)
                write = _claim(job, row, run_by)
                if write is not None:
                    in_flight[pool.submit(_send, write)] = (row, write)
            return 0.0

        wait_for = fill()
        while queue or in_flight:
            if not in_flight:
                budget_sleep(wait_for)
                wait_for = fill()
                continue
            done, _ = wait(in_flight, timeout=wait_for or HEARTBEAT_SECONDS, return_when=FIRST_COMPLETED)
            finished = [(*in_flight.pop(future), future.result()) for future in done]
            # The retry policy pauses every worker on a 429 before refilling: no burst of resends.
            again = {row.pk: isinstance(sent.error, StackOneRateLimited)
                     and budget_retry(sent.error, row.attempts) for row, _, sent in finished}
            wait_for = fill()  # requests stay in flight while the outcomes are written
            for row, write, sent in finished:
                _finish(row, write, sent, again=again[row.pk])
                if again[row.pk]:
                    queue.insert(0, row)
            if on_progress and budget_monotonic() - reported >= PROGRESS_SECONDS:
                reported = budget_monotonic()
                on_progress(bulk_job_progress(job))
            if budget_monotonic() - beat > HEARTBEAT_SECONDS:
                beat = budget_monotonic()
                BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    if on_progress:
        on_progress(bulk_job_progress(job))
    job.status, job.finished_at = BulkJob.Status.DONE, timezone.now()
    job.heartbeat_at = job.finished_at
    job.save(update_fields=["status", "finished_at", "heartbeat_at"])
    return job


def _claim(job: BulkJob, row: BulkRow, run_by: tuple[Any, str]) -> CandidateWrite | None:
    """Persist pending → sending (atomically: another worker may hold the job) and open the
    write's audit row as ``run_by``, both before the request goes out. Returns None when the
    row is taken."""
    with transaction.atomic():
        if not BulkRow.objects.filter(pk=row.pk, status=S.PENDING).update(
                status=S.SENDING, attempts=row.attempts + 1, updated_at=timezone.now()):
            return None
        user, username = run_by
        write = write_open(user=user, username=username, account_id=job.account_id,
                           candidate_id=row.candidate_id, original=bulk_row_baseline(row), body=row.body,
                           source="bulk")
        row.status, row.attempts, row.audit_entry = S.SENDING, row.attempts + 1, write.entry
        BulkRow.objects.filter(pk=row.pk).update(audit_entry=write.entry)
    return write


def _finish(row: BulkRow, write: CandidateWrite, sent: WriteSent, *, again: bool) -> None:
    """Persist the row's outcome and complete its write. ``again``: a 429 the retry policy
    resends (StackOne rejected it before processing), so the row goes back to pending."""
    write_close(write, sent)
    if sent.result is not None:
        row.status, row.http_status = S.SAVED, sent.result.http_status
        row.message = sent.result.message or ""
        row.returned_id, row.returned_remote_id = sent.result.id or "", sent.result.remote_id or ""
    else:
        error = sent.error
        assert error is not None
        row.http_status, row.message = error.status_code, error_row_text(error)
        if again:
            row.status = S.PENDING
        else:
            row.status = S.UNKNOWN if error.may_have_applied else S.FAILED
    row.save(update_fields=["status", "http_status", "message", "returned_id", "returned_remote_id",
                            "updated_at"])


# -- background tasks -------------------------------------------------------------------------


@task()
def bulk_preview_task(job_id: int) -> None:
    """Background: read current values and compute each row's diff."""
    bulk_preview_run(job_id=job_id)


@task()
def bulk_run_task(job_id: int) -> None:
    """Background: send the job's pending rows."""
    bulk_job_run(job_id=job_id)


def bulk_enqueue(job_task: Any, job_id: int) -> None:
    """Queue ``job_task`` for the job once the current transaction commits."""
    transaction.on_commit(lambda: job_task.enqueue(job_id))
    inprocess_worker_ensure()
