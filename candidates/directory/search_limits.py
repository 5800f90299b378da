"""What bounds a directory search: its time (``DIRECTORY_SEARCH_TIME_LIMIT_MS``, enforced by the
database: ``statement_timeout`` on PostgreSQL, a progress handler on SQLite) and how deep its
pages go (``MAX_RESULTS``: like a search engine, the first 1,000 results in order, then "narrow
the search"). Both backends raise ``SearchTooBroad`` when the time is up."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection

# How many results of one search can be paged through (40 pages of 25); the count goes on to
# ``MAX_COUNTED`` and is shown as "more than" past it.
MAX_RESULTS = 1000
MAX_COUNTED = 10_000
# SQLite calls the progress handler every this many virtual machine instructions (~0.1 ms).
_PROGRESS_EVERY = 2000


class SearchTooBroad(Exception):
    """The search took longer than its time limit (its words match too much to rank in time)."""


def time_limit_ms() -> int:
    """Return the time limit of one search in milliseconds (``DIRECTORY_SEARCH_TIME_LIMIT_MS``)."""
    return max(1, int(getattr(settings, "DIRECTORY_SEARCH_TIME_LIMIT_MS", 1000)))


@contextmanager
def sqlite_time_limit(limit_ms: int) -> Iterator[None]:
    """Interrupt the enclosed queries of the SQLite connection once ``limit_ms`` have passed.
    Raises SearchTooBroad when it did."""
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + limit_ms / 1000
    fired = False

    def progress() -> int:
        nonlocal fired
        fired = fired or time.monotonic() > deadline
        return 1 if fired else 0

    raw.set_progress_handler(progress, _PROGRESS_EVERY)
    try:
        yield
    except OperationalError as error:
        if fired:
            raise SearchTooBroad from error
        raise
    finally:
        raw.set_progress_handler(None, 0)
