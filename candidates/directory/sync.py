"""Keeping the directory in step with StackOne: full and incremental syncs, the refresh after a
write, removal after a 404, the status pages show, purge and retention.

A sync pages through ``GET /unified/ats/candidates`` (``STACKONE_SYNC_PAGE_SIZE`` a page, only
the fields the directory keeps), one call at a time from the shared StackOne budget of bulk
jobs. Each page's rows are upserted and the run's cursor saved in one transaction, so a run
that stops (a crash, a restart, a StackOne error) resumes at the page after the last one
stored: no page is fetched twice. A full sync marks every row it lists with its run id and,
when it completes, removes the account's rows it did not list. An incremental sync asks for
``filter[updated_after]`` = the start of the last completed sync minus
``DIRECTORY_SYNC_SKEW_SECONDS``. See README "Candidate directory".
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from candidates.bulk.rate_limit import budget_call
from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.search import directory_words_forget
from candidates.exceptions import StackOneError
from candidates.health.store import health_forget, health_index, health_prune
from candidates.stackone import stackone_client
from candidates.types import Candidate, CandidatePage, CustomFieldDefinition

logger = logging.getLogger(__name__)

# What a sync asks StackOne for (``fields=``): exactly what ``index.entry_fields`` reads.
SYNC_FIELDS = ("id", "remote_id", "name", "first_name", "last_name", "email", "emails", "phone",
               "phone_numbers", "company", "title", "country", "created_at", "updated_at",
               # Read for the data-health checks only (social links, custom field types); the
               # directory row keeps none of them.
               "social_links", "custom_fields")
ENTRY_COLUMNS = ("remote_id", "name", "first_name", "last_name", "email", "emails", "phones", "company",
                 "title", "country", "remote_created_at", "remote_updated_at", "search_text", "name_text",
                 "indexed_at")
STALE_AFTER_SECONDS = 120  # a running sync without a heartbeat this long is taken over
HEARTBEAT_SECONDS = 20.0  # a live sync reports at least this often, even while a page is slow
S = DirectorySync.Status
ACTIVE = (S.QUEUED, S.RUNNING)


class DirectoryOff(Exception):
    """``CANDIDATE_DIRECTORY`` is off: nothing is synced."""


class DirectorySyncBusy(Exception):
    """Another worker is running this account's sync right now."""


class DirectorySyncTakenOver(DirectorySyncBusy):
    """This worker stalled so long that another took its run over: it stops."""


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


@dataclass(frozen=True)
class SyncProgress:
    """A running (or queued) sync, for the progress bar."""

    run_id: int
    full: bool
    status: str
    pages: int
    fetched: int
    expected: int | None
    eta_seconds: float | None
    stale: bool

    @property
    def percent(self) -> int | None:
        """Percent done when the total is known (a full sync after a first one), else None."""
        if not self.full or not self.expected:
            return None
        return min(99, int(100 * self.fetched / self.expected))


@dataclass(frozen=True)
class DirectoryStatus:
    """The directory of one account as the accounts page and the list show it."""

    account_id: str
    enabled: bool
    indexed: int
    last_sync_at: datetime | None
    running: SyncProgress | None
    last_error: str
    ready: bool
    # The account is not active in StackOne: it cannot be synced, and retention purges its rows
    # on ``kept_until`` (None: no rows kept, or at the next purge).
    inactive: bool = False
    kept_until: datetime | None = None


# -- syncing ------------------------------------------------------------------------------------


