"""The directory of an account as pages show it: rows indexed, the last completed sync, a
running sync's progress, the last error, and until when retention keeps an inactive account's
rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from candidates.directory.actions import directory_actions_latest
from candidates.directory.models import DirectoryAction, DirectoryEntry, DirectorySync
from candidates.directory.runs import ACTIVE, S, run_alive


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
    def estimated(self) -> bool:
        """Return True when the total is known (a full sync after a first one) and still holds
        (the account has not outgrown it: then the total is unknown again)."""
        return bool(self.full and self.expected and self.fetched <= self.expected)

    @property
    def percent(self) -> int | None:
        """Percent done when the total is known, else None (the bar then shows activity only)."""
        if not self.estimated or not self.expected:
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
    # Who last asked for a sync (Sync now, Full sync) and for a purge, newest first.
    actions: tuple[DirectoryAction, ...] = ()


def sync_progress(run: DirectorySync) -> SyncProgress:
    """Return ``run``'s progress: pages and rows so far, the expected total and time left
    (a full sync after a first one), and whether its worker stopped reporting."""
    now = timezone.now()
    eta = None
    if (run.full and run.expected and 0 < run.fetched <= run.expected and run.started_at
            and run.status == S.RUNNING):
        elapsed = (now - run.started_at).total_seconds()
        eta = round(max(run.expected - run.fetched, 0) * elapsed / run.fetched, 1)
    return SyncProgress(run_id=run.pk, full=run.full, status=run.status, pages=run.pages, fetched=run.fetched,
                        expected=run.expected, eta_seconds=eta,
                        stale=run.status == S.RUNNING and not run_alive(run, now))


def directory_ready(account_id: str) -> bool:
    """Return True when a full sync of the account has completed (search can be trusted)."""
    return DirectorySync.objects.filter(account_id=account_id, full=True, status=S.DONE).exists()


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
        running=sync_progress(run) if run else None,
        last_error=latest.error if latest is not None and latest.status == S.FAILED else "",
        ready=runs.filter(full=True, status=S.DONE).exists(),
        inactive=active is False,
        kept_until=directory_kept_until(account_id) if active is False else None,
        actions=directory_actions_latest(account_id=account_id),
    )


def directory_last_touched(account_id: str) -> datetime | None:
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
    last = directory_last_touched(account_id)
    return last + timedelta(days=settings.DIRECTORY_RETENTION_DAYS) if last is not None else None
