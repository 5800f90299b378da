"""The StackOne client bulk work uses: the app's client without its own status retries.

urllib3 would resend a 429 by itself, outside the shared budget and per thread; bulk work
handles 429 itself instead (every worker pauses, the row goes back to pending).
"""

from __future__ import annotations

import threading
from dataclasses import replace

from candidates.bulk.rate_limit import budget_acquire, budget_pause
from candidates.exceptions import StackOneRateLimited
from candidates.stackone import StackOneClient, stackone_config
from candidates.types import Candidate

_local = threading.local()
READ_ATTEMPTS = 5


def bulk_client() -> StackOneClient:
    """Return this thread's bulk client (retries off; the caller meters and retries)."""
    config = replace(stackone_config(), max_retries=0)
    client = getattr(_local, "client", None)
    if client is None or client.config != config:
        client = _local.client = StackOneClient(config)
    return client


def candidate_read(*, account_id: str, candidate_id: str) -> Candidate:
    """Return the candidate, within the shared budget; a 429 pauses every worker and the read
    is tried again (up to READ_ATTEMPTS). Raises StackOneError subclasses."""
    attempt = 1
    while True:
        budget_acquire()  # also waits out a pause another worker's 429 started
        try:
            return bulk_client().candidate_get(account_id=account_id, candidate_id=candidate_id)
        except StackOneRateLimited as error:
            budget_pause(error.retry_after)
            if attempt >= READ_ATTEMPTS:
                raise
            attempt += 1
