"""Purging an account's directory (``candidates_purge``), and retention: the rows of an account
that stopped being active go ``DIRECTORY_RETENTION_DAYS`` after its last sync or write.

A purge takes everything the app keeps of the account's candidates outside the audit log: the
directory's rows, sync runs and name words, the data-health findings (``account_pruned``) and the
baselines of its bulk rows (``candidates.bulk_scrub``: the bulk models are the core's). A sync
queued or running is cancelled first: its worker stops at its next page and keeps nothing of it,
so the purge sticks. While a worker is on one of the account's bulk jobs the purge is refused.
Then the deleted text is overwritten on disk (``storage``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.bulk_scrub import BulkJobsLive, BulkScrub, bulk_jobs_live, bulk_rows_scrub
from candidates.directory.actions import directory_action_record
from candidates.directory.models import DirectoryAction, DirectoryEntry, DirectorySync
from candidates.directory.runs import ACTIVE, S
from candidates.directory.search import directory_words_forget
from candidates.directory.signals import account_pruned
from candidates.directory.status import directory_last_touched
from candidates.directory.storage import directory_storage_compact

logger = logging.getLogger(__name__)
CANCELLED = "Cancelled: the account's directory was purged while it ran."
RETENTION = "retention"


class DirectoryPurgeRefused(Exception):
    """The purge did nothing: a worker is on one of the account's bulk jobs."""


@dataclass(frozen=True)
class PurgeResult:
    """What one purge did."""

    account_id: str
    rows: int
    # The run of the sync that was queued or running and is now cancelled (None: there was none).
    sync_cancelled: DirectorySync | None
    bulk: BulkScrub

    def summary(self) -> str:
        """Return what was done in words ("4,200 directory rows deleted; …")."""
        parts = [f"{self.rows:,} directory row{'s' if self.rows != 1 else ''} deleted"]
        if self.sync_cancelled is not None:
            run = self.sync_cancelled
            kind = "full sync" if run.full else "sync"
            parts.append(f"the {kind} that was {run.status} (run {run.pk}) cancelled")
        if rows := self.bulk.rows:
            parts.append(f"{rows:,} bulk row{'s no longer keep' if rows != 1 else ' no longer keeps'} "
                         "the candidate as previewed")
        if closed := self.bulk.jobs_closed:
            parts.append(f"{closed} unfinished bulk job{'s' if closed != 1 else ''} closed, "
                         "their unsent rows marked failed")
        return "; ".join(parts)


def directory_purge(*, account_id: str, user: Any = None, username: str = "") -> PurgeResult:
    """Purge the account (see the module's docstring) and record who asked (``user``, or
    ``username`` without one). Returns what was done. Raises DirectoryPurgeRefused (nothing done,
    the refusal recorded) while a worker is on one of its bulk jobs."""
    try:
        if live := bulk_jobs_live(account_id=account_id):
            raise BulkJobsLive(live)
        cancelled = _sync_cancel(account_id)
        with transaction.atomic():
            rows, _ = DirectoryEntry.objects.filter(account_id=account_id).delete()
            DirectorySync.objects.filter(account_id=account_id).delete()
            directory_words_forget(account_id=account_id)
            bulk = bulk_rows_scrub(account_id=account_id)
            account_pruned.send(sender=None, account_id=account_id)
            result = PurgeResult(account_id=account_id, rows=rows, sync_cancelled=cancelled, bulk=bulk)
            directory_action_record(account_id=account_id, kind=DirectoryAction.Kind.PURGE, user=user,
                                    username=username, outcome=result.summary())
            transaction.on_commit(directory_storage_compact)
    except BulkJobsLive as live:
        message = f"not purged: {live}; purge when it has finished"
        directory_action_record(account_id=account_id, kind=DirectoryAction.Kind.PURGE, user=user,
                                username=username, outcome=message)
        raise DirectoryPurgeRefused(message) from live
    return result


def _sync_cancel(account_id: str) -> DirectorySync | None:
    """Cancel the account's queued or running sync, in a transaction of its own: from its commit on
    the run's worker owns nothing (``sync._run_save`` then stops it, its page rolled back).
    Returns the run as it was (None when there was none)."""
    with transaction.atomic():
        run = DirectorySync.objects.select_for_update().filter(account_id=account_id,
                                                               status__in=ACTIVE).first()
        if run is not None:
            DirectorySync.objects.filter(pk=run.pk).update(status=S.FAILED, worker="", error=CANCELLED,
                                                           finished_at=timezone.now())
    return run


def directory_retention_purge(*, active_account_ids: Iterable[str],
                              now: datetime | None = None) -> dict[str, int]:
    """Purge every account not in ``active_account_ids`` (inactive or no longer linked) not synced
    nor written for ``DIRECTORY_RETENTION_DAYS``: an account that stops being active stops syncing,
    so its rows go that long after. An account with a sync queued or running, or a bulk job being
    worked on, waits for a later pass. Returns {account id: rows deleted}."""
    active = set(active_account_ids)
    cutoff = (now or timezone.now()) - timedelta(days=settings.DIRECTORY_RETENTION_DAYS)
    purged = {}
    known = set(DirectoryEntry.objects.values_list("account_id", flat=True).distinct())
    for account_id in sorted(known - active):
        last = directory_last_touched(account_id)
        if DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).exists() or (
                last is not None and last > cutoff):
            continue
        try:
            result = directory_purge(account_id=account_id, username=RETENTION)
        except DirectoryPurgeRefused as refused:
            logger.info("directory: retention left %s for later: %s", account_id, refused)
            continue
        purged[account_id] = result.rows
        logger.info("directory: purged %s (not active, last synced %s): %s", account_id, last,
                    result.summary())
    return purged
