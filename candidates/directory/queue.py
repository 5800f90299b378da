"""Starting syncs in the background: a sync queued on the task framework (one per account at
a time), the first visit's sync, and the tick the scheduler queues every
``DIRECTORY_SYNC_MINUTES`` (every active account's incremental sync queued, then retention),
which runs on a worker."""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction
from django_tasks import task

from candidates.directory.actions import directory_action_record
from candidates.directory.models import DirectoryAction, DirectorySync
from candidates.directory.retention import directory_retention_purge
from candidates.directory.runs import ACTIVE, S, run_alive, run_new, run_resumable
from candidates.directory.status import directory_ready, directory_status
from candidates.directory.tasks import directory_sync_task
from candidates.exceptions import StackOneError
from candidates.request_ids import request_id_bound, request_id_get
from candidates.stackone import stackone_client
from candidates.worker import inprocess_worker_ensure

logger = logging.getLogger(__name__)


def directory_sync_start(*, account_id: str, full: bool = False) -> None:
    """Queue a sync of the account on the task framework, unless one is queued or running
    (idempotent; a run whose worker died is queued again, to resume). Nothing when the
    directory is off."""
    if not settings.CANDIDATE_DIRECTORY:
        return
    active = DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).first()
    if active is not None and run_alive(active):
        return
    if active is None:
        failed = run_resumable(account_id, full=full)
        try:
            with transaction.atomic():
                if failed is not None:
                    failed_run = DirectorySync.objects.filter(pk=failed.pk, status=S.FAILED)
                    if not failed_run.update(status=S.QUEUED):
                        return
                else:
                    run_new(account_id, full=full, status=S.QUEUED)
        except IntegrityError:  # another request queued one at the same moment
            return
    request_id = request_id_get()
    transaction.on_commit(lambda: directory_sync_task.enqueue(account_id, full, request_id=request_id))
    inprocess_worker_ensure()


class SyncAsked(StrEnum):
    """What came of a person's "Sync now" or "Full sync" (the words are recorded)."""

    QUEUED = "queued"
    RUNNING = "not queued: a sync was already running"
    OFF = "not queued: the candidate directory is off"
    INACTIVE = "refused: the account is inactive in StackOne"


def directory_sync_request(*, account_id: str, full: bool, user: Any, active: bool | None) -> SyncAsked:
    """Queue the sync ``user`` asked for (``full``: a full one), unless the account is inactive in
    StackOne (``active`` False: StackOne refuses its requests) or the directory is off, and record
    who asked, when, and what came of it. Returns that outcome."""
    before = directory_status(account_id=account_id)
    if active is False:
        outcome = SyncAsked.INACTIVE
    elif not before.enabled:
        outcome = SyncAsked.OFF
    elif before.running is not None and not before.running.stale:
        outcome = SyncAsked.RUNNING
    else:
        directory_sync_start(account_id=account_id, full=full)
        outcome = SyncAsked.QUEUED
    directory_action_record(account_id=account_id, user=user, outcome=outcome.value,
                            kind=DirectoryAction.Kind.FULL_SYNC if full else DirectoryAction.Kind.SYNC)
    return outcome


def directory_ensure(*, account_id: str, active: bool | None) -> None:
    """The first visit to an account without a directory starts its (full) sync, when StackOne
    lists the account as active (``active`` True: not an inactive account, whose requests
    StackOne refuses, nor an unknown id, nor one StackOne could not say about); any visit makes
    sure the embedded worker (and its periodic sync) runs."""
    if not settings.CANDIDATE_DIRECTORY:
        return
    inprocess_worker_ensure()
    if active is True and not directory_ready(account_id):
        directory_sync_start(account_id=account_id)


class DirectoryTick(TypedDict):
    """What a tick did: the accounts whose sync it queued, and {account: rows} retention purged."""

    queued: list[str]
    purged: dict[str, int]


def directory_tick() -> DirectoryTick:
    """Queue the incremental sync of every active linked account whose directory was started
    (the first visit to an account starts its first sync; an unfinished first sync resumes)
    and purge the rows of the others past retention. Returns {"queued": [ids], "purged":
    {id: rows}}; nothing (and no purge) when StackOne cannot list the accounts or the
    directory is off."""
    if not settings.CANDIDATE_DIRECTORY:
        return DirectoryTick(queued=[], purged={})
    try:
        accounts = stackone_client().accounts_list()
    except StackOneError as error:
        logger.warning("directory tick: could not list the linked accounts: %s", error.log_text)
        return DirectoryTick(queued=[], purged={})
    active = [account.id for account in accounts if account.is_active]
    started = set(DirectorySync.objects.filter(account_id__in=active).values_list("account_id", flat=True))
    queued = [account_id for account_id in active if account_id in started]
    for account_id in queued:
        directory_sync_start(account_id=account_id)
    return DirectoryTick(queued=queued, purged=directory_retention_purge(active_account_ids=active))


@task()
def directory_tick_task() -> None:
    """Background, queued by the scheduler every ``DIRECTORY_SYNC_MINUTES``: the tick, under a
    request id of its own, which the syncs it queues carry too."""
    with request_id_bound():
        result = directory_tick()
        logger.info("directory tick: %s syncs queued, %s accounts purged", len(result["queued"]),
                    len(result["purged"]))


@task()
def directory_retention_task(active_account_ids: list[str]) -> None:
    """Background: purge the rows of accounts not in ``active_account_ids`` past retention."""
    directory_retention_purge(active_account_ids=active_account_ids)


def directory_tick_seconds() -> float:
    """Seconds between two ticks: ``DIRECTORY_SYNC_MINUTES`` (0: no periodic sync; none either
    when the directory is off)."""
    return settings.DIRECTORY_SYNC_MINUTES * 60 if settings.CANDIDATE_DIRECTORY else 0
