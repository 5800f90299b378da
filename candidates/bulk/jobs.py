"""Bulk jobs: creation (an upload is read by a background task), the row state machine, the
confirmation of removals, the run loop and the background tasks.

Row states: ``pending`` → ``checking`` (saved before the GET) → ``sending`` (saved before the
PATCH) → ``saved`` / ``failed`` / ``unknown`` (saved after it); a check may end the row instead:
``conflict`` (a field it writes changed since its baseline), ``invalid`` (the candidate is gone)
or ``failed`` (it could not be read: never sent blind). ``invalid``, ``no_change`` and
``not_sent`` (only changes the account's ATS does not accept) rows are never sent. A row is
claimed with conditional UPDATEs (pending → checking → sending), so two workers never check or
send the same row. When a job (re)starts, rows left in ``checking`` go back to pending (nothing
was sent; they are read again), rows left in ``sending`` by a worker that died become
``unknown`` and are shown as such, never re-sent; ``saved`` rows are never sent again.

Each row costs two StackOne calls: a GET right before its PATCH, then the PATCH. The body was
computed at the preview against the row's baseline (the fields it writes, as read then); the GET
checks those fields still hold their baseline (``preview.bulk_row_clashes``, the editor's own
conflict rule), so nothing changed since the preview is overwritten. Fields the row does not
write may have changed: the body holds only its own. The audit entry's "old" values come from
that GET; there is no read-back after the PATCH. See docs/user/bulk.md.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextvars import copy_context
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django_tasks import task

from candidates import services
from candidates.access import BULK_PERMISSION, access_require
from candidates.audit import audit_actor
from candidates.budget import (
    budget_monotonic,
    budget_pause,
    budget_pause_wait,
    budget_prepaid,
    budget_retry_allowed,
    budget_sleep,
    budget_try,
)
from candidates.bulk.csv_parse import CsvInvalid, ParsedCsv, bulk_csv_parse, has_custom_field_columns
from candidates.bulk.preview import (
    CONFLICT_SINCE_REVERTED,
    bulk_preview_run,
    bulk_row_clashes,
    candidate_read,
)
from candidates.editor.fields import FIELD_LABELS
from candidates.exceptions import (
    StackOneError,
    StackOneNotFound,
    StackOneRateLimited,
    StackOneUnavailable,
    error_details,
    error_row_text,
)
from candidates.models import BulkJob, BulkRow
from candidates.request_ids import request_id_bound, request_id_get
from candidates.stackone import stackone_client
from candidates.types import Candidate
from candidates.worker import inprocess_worker_ensure
from candidates.worker_process import worker_stopping
from candidates.writes import CandidateWrite, WriteSent, write_close, write_open, write_send

logger = logging.getLogger(__name__)
STALE_AFTER_SECONDS = BulkJob.STALE_AFTER_SECONDS
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
    conflict: int
    remaining: int
    no_change: int
    not_sent: int
    invalid: int
    previewed: int
    eta_seconds: float | None
    stale: bool
    parsed: int = 0  # rows read from the file so far (status parsing)
    file_lines: int = 0  # the file's lines after the header: about as many rows

    @property
    def done(self) -> int:
        return self.saved + self.failed + self.unknown + self.conflict

    @property
    def sendable(self) -> int:
        """Rows sent or to send: ``to_send`` less the conflicts (found by the check before the
        PATCH, or by a revert job's preview), never sent."""
        return self.to_send - self.conflict

    @property
    def percent(self) -> int:
        if self.status == BulkJob.Status.PARSING:
            return min(99, int(100 * self.parsed / self.file_lines)) if self.file_lines else 0
        if self.status == BulkJob.Status.PREVIEWING:
            return int(100 * self.previewed / self.total) if self.total else 100
        return int(100 * self.done / self.to_send) if self.to_send else 100

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "done": self.done, "percent": self.percent}