def directory_sync(*, account_id: str, full: bool = False,
                   on_progress: Callable[[SyncProgress], None] | None = None) -> SyncResult:
    """Sync ``account_id`` in this thread: resume its unfinished run, else start one (full when
    asked or when no full sync has completed yet). Returns what was done.

    Raises DirectoryOff, DirectorySyncBusy (another worker runs it), and StackOneError
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
        _run_pages(run, on_progress)
    except DirectorySyncTakenOver:
        raise  # the run is the other worker's now: leave it as it is
    except Exception as error:
        message = _error_text(error)
        DirectorySync.objects.filter(pk=run.pk, worker=run.worker).update(
            status=S.FAILED, error=message[:2000], heartbeat_at=timezone.now())
        logger.warning("directory sync %s of %s failed: %s", run.pk, account_id, message)
        raise
    return SyncResult(account_id=account_id, run_id=run.pk, full=run.full, resumed=resumed, pages=run.pages,
                      fetched=run.fetched, removed=run.removed,
                      indexed=DirectoryEntry.objects.filter(account_id=account_id).count(),
                      seconds=round(time.monotonic() - started, 3))


def _run_claim(account_id: str, full: bool) -> tuple[DirectorySync, bool]:
    """Return the run to work on, now ``running`` and owned by this caller, and whether it
    resumes earlier work. Raises DirectorySyncBusy."""
    now = timezone.now()
    stale = now - timedelta(seconds=STALE_AFTER_SECONDS)
    with transaction.atomic():
        run = DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).first()
        if run is None:
            latest = DirectorySync.objects.filter(account_id=account_id).order_by("-pk").first()
            if latest is not None and latest.status == S.FAILED and (latest.full or not full):
                run = latest  # resume where the failed run stopped
            else:
                run = _run_new(account_id, full=full)
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


def _run_new(account_id: str, *, full: bool, status: str = S.RUNNING) -> DirectorySync:
    """Create a run: full when asked or when the account has no completed full sync; an
    incremental one asks for what changed since the last completed sync started, minus skew."""
    done = DirectorySync.objects.filter(account_id=account_id, status=S.DONE)
    last = done.order_by("-started_at").first()
    full = full or not done.filter(full=True).exists()
    updated_after = None
    if not full and last is not None and last.started_at is not None:
        updated_after = last.started_at - timedelta(seconds=settings.DIRECTORY_SYNC_SKEW_SECONDS)
    expected = DirectoryEntry.objects.filter(account_id=account_id).count() if full else None
    return DirectorySync.objects.create(account_id=account_id, full=full, status=status,
                                        updated_after=updated_after, expected=expected or None)


def _run_pages(run: DirectorySync, on_progress: Callable[[SyncProgress], None] | None) -> None:
    """Fetch and store pages from the run's cursor to the last one, then complete the run.

    The next page is requested (on a helper thread, which touches no database) while this
    one is stored: a page costs one round trip, not a round trip plus the store. Raises
    DirectorySyncTakenOver when another worker took the run over (nothing of this page kept)."""
    if run.pages == 0 or run.cursor:
        updated_after = (run.updated_after.replace(microsecond=0).isoformat().replace("+00:00", "Z")
                         if run.updated_after else None)
        definitions = _definitions(run.account_id)  # for the data-health checks, once a run
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"directory-sync-{run.pk}") as pool:
            ahead = pool.submit(_page_read, run.account_id, run.cursor, updated_after)
            while True:
                page = _page_wait(run, ahead)
                if page.next_cursor:
                    ahead = pool.submit(_page_read, run.account_id, page.next_cursor, updated_after)
                with transaction.atomic():
                    _entries_upsert(run.account_id, page.items, sync_run=run.pk if run.full else None,
                                    definitions=definitions)
                    run.cursor = page.next_cursor or ""
                    run.pages += 1
                    run.fetched += len(page.items)
                    _run_save(run, cursor=run.cursor, pages=run.pages, fetched=run.fetched)
                if on_progress:
                    on_progress(_progress(run))
                if not page.next_cursor:
                    break
    with transaction.atomic():
        if run.full:  # what StackOne no longer lists leaves the directory (not rows a write
            # refreshed while the sync ran: they were read from or written to StackOne since)
            run.removed, _ = DirectoryEntry.objects.filter(account_id=run.account_id).exclude(
                sync_run=run.pk).exclude(indexed_at__gte=run.started_at).delete()
            health_prune(account_id=run.account_id)
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
    DirectorySyncTakenOver otherwise (inside a transaction: what it wrote is rolled back)."""
    run.heartbeat_at = timezone.now()
    if not DirectorySync.objects.filter(pk=run.pk, worker=run.worker).update(heartbeat_at=run.heartbeat_at,
                                                                              **values):
        raise DirectorySyncTakenOver(f"Sync run {run.pk} was taken over by another worker")


