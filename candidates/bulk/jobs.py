"""Bulk jobs: creation, the row state machine, the run loop and the background tasks.

Row states: ``pending`` → ``sending`` (saved before the PATCH) → ``saved`` / ``failed`` /
``unknown`` (saved after it); ``invalid`` and ``no_change`` rows are never sent. A row is
claimed with a conditional UPDATE (pending → sending), so two workers never send the same
row. When a job (re)starts, rows left in ``sending`` by a worker that died become ``unknown``
and are shown as such, never re-sent; ``saved`` rows are never sent again.

Each row costs one StackOne call: the PATCH. The preview's read is the baseline (the body
holds only the fields that differed then, and the audit entry's "old" values come from it);
no second GET before the PATCH and no read-back after it. See README "Bulk updates".
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_tasks import task

from candidates.audit import audit_failed, audit_saved, audit_start
from candidates.bulk.client import bulk_client
from candidates.bulk.csv_parse import ParsedCsv
from candidates.bulk.preview import bulk_preview_run
from candidates.bulk.rate_limit import budget_pause, budget_try
from candidates.directory.sync import directory_after_save
from candidates.exceptions import StackOneError, StackOneRateLimited, StackOneUnavailable
from candidates.models import AuditEntry, BulkJob, BulkRow
from candidates.types import Candidate, UpdateResult

logger = logging.getLogger(__name__)
MAX_RATE_LIMITED = 5  # a row answered 429 this many times is failed, not retried forever
STALE_AFTER_SECONDS = 60
HEARTBEAT_SECONDS = 2.0
LOST_MESSAGE = "The worker stopped while this row was being sent: it may or may not have been saved. Not re-sent."
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
    with transaction.atomic():
        job = BulkJob.objects.create(
            user=user if getattr(user, "pk", None) else None,
            username=getattr(user, "username", "") or "",
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
    with transaction.atomic():
        retry = BulkJob.objects.create(
            user=user if getattr(user, "pk", None) else None, username=getattr(user, "username", "") or "",
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
        no_change=get(S.NO_CHANGE, 0), invalid=get(S.INVALID, 0), previewed=previewed,
        eta_seconds=eta, stale=stale,
    )


# -- running ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sent:
    result: UpdateResult | None = None
    error: StackOneError | None = None


def _send(account_id: str, candidate_id: str, body: dict[str, Any]) -> _Sent:
    """The only work done in a pool thread: one PATCH (no database access)."""
    try:
        return _Sent(result=bulk_client().candidate_update(account_id=account_id, candidate_id=candidate_id,
                                                           body=body))
    except StackOneError as error:
        return _Sent(error=error)
    except Exception as exc:  # a bug must not leave the row "sending" forever
        logger.exception("bulk PATCH crashed for %s", candidate_id)
        return _Sent(error=StackOneUnavailable(f"Unexpected error: {type(exc).__name__}"))


def bulk_job_run(*, job_id: int, on_progress: Callable[[JobProgress], None] | None = None) -> BulkJob:
    """Send every pending row of the job, ``job.concurrency`` at a time, within the shared
    budget. Returns the finished job. StackOne errors are recorded per row, never raised."""
    job = BulkJob.objects.get(pk=job_id)
    job.rows.filter(status=S.SENDING).update(status=S.UNKNOWN, message=LOST_MESSAGE, updated_at=timezone.now())
    job.status, job.heartbeat_at = BulkJob.Status.RUNNING, timezone.now()
    job.started_at = job.started_at or job.heartbeat_at
    job.save(update_fields=["status", "heartbeat_at", "started_at"])
    queue = list(job.rows.filter(status=S.PENDING).order_by("line"))
    in_flight: dict[Future[_Sent], tuple[BulkRow, AuditEntry, float]] = {}
    beat = time.monotonic()
    with ThreadPoolExecutor(max_workers=job.concurrency, thread_name_prefix=f"bulk-{job.pk}") as pool:

        def fill() -> float:
            """Claim and send rows until ``concurrency`` are in flight. Returns the seconds the
            budget asks to wait before the next one (0 when none is waiting)."""
            while queue and len(in_flight) < job.concurrency:
                wait_for = budget_try()
                if wait_for > 0:
                    return wait_for
                row = queue.pop(0)
                claimed = _claim(job, row)
                if claimed is not None:
                    in_flight[pool.submit(_send, job.account_id, row.candidate_id, row.body)] = (row, *claimed)
            return 0.0

        wait_for = fill()
        while queue or in_flight:
            if not in_flight:
                time.sleep(min(wait_for, 1.0))
                wait_for = fill()
                continue
            done, _ = wait(in_flight, timeout=wait_for or HEARTBEAT_SECONDS, return_when=FIRST_COMPLETED)
            finished = [(*in_flight.pop(future), future.result()) for future in done]
            for *_, sent in finished:
                if isinstance(sent.error, StackOneRateLimited):
                    budget_pause(sent.error.retry_after)  # before refilling: no burst of resends
            wait_for = fill()  # requests stay in flight while the outcomes are written
            for row, entry, started_at, sent in finished:
                if _finish(row, entry, started_at, sent):
                    queue.insert(0, row)
                if on_progress:
                    on_progress(bulk_job_progress(job))
            if time.monotonic() - beat > HEARTBEAT_SECONDS:
                beat = time.monotonic()
                BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    job.status, job.finished_at = BulkJob.Status.DONE, timezone.now()
    job.heartbeat_at = job.finished_at
    job.save(update_fields=["status", "finished_at", "heartbeat_at"])
    return job


def _claim(job: BulkJob, row: BulkRow) -> tuple[AuditEntry, float] | None:
    """Persist pending → sending (atomically: another worker may hold the job) and write the
    audit row, both before the request goes out. Returns None when the row is taken."""
    with transaction.atomic():
        if not BulkRow.objects.filter(pk=row.pk, status=S.PENDING).update(
                status=S.SENDING, attempts=row.attempts + 1, updated_at=timezone.now()):
            return None
        original = Candidate.from_api(row.baseline or {"id": row.candidate_id})
        entry = audit_start(user=job.user, account_id=job.account_id, candidate_id=row.candidate_id,
                            original=original, body=row.body, source="bulk")
        if not entry.username:  # a command-line job: no user, its "cli:<login>" name
            entry.username = job.username
            entry.save(update_fields=["username"])
        row.status, row.attempts, row.audit_entry = S.SENDING, row.attempts + 1, entry
        BulkRow.objects.filter(pk=row.pk).update(audit_entry=entry)
    return entry, time.monotonic()


def _finish(row: BulkRow, entry: AuditEntry, started: float, sent: _Sent) -> bool:
    """Persist the row's outcome and complete its audit entry. Returns True to send it again
    (a 429: StackOne rejected it before processing, so resending is safe)."""
    again = False
    if sent.result is not None:
        audit_saved(entry, result=sent.result, warnings=[], started=started, others_changed=[])
        row.status, row.http_status = S.SAVED, sent.result.http_status
        row.message = sent.result.message or ""
        row.returned_id, row.returned_remote_id = sent.result.id or "", sent.result.remote_id or ""
        directory_after_save(account_id=entry.account_id, candidate_id=row.candidate_id, body=row.body,
                             base=row.baseline)
    else:
        error = sent.error
        assert error is not None
        audit_failed(entry, error=error, started=started)
        row.http_status, row.message = error.status_code, _error_text(error)
        if isinstance(error, StackOneRateLimited):
            budget_pause(error.retry_after)  # every worker waits: no burst of resends
            again = row.attempts < MAX_RATE_LIMITED
            row.status = S.PENDING if again else S.FAILED
        else:
            row.status = S.UNKNOWN if isinstance(error, StackOneUnavailable) else S.FAILED
    row.save(update_fields=["status", "http_status", "message", "returned_id", "returned_remote_id",
                            "updated_at"])
    return again


def _error_text(error: StackOneError) -> str:
    details = list(error.provider_messages) + [
        f"{e.field}: {e.message}" if e.field else e.message for e in error.field_errors]
    text = error.message + (f" ({'; '.join(details)})" if details else "")
    if isinstance(error, StackOneUnavailable):
        text += " — the outcome is unknown: it may or may not have been saved."
    return text


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


_worker_lock = threading.Lock()
_worker_thread: threading.Thread | None = None
_worker: Any = None


def inprocess_worker_ensure() -> None:
    """Start the embedded worker thread once (when BULK_INPROCESS_WORKER): the same loop as
    ``manage.py db_worker``, inside the web process, so the embedded default needs no setup."""
    global _worker_thread, _worker
    if not settings.BULK_INPROCESS_WORKER:
        return
    with _worker_lock:
        if _worker_thread is not None and _worker_thread.is_alive():
            return
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(queue_names=["default"], interval=0.5, batch=False, backend_name="default",
                        startup_delay=False, max_tasks=None, worker_id=f"inprocess-{threading.get_ident()}",
                        excluded_queue_names=[])
        _worker_thread = threading.Thread(target=worker.run, name="bulk-inprocess-worker", daemon=True)
        _worker = worker
        _worker_thread.start()
    from candidates.directory.tasks import directory_scheduler_ensure

    directory_scheduler_ensure()  # the directory's periodic incremental sync runs alongside


def inprocess_worker_stop(timeout: float = 30.0) -> None:
    """Stop the embedded worker after its current task (returns once it has stopped)."""
    global _worker_thread, _worker
    with _worker_lock:
        thread, worker = _worker_thread, _worker
        _worker_thread = _worker = None
    from candidates.directory.tasks import directory_scheduler_stop

    directory_scheduler_stop()
    if worker is not None:
        worker.running = False  # the loop checks this between tasks and after each sleep
    if thread is not None:
        thread.join(timeout)


def run_queued_tasks() -> None:
    """Run every queued task now, in this thread, with db_worker's own loop (``--batch``)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="batch", excluded_queue_names=[]).run()