def bulk_job_create(*, user: Any, account_id: str, filename: str, parsed: ParsedCsv,
                    concurrency: int | None = None, dry_run: bool = False, from_file: bool = True) -> BulkJob:
    """Store a new job and its rows (invalid ones included, to be listed). Returns the job.
    ``dry_run``: a preview only, which can never be started; ``from_file`` False: its rows are not
    lines of a file (data health's), so no line numbers are shown."""
    user, username = audit_actor(user)
    with transaction.atomic():
        job = BulkJob.objects.create(
            user=user, username=username,
            account_id=account_id, filename=filename[:255],
            concurrency=concurrency or settings.BULK_CONCURRENCY, dry_run=dry_run, from_file=from_file,
        )
        _rows_create(job, parsed)
    return job


def _rows_create(job: BulkJob, parsed: ParsedCsv) -> None:
    BulkRow.objects.bulk_create([
        BulkRow(job=job, line=row.line, candidate_id=row.candidate_id[:255], values=row.values,
                errors=[error.as_dict() for error in row.errors],
                status=S.PENDING if row.is_valid else S.INVALID)
        for row in parsed.rows
    ], batch_size=500)


def bulk_job_upload(*, user: Any, account_id: str, filename: str, data: bytes) -> BulkJob:
    """Store an uploaded file as a new job and queue its reading (``bulk_parse_task``), so the
    request only stores it. Returns the job (status ``parsing``)."""
    user, username = audit_actor(user)
    job = BulkJob.objects.create(
        user=user, username=username, account_id=account_id, filename=filename[:255],
        concurrency=settings.BULK_CONCURRENCY, status=BulkJob.Status.PARSING, upload=data,
        file_lines=max(0, data.count(b"\n") + (not data.endswith(b"\n")) - 1), heartbeat_at=timezone.now())
    bulk_enqueue(bulk_parse_task, job.pk)
    return job


def bulk_parse_run(*, job_id: int) -> BulkJob:
    """Read a ``parsing`` job's file (the account's custom field definitions too, when a column
    names one), store its rows and run the preview. Returns the job: ``ready``, or
    ``unreadable`` with the reason in ``parse_error`` (no row stored). Never raises StackOne errors."""
    job = BulkJob.objects.get(pk=job_id)
    if job.status != BulkJob.Status.PARSING:
        return job
    data = bytes(job.upload or b"")

    def progress(rows: int, lines: int) -> None:
        BulkJob.objects.filter(pk=job.pk).update(parsed_rows=rows, heartbeat_at=timezone.now())

    try:
        definitions = services.custom_field_definitions(
            client=stackone_client(bulk=True), account_id=job.account_id, strict=True,
        ) if has_custom_field_columns(data) else []
        parsed = bulk_csv_parse(data, definitions=definitions, on_progress=progress,
                                account_id=job.account_id)
    except CsvInvalid as exc:
        return _unreadable(job, str(exc))
    except StackOneError as error:
        return _unreadable(job, "The account's custom field definitions could not be read from StackOne "
                                f"({error_details(error)}). Upload the file again in a moment.")
    with transaction.atomic():
        # A second reading (a Resume while this one was slow) stores nothing: the first to get
        # here stores the rows.
        if not BulkJob.objects.select_for_update().filter(pk=job.pk, status=BulkJob.Status.PARSING).exists():
            return BulkJob.objects.get(pk=job.pk)
        _rows_create(job, parsed)
        job.status, job.upload, job.parsed_rows = BulkJob.Status.PREVIEWING, None, len(parsed.rows)
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["status", "upload", "parsed_rows", "heartbeat_at"])
    return bulk_preview_run(job_id=job.pk)


def _unreadable(job: BulkJob, reason: str) -> BulkJob:
    job.status, job.parse_error, job.upload = BulkJob.Status.UNREADABLE, reason, None
    job.save(update_fields=["status", "parse_error", "upload"])
    return job


def bulk_job_retry(*, job: BulkJob, user: Any) -> BulkJob | None:
    """Return a new job holding only ``job``'s failed and unknown rows, its preview queued (a row
    whose write did land then shows as "no change"; a revert row still expects what the write it
    reverts sent); None when there is none (nothing stored)."""
    return _job_again(job, user, job.rows.filter(status__in=[S.FAILED, S.UNKNOWN]), keep_expected=True,
                      retry_of=job, reverts=job.reverts)