def _page_read(account_id: str, cursor: str, updated_after: str | None) -> CandidatePage:
    """Return the page at ``cursor`` ('' = the first), one call from the shared budget each
    try, under bulk's one retry policy (a 429 pauses every worker; a 429, 5xx or no answer is
    tried again). Raises StackOneError subclasses."""
    client = stackone_client(bulk=True)
    return budget_call(lambda: client.candidate_list(
        account_id=account_id, page_size=settings.STACKONE_SYNC_PAGE_SIZE, cursor=cursor or None,
        updated_after=updated_after, fields=SYNC_FIELDS), retry_unavailable=True)


def _entries_upsert(account_id: str, candidates: Iterable[Candidate], *, sync_run: int | None,
                    definitions: list[CustomFieldDefinition] | None) -> int:
    """Insert or update the rows of ``candidates`` in one statement per batch, and recompute
    their data-health findings (``definitions``: for the custom-field check; None keeps its
    findings). ``sync_run`` marks them as listed by that full sync (None leaves existing marks
    alone). Returns the count."""
    candidates = list(candidates)
    now = timezone.now()
    rows = {}
    for candidate in candidates:
        if candidate.id:
            rows[candidate.id] = DirectoryEntry(
                account_id=account_id, candidate_id=candidate.id, indexed_at=now, sync_run=sync_run or 0,
                **entry_fields(candidate))
    if not rows:
        return 0
    columns = [*ENTRY_COLUMNS, "sync_run"] if sync_run is not None else list(ENTRY_COLUMNS)
    DirectoryEntry.objects.bulk_create(list(rows.values()), batch_size=500, update_conflicts=True,
                                       unique_fields=["account_id", "candidate_id"], update_fields=columns)
    # The same candidates' data-health findings, recomputed from what was just read or written.
    health_index(account_id=account_id, candidates=[c for c in candidates if c.id in rows],
                 definitions=definitions)
    return len(rows)


def _definitions(account_id: str) -> list[CustomFieldDefinition] | None:
    """The account's custom field definitions for the custom-field check (cached five minutes);
    None when StackOne cannot say, so that check's findings are kept rather than cleared."""
    from candidates import services  # services imports this module

    return services.custom_field_definitions(account_id=account_id) or None


def _error_text(error: BaseException) -> str:
    if isinstance(error, StackOneError):
        status = f" ({error.status_code})" if error.status_code else ""
        return f"StackOne: {error.message}{status}"
    return f"Unexpected error: {type(error).__name__}"


# -- starting in the background ------------------------------------------------------------------


def directory_sync_start(*, account_id: str, full: bool = False) -> None:
    """Queue a sync of the account on the task framework, unless one is queued or running
    (idempotent; a run whose worker died is queued again, to resume). Nothing when the
    directory is off."""
    if not settings.CANDIDATE_DIRECTORY:
        return
    from candidates.bulk.jobs import inprocess_worker_ensure
    from candidates.directory.tasks import directory_sync_task

    stale = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS)
    active = DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).first()
    if active is not None and not (active.status == S.RUNNING and (
            active.heartbeat_at is None or active.heartbeat_at <= stale)):
        return
    if active is None:
        latest = DirectorySync.objects.filter(account_id=account_id).order_by("-pk").first()
        try:
            with transaction.atomic():
                if latest is not None and latest.status == S.FAILED and (latest.full or not full):
                    failed = DirectorySync.objects.filter(pk=latest.pk, status=S.FAILED)
                    if not failed.update(status=S.QUEUED):
                        return
                else:
                    _run_new(account_id, full=full, status=S.QUEUED)
        except IntegrityError:  # another request queued one at the same moment
            return
    transaction.on_commit(lambda: directory_sync_task.enqueue(account_id, full))
    inprocess_worker_ensure()


