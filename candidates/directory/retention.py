"""Purging an account's directory (``candidates_purge``), and retention: the rows of an account
that stopped being active go ``DIRECTORY_RETENTION_DAYS`` after its last sync or write."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.runs import ACTIVE
from candidates.directory.search import directory_words_forget
from candidates.directory.signals import account_pruned
from candidates.directory.status import directory_last_touched

logger = logging.getLogger(__name__)



def directory_purge(*, account_id: str) -> int:
    """Delete the account's rows and sync runs (not a running one's: it stops on its own
    only when the account is gone). Returns the number of rows deleted."""
    with transaction.atomic():
        deleted, _ = DirectoryEntry.objects.filter(account_id=account_id).delete()
        DirectorySync.objects.filter(account_id=account_id).exclude(status__in=ACTIVE).delete()
        directory_words_forget(account_id=account_id)
        account_pruned.send(sender=None, account_id=account_id)
    return deleted



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
        last = directory_last_touched(account_id)
        if DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).exists() or (
                last is not None and last > cutoff):
            continue
        purged[account_id] = directory_purge(account_id=account_id)
        logger.info("directory: purged %s rows of %s (not active, last synced %s)", purged[account_id],
                    account_id, last)
    return purged