def bulk_job_review_conflicts(*, job: BulkJob, user: Any) -> BulkJob | None:
    """Return a new job holding ``job``'s conflict rows with their file values, its preview
    against the values StackOne holds now queued (a revert row keeps the write it reverts, not its
    old baseline: the person chooses, on the new preview, to set the value back over the newer
    one); None when there is none (nothing stored)."""
    return _job_again(job, user, job.rows.filter(status=S.CONFLICT), keep_expected=False,
                      conflicts_of=job, reverts=job.reverts)


def _job_again(job: BulkJob, user: Any, rows: Any, *, keep_expected: bool, **links: Any) -> BulkJob | None:
    """Store a new job for ``job``'s account with a copy of ``rows`` (their lines, ids, values and
    the write each reverts, not yet previewed; ``keep_expected``: with a revert row's baseline)
    and ``links`` to other jobs, and queue its preview. Returns it; None when ``rows`` is empty."""
    if not rows.exists():
        return None
    user, username = audit_actor(user)
    with transaction.atomic():
        again = BulkJob.objects.create(user=user, username=username, account_id=job.account_id,
                                       filename=job.filename, from_file=job.from_file,
                                       concurrency=job.concurrency, **links)
        BulkRow.objects.bulk_create([
            BulkRow(job=again, line=row.line, candidate_id=row.candidate_id, values=row.values,
                    reverts_entry_id=row.reverts_entry_id, expected=row.expected if keep_expected else None)
            for row in rows.order_by("line")
        ], batch_size=500)
        bulk_enqueue(bulk_preview_task, again.pk)
    return again


def bulk_job_progress(job: BulkJob) -> JobProgress:
    """Return the job's counts and an estimate of the time left."""
    counts = dict(job.rows.values_list("status").annotate(n=Count("id")).order_by())
    previewed = job.rows.exclude(status=S.PENDING, baseline__isnull=True).count()
    get = counts.get
    remaining = get(S.PENDING, 0) + get(S.CHECKING, 0) + get(S.SENDING, 0)
    done = get(S.SAVED, 0) + get(S.FAILED, 0) + get(S.UNKNOWN, 0) + get(S.CONFLICT, 0)
    eta = None
    if job.status == BulkJob.Status.RUNNING and job.started_at and done:
        elapsed = (timezone.now() - job.started_at).total_seconds()
        eta = round(remaining * elapsed / done, 1)
    stale = job.status in BulkJob.WORKING_STATUSES and (
        (timezone.now() - (job.heartbeat_at or job.created_at)).total_seconds() > STALE_AFTER_SECONDS)
    return JobProgress(
        status=job.status, total=sum(counts.values()), to_send=remaining + done, saved=get(S.SAVED, 0),
        failed=get(S.FAILED, 0), unknown=get(S.UNKNOWN, 0), conflict=get(S.CONFLICT, 0), remaining=remaining,
        no_change=get(S.NO_CHANGE, 0), not_sent=get(S.NOT_SENT, 0), invalid=get(S.INVALID, 0),
        previewed=previewed, eta_seconds=eta, stale=stale, parsed=job.parsed_rows, file_lines=job.file_lines,
    )


@dataclass(frozen=True)
class Removals:
    """What a job's rows to send would remove from list fields: ``rows`` rows remove ``entries``
    entries; ``items`` lists the first of them as (line, candidate id, field, entry)."""

    rows: int
    entries: int
    items: tuple[tuple[int, str, str, str], ...]


REMOVALS_LISTED = 500