def directory_ensure(*, account_id: str) -> None:
    """The first visit to an account without a directory starts its (full) sync; any visit
    makes sure the embedded worker (and its periodic sync) runs."""
    if not settings.CANDIDATE_DIRECTORY:
        return
    from candidates.bulk.jobs import inprocess_worker_ensure

    inprocess_worker_ensure()
    if not directory_ready(account_id):
        directory_sync_start(account_id=account_id)


def directory_ready(account_id: str) -> bool:
    """Return True when a full sync of the account has completed (search can be trusted)."""
    return DirectorySync.objects.filter(account_id=account_id, full=True, status=S.DONE).exists()


# -- status ---------------------------------------------------------------------------------


def _progress(run: DirectorySync) -> SyncProgress:
    now = timezone.now()
    eta = None
    if run.full and run.expected and run.fetched and run.started_at and run.status == S.RUNNING:
        elapsed = (now - run.started_at).total_seconds()
        eta = round(max(run.expected - run.fetched, 0) * elapsed / run.fetched, 1)
    stale = run.status == S.RUNNING and (
        run.heartbeat_at is None or (now - run.heartbeat_at).total_seconds() > STALE_AFTER_SECONDS)
    return SyncProgress(run_id=run.pk, full=run.full, status=run.status, pages=run.pages, fetched=run.fetched,
                        expected=run.expected, eta_seconds=eta, stale=stale)


def directory_status(*, account_id: str, active: bool | None = None) -> DirectoryStatus:
    """Return the account's directory state: rows indexed, the last completed sync, a queued
    or running sync's progress, the last run's error and whether a full sync completed.
    ``active`` False (the account is not active in StackOne): it says so, and until when
    retention keeps the rows."""
    runs = DirectorySync.objects.filter(account_id=account_id)
    last_done = runs.filter(status=S.DONE).order_by("-finished_at").first()
    run = runs.filter(status__in=ACTIVE).first()
    latest = runs.order_by("-pk").first()
    return DirectoryStatus(
        account_id=account_id, enabled=settings.CANDIDATE_DIRECTORY,
        indexed=DirectoryEntry.objects.filter(account_id=account_id).count(),
        last_sync_at=last_done.finished_at if last_done else None,
        running=_progress(run) if run else None,
        last_error=latest.error if latest is not None and latest.status == S.FAILED else "",
        ready=runs.filter(full=True, status=S.DONE).exists(),
        inactive=active is False,
        kept_until=directory_kept_until(account_id) if active is False else None,
    )


# -- writes ---------------------------------------------------------------------------------


def directory_refresh(*, account_id: str, candidate: Candidate) -> None:
    """Upsert the candidate's row from ``candidate`` (as StackOne holds it), in one statement.
    Nothing when off. (A full sync running meanwhile keeps the row: it was written after the
    sync started.)"""
    if not settings.CANDIDATE_DIRECTORY or not candidate.id:
        return
    _entries_upsert(account_id, [candidate], sync_run=None, definitions=_definitions(account_id))


def directory_usable(account_id: str, candidate_id: str = "") -> bool:
    """Return False for ids no directory row can hold: a NUL, which PostgreSQL text columns
    refuse (a hostile URL, never a linked account's or a candidate's id)."""
    return "\x00" not in account_id and "\x00" not in candidate_id


def directory_remove(*, account_id: str, candidate_id: str) -> None:
    """Delete the candidate's row and its data-health findings (StackOne answered 404 for it)."""
    if not directory_usable(account_id, candidate_id):
        return
    DirectoryEntry.objects.filter(account_id=account_id, candidate_id=candidate_id).delete()
    health_forget(account_id=account_id, candidate_ids=[candidate_id])


