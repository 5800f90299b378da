"""Keeping the directory in step with StackOne: full and incremental syncs, run in this thread.
(Queueing them: ``queue``; the refresh after a write: ``refresh``; what pages show: ``status``;
purge and retention: ``retention``.)

A sync pages through ``GET /unified/ats/candidates`` (``STACKONE_SYNC_PAGE_SIZE`` a page, only
the fields the directory keeps), one call at a time from the shared StackOne budget. Each page's
rows are upserted and the run's cursor saved in one transaction, so a run that stops (a crash,
a restart, a StackOne error) resumes at the page after the last one stored: no page is fetched
twice. A full sync marks every row it lists with its run id and,
when it completes, removes the account's rows it did not list. An incremental sync asks for
``filter[updated_after]`` = the start of the last completed sync minus
``DIRECTORY_SYNC_SKEW_SECONDS``. See docs/user/directory.md.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextvars import copy_context
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from candidates.budget import budget_background, budget_call
from candidates.directory.entries import SYNC_FIELDS, entries_upsert
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.runs import ACTIVE, HEARTBEAT_SECONDS, S, run_new, run_resumable, run_stale_before
from candidates.directory.signals import account_pruned
from candidates.directory.status import SyncProgress, sync_progress
from candidates.directory.storage import directory_storage_compact
from candidates.exceptions import StackOneError
from candidates.stackone import stackone_client
from candidates.types import CandidatePage
from candidates.worker_process import worker_stopping

logger = logging.getLogger(__name__)


class DirectoryOff(Exception):
    """``CANDIDATE_DIRECTORY`` is off: nothing is synced."""


class DirectorySyncBusy(Exception):
    """Another worker is running this account's sync right now."""


class DirectorySyncStopped(Exception):
    """This worker is stopping (SIGTERM): the run, queued again, resumes at its next page."""


class DirectorySyncTakenOver(DirectorySyncBusy):
    """This worker stalled so long that another took its run over: it stops."""


class DirectorySyncCancelled(DirectorySyncTakenOver):
    """The run was cancelled (the account's directory was purged while it ran): it stops."""


@dataclass(frozen=True)
class SyncResult:
    """What one call of ``directory_sync`` did (a resumed run counts its earlier pages too)."""

    account_id: str
    run_id: int
    full: bool
    resumed: bool
    pages: int
    fetched: int
    removed: int
    indexed: int
    seconds: float




def directory_sync(*, account_id: str, full: bool = False,
                   on_progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
    """Sync ``account_id`` in this thread: resume its unfinished run, else start one (full when
    asked or when no full sync has completed yet). Returns what was done.

    Raises DirectoryOff, DirectorySyncBusy (another worker runs it), DirectorySyncStopped (this
    worker is stopping: the run is queued again after the page it stored last) and StackOneError
    subclasses (the run is then "failed" with its error and cursor kept, to resume).
    """
    if not settings.CANDIDATE_DIRECTORY:
        raise DirectoryOff("The candidate directory is off (CANDIDATE_DIRECTORY=off)")
    started = time.monotonic()
    try:
        run, resumed = _run_claim(account_id, full)
    except IntegrityError as error:  # another worker created the account's run at the same moment
        raise DirectorySyncBusy(f"A sync of {account_id} is already running") from error
    try:
        with budget_background():  # every call of a sync is background work, wherever it runs
            _run_pages(run, on_progress)
    except DirectorySyncTakenOver:
        raise  # the run is the other worker's now: leave it as it is
    except DirectorySyncStopped:
        DirectorySync.objects.filter(pk=run.pk, worker=run.worker).update(status=S.QUEUED,
                                                                          heartbeat_at=timezone.now())
        raise
    except Exception as error:
        message = _error_text(error)
        DirectorySync.objects.filter(pk=run.pk, worker=run.worker).update(
            status=S.FAILED, error=message[:2000], heartbeat_at=timezone.now())
        logger.warning("directory sync %s of %s failed: %s", run.pk, account_id,
                       error.log_text if isinstance(error, StackOneError) else message)
        raise
    return SyncResult(account_id=account_id, run_id=run.pk, full=run.full, resumed=resumed, pages=run.pages,
                      fetched=run.fetched, removed=run.removed,
                      indexed=DirectoryEntry.objects.filter(account_id=account_id).count(),
                      seconds=round(time.monotonic() - started, 3))


def _run_claim(account_id: str, full: bool) -> tuple[DirectorySync, bool]:
    """Return the run to work on, now ``running`` and owned by this caller, and whether it
    resumes earlier work. Raises DirectorySyncBusy."""
    now = timezone.now()
    stale = run_stale_before(now)
    with transaction.atomic():
        run = DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).first()
        if run is None:  # resume where a failed run stopped, else start one
            run = run_resumable(account_id, full=full) or run_new(account_id, full=full)
        elif run.status == S.RUNNING and run.heartbeat_at and run.heartbeat_at > stale:
            raise DirectorySyncBusy(f"A sync of {account_id} is already running (run {run.pk})")
        if full and not run.full:  # asked for a full sync: an unfinished incremental becomes one
            run.full, run.cursor, run.updated_after = True, "", None
        resumed = bool(run.pages)
        claimed = DirectorySync.objects.filter(
            Q(status__in=[S.QUEUED, S.FAILED]) | Q(status=S.RUNNING, heartbeat_at__lte=stale)
            | Q(status=S.RUNNING, heartbeat_at__isnull=True), pk=run.pk,
        ).update(status=S.RUNNING, heartbeat_at=now, started_at=run.started_at or now, error="",
                 full=run.full, cursor=run.cursor, updated_after=run.updated_after, worker=uuid.uuid4().hex)
        if not claimed:
            raise DirectorySyncBusy(f"A sync of {account_id} is already running (run {run.pk})")
    run.refresh_from_db()
    return run, resumed