def bulk_job_removals(job: BulkJob) -> Removals:
    """Return the list entries the job's pending rows would remove (to be confirmed before start)."""
    rows = job.rows.filter(status=S.PENDING, removed_count__gt=0)
    totals = rows.aggregate(rows=Count("id"), entries=Sum("removed_count"))
    items: list[tuple[int, str, str, str]] = []
    for line, candidate_id, removals in rows.order_by("line").values_list("line", "candidate_id", "removals"):
        items += [(line, candidate_id, FIELD_LABELS.get(str(item.get("field")), str(item.get("field"))),
                   str(item.get("entry", ""))) for item in removals if isinstance(item, dict)]
        if len(items) >= REMOVALS_LISTED:
            break
    return Removals(rows=totals["rows"] or 0, entries=totals["entries"] or 0,
                    items=tuple(items[:REMOVALS_LISTED]))


# -- running ------------------------------------------------------------------------------------


class StartRefused(Exception):
    """The job may not start as asked: a dry run, or removals not confirmed (the message says which)."""


def bulk_job_start(*, job: BulkJob, user: Any, username: str = "", removals_confirmed: bool = False) -> bool:
    """Queue a ``ready`` job's run as ``user`` (``username``: the name without a user, e.g. a
    command line's). Returns False when the job was not ready (nothing queued). Raises
    PermissionDenied unless ``user`` (None: the operator) is granted Ops on the job's account;
    StartRefused for a dry run, or when its rows remove list entries and ``removals_confirmed``
    is not set."""
    access_require(user, BULK_PERMISSION, job.account_id)
    bulk_job_start_check(job=job, removals_confirmed=removals_confirmed)
    user, username = audit_actor(user, username)
    if not BulkJob.objects.filter(pk=job.pk, status=BulkJob.Status.READY).update(
            status=BulkJob.Status.QUEUED, started_by=user, started_by_username=username):
        return False
    bulk_enqueue(bulk_run_task, job.pk)
    return True


def bulk_job_start_check(*, job: BulkJob, removals_confirmed: bool) -> None:
    """Raise StartRefused when ``job`` may not start: a dry run, or list entries its rows remove
    that were not confirmed (``removals_confirmed``: the checkbox, the CLI's --allow-removals)."""
    if job.dry_run:
        raise StartRefused("This job is a dry run from the command line: it can be looked at, never started. "
                           "Run the command without --dry-run, or upload the file here.")
    if not removals_confirmed:
        removals = bulk_job_removals(job)
        if removals.entries:
            raise StartRefused(f"Confirm the removals first: {removals_sentence(removals)}.")


def removals_sentence(removals: Removals) -> str:
    """Return "12 rows remove 31 entries" (singulars as needed)."""
    return (f"{removals.rows} row{'s' * (removals.rows != 1)} remove{'s' * (removals.rows == 1)} "
            f"{removals.entries} entr{'ies' if removals.entries != 1 else 'y'}")


def bulk_job_resume(*, job: BulkJob, user: Any) -> bool:
    """Queue again a job whose worker stopped reporting. A stopped run is resumed as ``user``
    (rows sent from now on are theirs); a stopped preview only reads. Returns False when the job
    is not stale (nothing queued). Raises PermissionDenied unless ``user`` (None: the operator) is
    granted Ops on the job's account."""
    access_require(user, BULK_PERMISSION, job.account_id)
    if not bulk_job_progress(job).stale:
        return False
    if job.status == BulkJob.Status.PARSING:
        bulk_enqueue(bulk_parse_task, job.pk)
        return True
    if job.status == BulkJob.Status.PREVIEWING:
        bulk_enqueue(bulk_preview_task, job.pk)
        return True
    user, username = audit_actor(user)
    BulkJob.objects.filter(pk=job.pk).update(resumed_by=user, resumed_by_username=username)
    bulk_enqueue(bulk_run_task, job.pk)
    return True


@dataclass(frozen=True)
class RowChecked:
    """The read right before a row's PATCH: the candidate as StackOne holds it now, or the error
    that left it unread (never both)."""

    current: Candidate | None = None
    error: StackOneError | None = None