def directory_after_save(*, account_id: str, candidate_id: str, body: dict[str, Any],
                         read_back: Candidate | None = None, base: Any = None) -> None:
    """Refresh the row after a confirmed write, with no StackOne call: from ``read_back`` (the
    candidate read after the save) when there is one, else from ``body`` (what was sent)
    merged into ``base`` (the candidate read before: a ``Candidate`` or its JSON) or into
    the row. Never raises: the write has happened whatever the index does."""
    if not settings.CANDIDATE_DIRECTORY:
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's transaction usable
            if read_back is not None:
                directory_refresh(account_id=account_id, candidate=read_back)
                return
            if isinstance(base, Candidate):
                base = base.raw
            if not isinstance(base, dict) or not base:
                base = _entry_as_api(account_id, candidate_id)
            merged = {name: value for name, value in {**base, **body}.items() if name in SYNC_FIELDS}
            merged |= {"id": candidate_id, "updated_at": timezone.now().isoformat().replace("+00:00", "Z")}
            directory_refresh(account_id=account_id, candidate=Candidate.from_api(merged))
    except Exception:
        logger.exception("directory refresh failed for %s/%s", account_id, candidate_id)


def _entry_as_api(account_id: str, candidate_id: str) -> dict[str, Any]:
    """Return the stored row as a StackOne candidate body ({} when there is none)."""
    entry = DirectoryEntry.objects.filter(account_id=account_id, candidate_id=candidate_id).first()
    if entry is None:
        return {}
    return {
        "id": candidate_id, "remote_id": entry.remote_id or None, "name": entry.name or None,
        "first_name": entry.first_name or None, "last_name": entry.last_name or None,
        "email": entry.email or None,
        "emails": [{"value": value} for value in entry.emails.splitlines() if value],
        "phone_numbers": [{"phone": value} for value in entry.phones.splitlines() if value],
        "company": entry.company or None, "title": entry.title or None, "country": entry.country or None,
        "created_at": entry.remote_created_at.isoformat() if entry.remote_created_at else None,
    }


# -- purge and retention ------------------------------------------------------------------------


def directory_purge(*, account_id: str) -> int:
    """Delete the account's rows and sync runs (not a running one's: it stops on its own
    only when the account is gone). Returns the number of rows deleted."""
    with transaction.atomic():
        deleted, _ = DirectoryEntry.objects.filter(account_id=account_id).delete()
        DirectorySync.objects.filter(account_id=account_id).exclude(status__in=ACTIVE).delete()
        directory_words_forget(account_id=account_id)
        health_prune(account_id=account_id)
    return deleted


def _last_touched(account_id: str) -> datetime | None:
    """Return when the account's directory was last synced or written (None: never)."""
    touched = [DirectorySync.objects.filter(account_id=account_id).aggregate(at=Max("heartbeat_at"))["at"],
               DirectoryEntry.objects.filter(account_id=account_id).aggregate(at=Max("indexed_at"))["at"]]
    return max((when for when in touched if when is not None), default=None)


def directory_kept_until(account_id: str) -> datetime | None:
    """Return when retention purges the rows of an account that stopped being active
    (``DIRECTORY_RETENTION_DAYS`` after its last sync or write), None when it holds no rows
    or they go at the next purge."""
    if not DirectoryEntry.objects.filter(account_id=account_id).exists():
        return None
    last = _last_touched(account_id)
    return last + timedelta(days=settings.DIRECTORY_RETENTION_DAYS) if last is not None else None


def directory_retention_purge(*, active_account_ids: Iterable[str],
                              now: datetime | None = None) -> dict[str, int]:
    """Purge the rows of every account not in ``active_account_ids`` (inactive or no longer
    linked) not synced nor written for ``DIRECTORY_RETENTION_DAYS``: an account that stops
    being active stops syncing, so its rows go that long after. Returns {account id: rows deleted}."""
    active = set(active_account_ids)
    cutoff = (now or timezone.now()) - timedelta(days=settings.DIRECTORY_RETENTION_DAYS)
    purged = {}
    known = set(DirectoryEntry.objects.values_list("account_id", flat=True).distinct())
    for account_id in sorted(known - active):
        last = _last_touched(account_id)
        if DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).exists() or (
                last is not None and last > cutoff):
            continue
        purged[account_id] = directory_purge(account_id=account_id)
        logger.info("directory: purged %s rows of %s (not active, last synced %s)", purged[account_id],
                    account_id, last)
    return purged
