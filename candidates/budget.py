"""The StackOne call budget shared by every background worker (bulk rows, directory syncs),
the pause after a 429, and the background's one retry policy (``budget_retry``: a 429 pauses
every worker, then the call is tried again, at most ``MAX_ATTEMPTS`` times in all;
``budget_call`` applies it to a read).

The budget is a ``limits`` moving window (``STACKONE_RATE_LIMIT``, default 600/minute) in
``STACKONE_RATE_LIMIT_STORAGE`` (Redis when ``CACHE_URL`` points there, so every worker on
every host draws from one budget; process memory in the embedded default). The key is a hash
of the API key, never the key itself. A 429 sets a shared "paused until" time in Django's
cache: every worker waits it out instead of resending at once.

Time: the budget reads and waits on ``clock`` (``now()`` as epoch seconds, ``monotonic()`` for
intervals, ``sleep()``), the system clock unless a test puts a fake one there; ``budget_sleep`` is
how a caller waits for the budget and ``budget_monotonic`` how a background loop times its own
intervals (a bulk job's progress and heartbeat). The window itself is timed by ``limits``, whose
storages read ``time.time()``: a test's fake clock stands in for that too (tests/fake_clock.py),
so a grant's time is exactly the time its window counted.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Protocol, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from candidates.exceptions import StackOneRateLimited, StackOneUnavailable
from candidates.metrics import BUDGET_CALLS, BUDGET_DENIED, BUDGET_PAUSES, BUDGET_WAIT_SECONDS
from candidates.stackone import stackone_config

DEFAULT_PAUSE_SECONDS = 1.0
MAX_PAUSE_SECONDS = 60.0
MAX_ATTEMPTS = 5  # a call answered 429 this many times fails rather than being retried forever
T = TypeVar("T")


class BudgetClock(Protocol):
    """What the budget reads the time from and waits on."""

    def now(self) -> float: ...

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class _SystemClock:
    def now(self) -> float:
        return time.time()  # epoch seconds: the pause's deadline is shared through the cache

    def monotonic(self) -> float:
        return time.monotonic()  # never goes back: a heartbeat must not stall when NTP steps

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


clock: BudgetClock = _SystemClock()


@lru_cache(maxsize=1)
def _limiter() -> tuple[MovingWindowRateLimiter, RateLimitItem]:
    storage = storage_from_string(settings.STACKONE_RATE_LIMIT_STORAGE)
    return MovingWindowRateLimiter(storage), parse(settings.STACKONE_RATE_LIMIT)


def budget_key() -> str:
    """Return the budget's key: a digest of the API key (one budget per key)."""
    return "stackone:" + hashlib.sha256(stackone_config().api_key.encode()).hexdigest()[:16]


def _pause_key() -> str:
    return budget_key() + ":paused-until"


def budget_try() -> float:
    """Take one call from the budget. Return 0 when taken, else the seconds to wait first."""
    now = clock.now()
    paused = (cache.get(_pause_key()) or 0.0) - now
    if paused > 0:
        BUDGET_DENIED.labels("paused").inc()
        return paused
    limiter, item = _limiter()
    if limiter.hit(item, budget_key()):
        BUDGET_CALLS.inc()
        return 0.0
    BUDGET_DENIED.labels("exhausted").inc()
    reset_at = limiter.get_window_stats(item, budget_key()).reset_time
    return max(reset_at - now, 0.01)


def budget_pause_wait() -> None:
    """Wait out a pause that began after this caller's call was taken from the budget (a 429
    answered to another worker meanwhile), so no request starts inside a ``Retry-After``."""
    while (paused := (cache.get(_pause_key()) or 0.0) - clock.now()) > 0:
        budget_sleep(paused)


def budget_retry(error: StackOneRateLimited, attempt: int) -> bool:
    """Apply the retry policy to a 429 on try number ``attempt``: every worker pauses for its
    Retry-After (no burst of resends). Returns True when the call may be tried again."""
    budget_pause(error.retry_after)
    return budget_retry_allowed(attempt)


def budget_retry_allowed(attempt: int) -> bool:
    """Return True when a call answered 429 on try number ``attempt`` may be tried again (the
    pause itself already set, by whoever saw the 429)."""
    return attempt < MAX_ATTEMPTS


def budget_call(call: Callable[[], T], *, retry_unavailable: bool = False) -> T:
    """Return ``call()`` made within the budget (waiting for a free slot and out any pause),
    retried per ``budget_retry``. ``retry_unavailable``: a 5xx or no answer is tried again too,
    after an exponential backoff (``STACKONE_BACKOFF_FACTOR``), within the same ``MAX_ATTEMPTS``
    (for reads whose caller would rather wait than fail, such as a directory sync's pages).
    Raises what ``call`` raises (the last error when retries run out)."""
    attempt = 1
    while True:
        while (wait := budget_try()) > 0:
            budget_sleep(wait)
        try:
            return call()
        except StackOneRateLimited as error:
            if not budget_retry(error, attempt):
                raise
        except StackOneUnavailable:
            if not retry_unavailable or attempt >= MAX_ATTEMPTS:
                raise
            clock.sleep(min(settings.STACKONE_BACKOFF_FACTOR * 2 ** (attempt - 1), MAX_PAUSE_SECONDS))
        attempt += 1


def budget_sleep(wait: float) -> None:
    """Wait ``wait`` seconds (what ``budget_try`` asked for), at most one second at a time so
    the caller looks at the budget again soon."""
    seconds = min(wait, 1.0)
    BUDGET_WAIT_SECONDS.inc(seconds)
    clock.sleep(seconds)


def budget_monotonic() -> float:
    """Return seconds on the clock's monotonic scale (only differences mean anything): what a
    background loop times its intervals with, so a test's fake clock times them too."""
    return clock.monotonic()


def budget_pause(retry_after: float | None) -> None:
    """Make every worker wait ``retry_after`` seconds (StackOne answered 429)."""
    asked = retry_after if retry_after and retry_after > 0 else DEFAULT_PAUSE_SECONDS
    seconds = min(asked, MAX_PAUSE_SECONDS)
    until = clock.now() + seconds
    BUDGET_PAUSES.inc()
    if (cache.get(_pause_key()) or 0.0) < until:
        cache.set(_pause_key(), until, timeout=int(seconds) + 1)


def budget_state() -> tuple[int, int, float]:
    """Return the budget as it stands: calls left in the window, the window's size, and the
    seconds a pause after a 429 still holds every worker (0: none). Read, never taken."""
    limiter, item = _limiter()
    remaining = limiter.get_window_stats(item, budget_key()).remaining
    paused = (cache.get(_pause_key()) or 0.0) - clock.now()
    return remaining, item.amount, max(paused, 0.0)


def budget_reset() -> None:
    """Forget the window and any pause (tests and benchmarks start from a full budget)."""
    limiter, item = _limiter()
    limiter.clear(item, budget_key())
    cache.delete(_pause_key())


def _reset(*, setting: str, **_: object) -> None:
    if setting.startswith("STACKONE_RATE_LIMIT"):
        _limiter.cache_clear()


setting_changed.connect(_reset)
