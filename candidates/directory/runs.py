"""The rules of a sync run (``DirectorySync``), shared by the engine that runs it and the queue
that starts it: which run an account works on next, when a running one counts as dead, and a
new run's kind (full, or incremental since the last completed one)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from candidates.directory.models import DirectorySync

STALE_AFTER_SECONDS = 120  # a running sync without a heartbeat this long is taken over
HEARTBEAT_SECONDS = 20.0  # a live sync reports at least this often, even while a page is slow
S = DirectorySync.Status
ACTIVE = (S.QUEUED, S.RUNNING)


def run_stale_before(now: datetime | None = None) -> datetime:
    """Return the heartbeat time before which a running run's worker counts as dead."""
    return (now or timezone.now()) - timedelta(seconds=STALE_AFTER_SECONDS)


def run_alive(run: DirectorySync, now: datetime | None = None) -> bool:
    """Return True when ``run`` is queued, or running with a fresh heartbeat."""
    if run.status == S.QUEUED:
        return True
    beat = run.heartbeat_at
    return run.status == S.RUNNING and beat is not None and beat > run_stale_before(now)


def run_resumable(account_id: str, *, full: bool) -> DirectorySync | None:
    """Return the account's failed run to resume instead of starting another: the latest run,
    when it failed and is full or a full sync was not asked for (an incremental run does not
    stand in for a full one). None otherwise."""
    latest = DirectorySync.objects.filter(account_id=account_id).order_by("-pk").first()
    if latest is not None and latest.status == S.FAILED and (latest.full or not full):
        return latest
    return None


def run_new(account_id: str, *, full: bool, status: str = S.RUNNING) -> DirectorySync:
    """Create a run: full when asked or when the account has no completed full sync; an
    incremental one asks for what changed since the last completed sync started, minus skew."""
    done = DirectorySync.objects.filter(account_id=account_id, status=S.DONE)
    last = done.order_by("-started_at").first()
    full = full or not done.filter(full=True).exists()
    updated_after = None
    if not full and last is not None and last.started_at is not None:
        updated_after = last.started_at - timedelta(seconds=settings.DIRECTORY_SYNC_SKEW_SECONDS)
    # The estimate of a full sync: what the last full sync listed (the rows the directory holds
    # before a first one are only those edits wrote, never the account's size).
    previous = done.filter(full=True).order_by("-finished_at").first()
    expected = previous.fetched if full and previous is not None else None
    return DirectorySync.objects.create(account_id=account_id, full=full, status=status,
                                        updated_after=updated_after, expected=expected or None)
