"""An account's bulk jobs when its candidate data is purged (``candidates_purge``, retention):
each row's ``baseline`` (the whole candidate as the preview read it: names, emails, phones,
links, custom fields) is dropped, and so is an uploaded file not read yet (``upload``).

The bulk models live in the core, so the directory's purge calls this directly (a wing may import
the core, never another wing), inside its own transaction: rows and baselines go together or not
at all. A finished job keeps each row's outcome, values and body (what was sent is in the audit
log as well). A job that never finished is closed, since a row without its baseline must never be
sent: a row not sent yet becomes ``failed`` (Retry failed rows previews it again from its values),
one a stopped worker left ``sending`` becomes ``unknown``; a file not read yet becomes
``unreadable`` (upload it again). A job a worker is on (it reported in the
last ``BulkJob.STALE_AFTER_SECONDS``) is never touched: ``bulk_jobs_live`` names it and the purge
is refused (``BulkJobsLive``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import BulkJob, BulkRow

S = BulkJob.Status
UNFINISHED = (S.PARSING, S.PREVIEWING, S.READY, S.QUEUED, S.RUNNING)
NOT_SENT_MESSAGE = ("Not sent: this account's candidate data was purged before the row was sent. "
                    "Retry failed rows to preview it again.")
NOT_READ_MESSAGE = "This account's candidate data was purged before the file was read: upload it again."
LOST_MESSAGE = ("The worker stopped while this row was being sent, and this account's candidate data was "
                "purged before the job resumed: it may or may not have been saved.")


class BulkJobsLive(Exception):
    """A worker is on some of the account's bulk jobs: nothing is scrubbed."""

    def __init__(self, job_ids: list[int]) -> None:
        self.job_ids = job_ids
        super().__init__(f"bulk job{'s' if len(job_ids) > 1 else ''} {', '.join(f'#{pk}' for pk in job_ids)} "
                         f"{'are' if len(job_ids) > 1 else 'is'} being worked on")


@dataclass(frozen=True)
class BulkScrub:
    """What ``bulk_rows_scrub`` did: rows whose baseline it dropped, unfinished jobs it closed."""

    rows: int
    jobs_closed: int


def bulk_jobs_live(*, account_id: str) -> list[int]:
    """Return the ids of the account's jobs a worker is on now (reading its file, previewing, queued
    or running, heard from in the last ``BulkJob.STALE_AFTER_SECONDS``), oldest first."""
    recent = timezone.now() - timedelta(seconds=BulkJob.STALE_AFTER_SECONDS)
    return list(BulkJob.objects.annotate(seen=Coalesce("heartbeat_at", "created_at"))
                .filter(account_id=account_id, status__in=BulkJob.WORKING_STATUSES, seen__gt=recent)
                .order_by("pk").values_list("pk", flat=True))


def bulk_rows_scrub(*, account_id: str) -> BulkScrub:
    """Drop what every bulk row of ``account_id`` read of its candidate (the baseline, the name, a
    conflict's values) and any file of its jobs not read yet, and close its unfinished jobs.
    Returns the counts. Raises BulkJobsLive (nothing changed) while a worker is on one of its jobs.
    Call it inside the purge's transaction."""
    live = bulk_jobs_live(account_id=account_id)
    if live:
        raise BulkJobsLive(live)
    now = timezone.now()
    closing_ids = list(BulkJob.objects.filter(account_id=account_id, status__in=UNFINISHED)
                       .values_list("pk", flat=True))
    rows = BulkRow.objects.filter(job_id__in=closing_ids)
    # pending or checking (claimed, read again, nothing sent yet): never sent
    rows.filter(status__in=[BulkRow.Status.PENDING, BulkRow.Status.CHECKING]).update(
        status=BulkRow.Status.FAILED, message=NOT_SENT_MESSAGE, updated_at=now)
    rows.filter(status=BulkRow.Status.SENDING).update(status=BulkRow.Status.UNKNOWN, message=LOST_MESSAGE,
                                                      updated_at=now)
    closed = BulkJob.objects.filter(pk__in=closing_ids, status=S.PARSING).update(
        status=S.UNREADABLE, parse_error=NOT_READ_MESSAGE, upload=None)
    closed += BulkJob.objects.filter(pk__in=closing_ids, status__in=UNFINISHED).update(
        status=S.DONE, finished_at=now)
    BulkJob.objects.filter(account_id=account_id, upload__isnull=False).update(upload=None)
    # What a row read of the candidate: its baseline, its name, a conflict's three values and the
    # entries it removes (as read).
    read = Q(baseline__isnull=False) | ~Q(candidate_name="") | ~Q(conflicts=[]) | ~Q(removals=[])
    scrubbed = BulkRow.objects.filter(read, job__account_id=account_id).update(
        baseline=None, candidate_name="", conflicts=[], removals=[], updated_at=now)
    return BulkScrub(rows=scrubbed, jobs_closed=closed)
