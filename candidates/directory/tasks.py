"""The directory's background work on the task framework (django-tasks, database queue): the
sync task, and the embedded scheduler that queues every active account's incremental sync
every ``DIRECTORY_SYNC_MINUTES`` (and purges what retention allows)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django_tasks import task

from candidates.directory.models import DirectorySync
from candidates.directory.sync import (
    DirectoryOff,
    DirectorySyncBusy,
    directory_retention_purge,
    directory_sync,
    directory_sync_start,
)
from candidates.exceptions import StackOneError

logger = logging.getLogger(__name__)


@task()
def directory_sync_task(account_id: str, full: bool = False) -> None:
    """Background: sync one account (its run records a failure; a busy account is left alone)."""
    try:
        directory_sync(account_id=account_id, full=full)
    except (DirectoryOff, DirectorySyncBusy) as reason:
        logger.info("directory sync of %s skipped: %s", account_id, reason)
    except StackOneError:
        pass  # recorded on the run (shown on the accounts page); the next sync resumes it


def directory_tick() -> dict[str, object]:
    """Queue the incremental sync of every active linked account whose directory was started
    (the first visit to an account starts its first sync; an unfinished first sync resumes)
    and purge the rows of the others past retention. Returns {"queued": [ids], "purged":
    {id: rows}}; nothing (and no purge) when StackOne cannot list the accounts or the
    directory is off."""
    if not settings.CANDIDATE_DIRECTORY:
        return {"queued": [], "purged": {}}
    from candidates.stackone import stackone_client

    try:
        accounts = stackone_client().accounts_list()
    except StackOneError as error:
        logger.warning("directory tick: could not list the linked accounts: %s", error)
        return {"queued": [], "purged": {}}
    active = [account.id for account in accounts if account.is_active]
    started = set(DirectorySync.objects.filter(account_id__in=active).values_list("account_id", flat=True))
    queued = [account_id for account_id in active if account_id in started]
    for account_id in queued:
        directory_sync_start(account_id=account_id)
    return {"queued": queued, "purged": directory_retention_purge(active_account_ids=active)}


_lock = threading.Lock()
_stop = threading.Event()
_thread: threading.Thread | None = None


def directory_scheduler_ensure() -> None:
    """Start the embedded scheduler thread once (the embedded worker's companion); not when
    the directory is off or ``DIRECTORY_SYNC_MINUTES`` is 0."""
    global _thread
    if not settings.CANDIDATE_DIRECTORY or settings.DIRECTORY_SYNC_MINUTES <= 0:
        return
    with _lock:
        if _thread is not None and _thread.is_alive():
            return
        _stop.clear()
        _thread = threading.Thread(target=_scheduler_loop, name="directory-scheduler", daemon=True)
        _thread.start()


def directory_scheduler_stop(timeout: float = 10.0) -> None:
    """Stop the scheduler thread (returns once it has stopped)."""
    global _thread
    with _lock:
        thread, _thread = _thread, None
    _stop.set()
    if thread is not None:
        thread.join(timeout)


def _scheduler_loop() -> None:
    from django.db import close_old_connections, connections

    try:
        while not _stop.is_set():
            try:
                directory_tick()
            except Exception:  # the scheduler must outlive one bad tick
                logger.exception("directory tick failed")
            finally:
                close_old_connections()
            _stop.wait(settings.DIRECTORY_SYNC_MINUTES * 60)
    finally:
        connections.close_all()  # this thread's connections: none may outlive it