def _check(account_id: str, candidate_id: str) -> RowChecked:
    """Pool thread: read the candidate within the budget, retrying 429s and 5xx per its policy
    (no database access)."""
    try:
        return RowChecked(current=candidate_read(account_id=account_id, candidate_id=candidate_id,
                                                 retry_unavailable=True))
    except StackOneError as error:
        return RowChecked(error=error)
    except Exception as exc:  # a bug must not leave the row "checking" for this run
        logger.exception("bulk check crashed for %s", candidate_id)
        return RowChecked(error=StackOneUnavailable(f"Unexpected error: {type(exc).__name__}"))


def _send(write: CandidateWrite) -> WriteSent:
    """Pool thread: one PATCH (no database access). A 429 pauses every worker at once, before
    this answer reaches the run loop: the other threads' checks wait it out too."""
    try:
        budget_pause_wait()  # its audit row was written since its budget was taken
        with budget_prepaid():  # taken by the run loop before the row was claimed
            sent = write_send(write, client=stackone_client(bulk=True))
    except Exception as exc:  # a bug must not leave the row "sending" forever
        logger.exception("bulk PATCH crashed for %s", write.candidate_id)
        return WriteSent(error=StackOneUnavailable(f"Unexpected error: {type(exc).__name__}"))
    if isinstance(sent.error, StackOneRateLimited):
        budget_pause(sent.error.retry_after)
    return sent


@dataclass(frozen=True)
class _Flight:
    """A request in flight for a row: its check (``write`` None) or its PATCH."""

    row: BulkRow
    write: CandidateWrite | None = None


def bulk_job_run(*, job_id: int, on_progress: Callable[[JobProgress], None] | None = None) -> BulkJob:
    """Check and send every pending row of the job, ``job.concurrency`` requests at a time, within
    the shared budget, as whoever started (or resumed) this run. StackOne errors are recorded per
    row, never raised.

    Returns the job: ``done``; or, when this worker is stopping (``worker_stopping``: SIGTERM),
    ``queued`` again once the requests in flight have finished, for another worker to go on; or,
    when another run took the job over meanwhile (its worker had stopped reporting, then came
    back), as that run keeps it: this one stops taking rows and leaves the job to it."""
    job = BulkJob.objects.get(pk=job_id)
    if job.status == BulkJob.Status.DONE:  # queued again after it ended (its worker died at the end)
        return job
    now = timezone.now()
    # A row left "checking" was only being read: nothing was sent, so it is simply checked again.
    job.rows.filter(status=S.CHECKING).update(status=S.PENDING, updated_at=now)
    job.rows.filter(status=S.SENDING).update(status=S.UNKNOWN, message=LOST_MESSAGE, updated_at=now)
    job.status, job.heartbeat_at, job.run_token = BulkJob.Status.RUNNING, now, uuid.uuid4().hex
    job.started_at = job.started_at or job.heartbeat_at
    job.save(update_fields=["status", "heartbeat_at", "started_at", "run_token"])
    with ThreadPoolExecutor(max_workers=job.concurrency, thread_name_prefix=f"bulk-{job.pk}") as pool:
        run = _Run(job, pool, on_progress)
        run.loop()
    if run.stopped == _TAKEN_OVER:
        return BulkJob.objects.get(pk=job.pk)
    if run.stopped == _STOPPING:
        return _hand_back(job)
    if on_progress:
        on_progress(bulk_job_progress(job))
    job.status, job.finished_at = BulkJob.Status.DONE, timezone.now()
    job.heartbeat_at = job.finished_at
    BulkJob.objects.filter(pk=job.pk, run_token=job.run_token).update(
        status=job.status, finished_at=job.finished_at, heartbeat_at=job.heartbeat_at)
    return job


_STOPPING, _TAKEN_OVER = "this worker is stopping", "another run took the job over"


