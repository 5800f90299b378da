"""A bulk row StackOne confirmed refreshes that candidate's findings at once, so a fixed
candidate leaves the list. The bulk job does not read the candidate back (one call per row), so
the new state is the preview's baseline with the sent body applied.

Connected in ``HealthConfig.ready``; when the one write service exists it can call
``health_index`` itself and this receiver goes.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from candidates.models import BulkRow
from candidates.types import Candidate

logger = logging.getLogger(__name__)


@receiver(post_save, sender=BulkRow, dispatch_uid="health_refresh_after_bulk_row")
def health_refresh_after_bulk_row(
    sender: Any, instance: BulkRow, update_fields: Any = None, **kwargs: Any
) -> None:
    if instance.status != BulkRow.Status.SAVED or not instance.baseline or not instance.body:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    from candidates.health.store import health_index

    try:
        candidate = Candidate.from_api({**instance.baseline, **instance.body})
        health_index(account_id=instance.job.account_id, candidates=[candidate])
    except Exception:  # the row is saved in StackOne: a health refresh must never undo that record
        logger.exception("data health: refresh after bulk row %s failed", instance.pk)
