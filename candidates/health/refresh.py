"""When a bulk job finishes, the candidates it saved get their findings refreshed in one batch,
so fixed candidates leave the list. The job does not read candidates back (one call per row),
so each one's new state is its preview's baseline with the sent body applied. Done once per
job rather than per row, so the send loop does no extra work between requests.

Connected in ``HealthConfig.ready``; when the one write service refreshes the directory after
every save it can call ``health_index`` itself and this receiver goes.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from candidates.models import BulkJob, BulkRow
from candidates.types import Candidate

logger = logging.getLogger(__name__)
BATCH = 500


@receiver(post_save, sender=BulkJob, dispatch_uid="health_refresh_after_bulk_job")
def health_refresh_after_bulk_job(
    sender: Any, instance: BulkJob, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.status != BulkJob.Status.DONE or (
        update_fields is not None and "status" not in update_fields
    ):
        return
    from candidates.health.store import health_index

    try:
        rows = instance.rows.filter(status=BulkRow.Status.SAVED, baseline__isnull=False).values_list(
            "baseline", "body"
        )
        batch: list[Candidate] = []
        for baseline, body in rows.iterator(chunk_size=BATCH):
            batch.append(Candidate.from_api({**baseline, **(body or {})}))
            if len(batch) >= BATCH:
                health_index(account_id=instance.account_id, candidates=batch)
                batch = []
        if batch:
            health_index(account_id=instance.account_id, candidates=batch)
    except Exception:  # the rows are saved in StackOne: a health refresh must never undo that record
        logger.exception("data health: refresh after bulk job %s failed", instance.pk)
