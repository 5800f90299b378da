"""What the core announces, for the wings to subscribe to in their ``AppConfig.ready`` (the
directory refreshes its row, data health recomputes its findings). The core sends these and
knows nothing of who listens, so it imports no wing.

``candidate_written``  after every confirmed write, single edit or bulk row, in the thread that
                       writes to the database; keyword arguments ``account_id``,
                       ``candidate_id``, ``body`` (what was sent), ``read_back`` (the candidate
                       read after the save, or None) and ``base`` (the candidate the body was
                       computed against: a ``Candidate``, its JSON, or None).
``candidate_gone``     StackOne answered 404 for a candidate; ``account_id``, ``candidate_id``.

Receivers must not raise (the write has happened whatever they do); ``announce`` sends robustly
and logs a receiver's error.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import Signal

logger = logging.getLogger(__name__)

candidate_written = Signal()
candidate_gone = Signal()


def announce(signal: Signal, **kwargs: Any) -> None:
    """Send ``signal`` to every receiver; a receiver that raises is logged, never propagated."""
    for receiver, result in signal.send_robust(sender=None, **kwargs):
        if isinstance(result, Exception):
            name = getattr(receiver, "__qualname__", receiver)
            logger.error("receiver %s of an announcement failed", name, exc_info=result)
