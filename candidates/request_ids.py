"""The request id: one per web request (generated, or the proxy's), carried into every log line
of that request, into the audit rows it writes and into the tasks it queues, so one id finds
everything a click caused (docs/operations/monitoring.md#logs).

The id lives in a context variable: each request thread, and each task run, binds its own with
``request_id_bound``. Threads do not inherit it; code that hands work to a pool runs it in a
copy of the caller's context (``contextvars.copy_context().run``).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MAX_LENGTH = 64  # AuditEntry.request_id's length
# What an id taken from a proxy may look like: it goes into log lines and audit rows as it is.
_VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")

_current: ContextVar[str] = ContextVar("request_id", default="")


def request_id_new() -> str:
    """Return a fresh id (32 hex digits, like nginx's ``$request_id``)."""
    return uuid.uuid4().hex


def request_id_clean(value: str | None) -> str | None:
    """Return ``value`` when it is usable as an id (1–64 of letters, digits, ``.``, ``_``, ``:``
    and ``-``, starting with a letter or digit), else None."""
    return value if value and _VALID.fullmatch(value) else None


def request_id_get() -> str:
    """Return the id bound in this context ("" outside a request or a task)."""
    return _current.get()


@contextmanager
def request_id_bound(request_id: str = "") -> Iterator[str]:
    """Bind ``request_id`` (a fresh one when empty or unusable) for the duration of the block;
    yields the id bound."""
    token = _current.set(request_id_clean(request_id) or request_id_new())
    try:
        yield _current.get()
    finally:
        _current.reset(token)
