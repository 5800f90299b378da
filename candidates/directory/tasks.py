"""The directory's task on the task framework (django-tasks, database queue): one account's
sync, run by a worker (``manage.py worker``, or the embedded one)."""

from __future__ import annotations

import logging

from django_tasks import task

from candidates.directory.models import DirectorySync
from candidates.directory.runs import ACTIVE
from candidates.directory.sync import DirectoryOff, DirectorySyncBusy, DirectorySyncStopped, directory_sync
from candidates.exceptions import StackOneError
from candidates.request_ids import request_id_bound

logger = logging.getLogger(__name__)


@task()
def directory_sync_task(account_id: str, full: bool = False, request_id: str = "") -> None:
    """Background: sync one account (its run records a failure; a busy account is left alone),
    under the id of the request that queued it (a fresh one for the scheduler's). Nothing when
    the account has no queued or running run any more: the sync was cancelled (its directory
    purged) after it was queued. When this worker stops meanwhile, the run is queued again for
    another."""
    with request_id_bound(request_id):
        if not DirectorySync.objects.filter(account_id=account_id, status__in=ACTIVE).exists():
            logger.info("directory sync of %s skipped: cancelled since it was queued", account_id)
            return
        try:
            directory_sync(account_id=account_id, full=full)
        except DirectorySyncStopped:  # this worker is stopping: another goes on at the next page
            directory_sync_task.enqueue(account_id, full, request_id)
        except (DirectoryOff, DirectorySyncBusy) as reason:
            logger.info("directory sync of %s skipped: %s", account_id, reason)
        except StackOneError:
            pass  # recorded on the run (shown on the accounts page); the next sync resumes it