def _hand_back(job: BulkJob) -> BulkJob:
    """Put a run this worker stops (SIGTERM) back on the queue, unless another run holds it now:
    rows checked but not sent go back to pending (nothing was sent). Returns the job."""
    now = timezone.now()
    with transaction.atomic():
        if BulkJob.objects.filter(pk=job.pk, run_token=job.run_token).update(
                status=BulkJob.Status.QUEUED, heartbeat_at=now, run_token=""):
            job.rows.filter(status=S.CHECKING).update(status=S.PENDING, updated_at=now)
            bulk_enqueue(bulk_run_task, job.pk)
            logger.info("bulk job %s handed back to the queue: this worker is stopping", job.pk)
    return BulkJob.objects.get(pk=job.pk)


class _Run:
    """One run of a job. A row goes pending → ``checking`` (its GET in a pool thread) → back here,
    where it is compared with its baseline → ``sending`` (its PATCH in a pool thread) → its
    outcome. Only this thread touches the database; a checked row's PATCH goes out before any
    new check, so the time between the read and the write stays short."""

    def __init__(self, job: BulkJob, pool: ThreadPoolExecutor,
                 on_progress: Callable[[JobProgress], None] | None) -> None:
        self.job, self.pool, self.on_progress = job, pool, on_progress
        self.run_by = job.run_by()
        self.queue: list[BulkRow] = list(job.rows.filter(status=S.PENDING).order_by("line"))
        self.checked: list[tuple[BulkRow, Candidate]] = []  # checked, waiting for the budget to send
        self.in_flight: dict[Future[Any], _Flight] = {}
        self.stopped = ""  # why this run takes no more rows (_STOPPING, _TAKEN_OVER), if it does not

    def loop(self) -> None:
        beat = reported = budget_monotonic()
        wait_for = self.fill()
        while self.in_flight or (not self.stopped and (self.queue or self.checked)):
            if worker_stopping() and not self.stopped:
                self.stopped = _STOPPING  # finish what is in flight, take nothing more
            if not self.in_flight:
                budget_sleep(wait_for)
                wait_for = self.fill()
                continue
            done, _ = wait(self.in_flight, timeout=wait_for or HEARTBEAT_SECONDS, return_when=FIRST_COMPLETED)
            finished = [(self.in_flight.pop(future), future.result()) for future in done]
            for flight, checked in finished:
                if flight.write is None:
                    self.on_checked(flight.row, checked)
            sent = [(flight.row, flight.write, outcome) for flight, outcome in finished if flight.write]
            # The retry policy: ``_send`` paused every worker on the 429 already (no burst of
            # resends); the row is tried again while it has tries left.
            again = {row.pk: isinstance(outcome.error, StackOneRateLimited)
                     and budget_retry_allowed(row.attempts) for row, _, outcome in sent}
            wait_for = self.fill()  # requests stay in flight while the outcomes are written
            for row, write, outcome in sent:
                _finish(row, write, outcome, again=again[row.pk])
                if again[row.pk]:
                    self.queue.insert(0, row)  # checked again before it is resent
            if self.on_progress and budget_monotonic() - reported >= PROGRESS_SECONDS:
                reported = budget_monotonic()
                self.on_progress(bulk_job_progress(self.job))
            if budget_monotonic() - beat > HEARTBEAT_SECONDS:
                beat = budget_monotonic()
                if not BulkJob.objects.filter(pk=self.job.pk, run_token=self.job.run_token).update(
                        heartbeat_at=timezone.now()):
                    self.stopped = _TAKEN_OVER

    def fill(self) -> float:
        """Send checked rows, then check pending ones, until ``concurrency`` requests are in
        flight (none once the run is stopping). Returns the seconds the budget asks to wait before
        the next PATCH (0 when none is waiting). A check takes its GET from the budget in its own
        thread."""
        while (not self.stopped and len(self.in_flight) < self.job.concurrency
               and (self.checked or self.queue)):
            if self.checked:
                wait_for = budget_try()
                if wait_for > 0:
                    return wait_for
                row, current = self.checked.pop(0)
                write = _claim(self.job, row, current, self.run_by)
                if write is not None:
                    # In a copy of this context: the PATCH's log lines keep the request id.
                    self.in_flight[self.pool.submit(copy_context().run, _send, write)] = _Flight(row, write)
                continue
            row = self.queue.pop(0)
            if BulkRow.objects.filter(pk=row.pk, status=S.PENDING).update(status=S.CHECKING,
                                                                           updated_at=timezone.now()):
                row.status = S.CHECKING
                future = self.pool.submit(copy_context().run, _check, self.job.account_id, row.candidate_id)
                self.in_flight[future] = _Flight(row)
        return 0.0

    def on_checked(self, row: BulkRow, checked: RowChecked) -> None:
        """Queue a checked row for its PATCH, or persist why it is not sent: gone (invalid), not
        read (failed: never sent blind) or changed since its baseline (conflict)."""
        if checked.current is not None:
            row.conflicts = bulk_row_clashes(row, checked.current)
            if not row.conflicts:
                self.checked.append((row, checked.current))
                return
            row.status = S.CONFLICT
            row.message = CONFLICT_SINCE_REVERTED if row.expected is not None else CONFLICT_SINCE_PREVIEW
        elif isinstance(checked.error, StackOneNotFound):
            row.status, row.http_status = S.INVALID, checked.error.status_code
            row.errors = [{"column": "id", "message": GONE_MESSAGE}]
        else:
            assert checked.error is not None
            row.status, row.http_status = S.FAILED, checked.error.status_code
            row.message = f"Not sent: the current values could not be read ({error_details(checked.error)})."
        BulkRow.objects.filter(pk=row.pk, status=S.CHECKING).update(
            status=row.status, http_status=row.http_status, message=row.message, errors=row.errors,
            conflicts=row.conflicts, updated_at=timezone.now())