def _run_pages(run: DirectorySync, on_progress: Callable[[SyncProgress], None] | None) -> None:
    """Fetch and store pages from the run's cursor to the last one, then complete the run.

    The next page is requested (on a helper thread, which touches no database) while this
    one is stored: a page costs one round trip, not a round trip plus the store. Raises
    DirectorySyncTakenOver when another worker took the run over (nothing of this page kept)."""
    if run.pages == 0 or run.cursor:
        updated_after = (run.updated_after.replace(microsecond=0).isoformat().replace("+00:00", "Z")
                         if run.updated_after else None)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"directory-sync-{run.pk}") as pool:
            # In a copy of this context: the page's log lines keep the request id.
            ahead = pool.submit(copy_context().run, _page_read, run.account_id, run.cursor, updated_after)
            while True:
                page = _page_wait(run, ahead)
                if page.next_cursor:
                    ahead = pool.submit(copy_context().run, _page_read, run.account_id, page.next_cursor,
                                        updated_after)
                with transaction.atomic():
                    entries_upsert(run.account_id, page.items, sync_run=run.pk if run.full else None)
                    run.cursor = page.next_cursor or ""
                    run.pages += 1
                    run.fetched += len(page.items)
                    _run_save(run, cursor=run.cursor, pages=run.pages, fetched=run.fetched)
                if on_progress:
                    on_progress(sync_progress(run))
                if not page.next_cursor:
                    break
                if worker_stopping():
                    raise DirectorySyncStopped(f"Sync run {run.pk} stopped after page {run.pages}")
    with transaction.atomic():
        if run.full:  # what StackOne no longer lists leaves the directory (not rows a write
            # refreshed while the sync ran: they were read from or written to StackOne since)
            run.removed, _ = DirectoryEntry.objects.filter(account_id=run.account_id).exclude(
                sync_run=run.pk).exclude(indexed_at__gte=run.started_at).delete()
            account_pruned.send(sender=None, account_id=run.account_id)
            if run.removed:  # their text overwritten on disk too, once this commits
                transaction.on_commit(directory_storage_compact)
        run.status, run.finished_at, run.error = S.DONE, timezone.now(), ""
        _run_save(run, removed=run.removed, status=S.DONE, finished_at=run.finished_at, error="")


def _page_wait(run: DirectorySync, ahead: Future[CandidatePage]) -> CandidatePage:
    """Return the page being read, keeping the run's heartbeat fresh while it takes long (a
    budget wait, StackOne's retries), so no other worker takes over a live run."""
    while True:
        try:
            return ahead.result(timeout=HEARTBEAT_SECONDS)
        except FutureTimeout:
            _run_save(run)


def _run_save(run: DirectorySync, **values: Any) -> None:
    """Save ``values`` and a fresh heartbeat on the run, if this worker still owns it. Raises
    DirectorySyncCancelled when the run was cancelled or deleted (a purge), DirectorySyncTakenOver
    when another worker runs it now (inside a transaction: what it wrote is rolled back)."""
    run.heartbeat_at = timezone.now()
    if not DirectorySync.objects.filter(pk=run.pk, worker=run.worker).update(heartbeat_at=run.heartbeat_at,
                                                                              **values):
        if not DirectorySync.objects.filter(pk=run.pk, status=S.RUNNING).exists():
            raise DirectorySyncCancelled(f"Sync run {run.pk} of {run.account_id} was cancelled: the "
                                         "account's directory was purged while it ran")
        raise DirectorySyncTakenOver(f"Sync run {run.pk} was taken over by another worker")


def _page_read(account_id: str, cursor: str, updated_after: str | None) -> CandidatePage:
    """Return the page at ``cursor`` ('' = the first), one call from the shared budget each
    try, under the background's one retry policy (a 429 pauses every worker; a 429, 5xx or no answer is
    tried again). Raises StackOneError subclasses."""
    client = stackone_client(bulk=True)
    return budget_call(lambda: client.candidate_list(
        account_id=account_id, page_size=settings.STACKONE_SYNC_PAGE_SIZE, cursor=cursor or None,
        updated_after=updated_after, fields=SYNC_FIELDS), retry_unavailable=True)



def _error_text(error: BaseException) -> str:
    if isinstance(error, StackOneError):
        status = f" ({error.status_code})" if error.status_code else ""
        return f"StackOne: {error.message}{status}"
    return f"Unexpected error: {type(error).__name__}"