CONFLICT_SINCE_PREVIEW = "Not sent: changed in StackOne since the preview."
GONE_MESSAGE = "No candidate with this id in this linked account any more (checked right before sending)."


def _claim(job: BulkJob, row: BulkRow, current: Candidate, run_by: tuple[Any, str]) -> CandidateWrite | None:
    """Persist checking → sending (atomically: another worker may hold the job) and open the
    write's audit row as ``run_by``, its old values as ``current`` (the read just made) holds
    them, both before the request goes out. Returns None when the row is taken."""
    with transaction.atomic():
        if not BulkRow.objects.filter(pk=row.pk, status=S.CHECKING).update(
                status=S.SENDING, attempts=row.attempts + 1, updated_at=timezone.now()):
            return None
        user, username = run_by
        write = write_open(user=user, username=username, account_id=job.account_id,
                           candidate_id=row.candidate_id, original=current, body=row.body,
                           source="bulk", reverts=row.reverts_entry_id)
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
def bulk_parse_task(job_id: int, request_id: str = "") -> None:
    """Background: read the uploaded file, then preview its rows (under the id of the request
    that queued it; the rest of the preview queued again when this worker stops meanwhile)."""
    with request_id_bound(request_id):
        _preview_hand_back(bulk_parse_run(job_id=job_id))


@task()
def bulk_preview_task(job_id: int, request_id: str = "") -> None:
    """Background: read current values and compute each row's diff (under the id of the request
    that queued it; the rest queued again when this worker stops meanwhile)."""
    with request_id_bound(request_id):
        _preview_hand_back(bulk_preview_run(job_id=job_id))


def _preview_hand_back(job: BulkJob) -> None:
    """Queue the rest of a preview this worker stopped (SIGTERM) for another worker."""
    if job.status == BulkJob.Status.PREVIEWING and worker_stopping():
        BulkJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
        bulk_enqueue(bulk_preview_task, job.pk)


@task()
def bulk_run_task(job_id: int, request_id: str = "") -> None:
    """Background: send the job's pending rows (under the id of the request that queued it)."""
    with request_id_bound(request_id):
        bulk_job_run(job_id=job_id)


def bulk_enqueue(job_task: Any, job_id: int) -> None:
    """Queue ``job_task`` for the job, with this request's id, once the current transaction commits."""
    request_id = request_id_get()
    transaction.on_commit(lambda: job_task.enqueue(job_id, request_id=request_id))
    inprocess_worker_ensure()
