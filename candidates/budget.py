"""The one StackOne call budget every call of the app takes from (the client takes one unit before
each request it sends, retries included), people first; the pause after a 429; and the
background's one retry policy (``budget_retry``: a 429 pauses every caller, then the call is
tried again, at most ``MAX_ATTEMPTS`` times in all; ``budget_call`` applies it to a read).

The budget is StackOne's limit for the key: ``STACKONE_RATE_LIMIT`` (N calls a window, default
900 a minute, a margin under StackOne's 1,000), counted in two ``limits`` moving windows, one per
priority, in ``STACKONE_RATE_LIMIT_STORAGE`` (Redis when ``CACHE_URL`` points there, so every
process on every host draws from one budget; process memory in the embedded default):

- **interactive** calls (a person waiting on a page) may use all of it but the background floor:
  a call is granted while interactive calls in the window are fewer than N − max(background
  calls in the window, F);
- **background** calls (bulk rows, syncs, health fix jobs: a background client, or any call made
  while a task runs on a worker) get what people leave: a call is granted while background calls
  in the window are fewer than max(F, N − R − interactive calls in the window).

F (``STACKONE_BACKGROUND_FLOOR`` × N, at least 1) keeps jobs moving however busy the pages are;
R (``STACKONE_INTERACTIVE_RESERVE`` × N) is left unused by jobs beyond their floor, so a burst of
pages never waits on a job's share. The two together never exceed N, so the app's own mix never
causes a 429. The same rules also hold over each 30th of the window (2 s of a minute, two more
moving windows per priority, ``BudgetShape.paced``): calls are paced through the minute instead of
spending it in a burst and then waiting for it to pass, and a job's share follows the pages'
within two seconds. (Each grant reads the other window, then takes from its own atomically: two
processes granting at the same instant may overshoot by the calls in flight, which the margin
under StackOne's limit absorbs.)

The key is a hash of the API key, never the key itself. A 429 sets a shared "paused until" time in
Django's cache: every caller waits it out instead of resending at once; a page's call waits for the
budget at most ``STACKONE_INTERACTIVE_MAX_WAIT`` seconds, then fails as rate limited
(``StackOneBudgetSpent``) without calling StackOne.

Time: the budget reads and waits on ``clock`` (``now()`` as epoch seconds, ``monotonic()`` for
intervals, ``sleep()``), the system clock unless a test puts a fake one there; ``budget_sleep`` is
how a caller waits for the budget and ``budget_monotonic`` how a background loop times its own
intervals (a bulk job's progress and heartbeat). The windows themselves are timed by ``limits``,
whose storages read ``time.time()``: a test's fake clock stands in for that too
(tests/fake_clock.py), so a grant's time is exactly the time its window counted.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from limits import parse
from limits.storage import MovingWindowSupport, Storage, storage_from_string

from candidates.exceptions import StackOneBudgetSpent, StackOneRateLimited, StackOneUnavailable
from candidates.metrics import BUDGET_CALLS, BUDGET_DENIED, BUDGET_PAUSES, BUDGET_WAIT_SECONDS
from candidates.stackone_config import stackone_config

PACE_SLICES = 30  # the budget's rules also hold over each 30th of its window (2 s of a minute)
EDGE = 1 / 64  # a wait ends this long after the oldest call leaves the window
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


@dataclass(frozen=True)
class BudgetShape:
    """The budget's numbers: ``limit`` calls per ``window`` seconds, of which background work is
    always granted ``floor`` and leaves ``reserve`` unused for people."""

    limit: int
    window: int
    floor: int
    reserve: int

    def paced(self) -> BudgetShape | None:
        """Return the same rules over a slice of the window (2 s of a minute: ``PACE_SLICES``), or
        None when the budget is too small to slice (fewer than 10 calls a slice)."""
        slices = min(PACE_SLICES, self.limit // 10, self.window)
        if slices <= 1:
            return None
        window = self.window // slices
        share = window / self.window
        return BudgetShape(limit=math.ceil(self.limit * share), window=window,
                           floor=max(1, math.ceil(self.floor * share)),
                           reserve=math.ceil(self.reserve * share))


class _WindowStorage(Storage, MovingWindowSupport):
    """A ``limits`` storage with moving windows (memory, Redis, Valkey, MongoDB)."""


@lru_cache(maxsize=1)
def _storage() -> _WindowStorage:
    storage = storage_from_string(settings.STACKONE_RATE_LIMIT_STORAGE)
    if not isinstance(storage, MovingWindowSupport):
        raise ValueError(f"{settings.STACKONE_RATE_LIMIT_STORAGE.split(':')[0]} storage has no moving window")
    return cast("_WindowStorage", storage)


@lru_cache(maxsize=1)
def budget_shape() -> BudgetShape:
    """Return the budget's numbers from ``STACKONE_RATE_LIMIT``, ``STACKONE_BACKGROUND_FLOOR``
    and ``STACKONE_INTERACTIVE_RESERVE``."""
    item = parse(settings.STACKONE_RATE_LIMIT)
    limit = item.amount
    floor = min(limit, max(1, round(limit * settings.STACKONE_BACKGROUND_FLOOR)))
    reserve = min(limit - floor, round(limit * settings.STACKONE_INTERACTIVE_RESERVE))
    return BudgetShape(limit=limit, window=item.get_expiry(), floor=floor, reserve=reserve)


def budget_key() -> str:
    """Return the budget's key: a digest of the API key (one budget per key)."""
    return "stackone:" + hashlib.sha256(stackone_config().api_key.encode()).hexdigest()[:16]


def _pause_key() -> str:
    return budget_key() + ":paused-until"


def _window_key(background: bool, shape: BudgetShape) -> str:
    return f"{budget_key()}:{shape.window}s:" + ("background" if background else "interactive")


def _shapes() -> tuple[BudgetShape, ...]:
    """The windows a call must fit in: the pace's slice first (when there is one), then the whole
    window."""
    shape = budget_shape()
    paced = shape.paced()
    return (shape,) if paced is None else (paced, shape)


# -- priority ---------------------------------------------------------------------------------

_thread = threading.local()  # this thread's priority, and a call taken ahead


def budget_background_begin() -> None:
    """Count this thread's calls as background until ``budget_background_end`` (the worker
    marks the tasks it runs: every call a task makes is background work)."""
    _thread.background = True


def budget_background_end() -> None:
    """Count this thread's calls as what their client says again."""
    _thread.background = False


@contextmanager
def budget_background() -> Iterator[None]:
    """Count this thread's calls as background inside the block (background work started outside
    a task: a sync or a bulk job run from the command line)."""
    before = getattr(_thread, "background", False)
    _thread.background = True
    try:
        yield
    finally:
        _thread.background = before


@contextmanager
def budget_prepaid() -> Iterator[None]:
    """The first call this thread sends inside the block was taken from the budget already (by a
    caller that holds work back until ``budget_try`` grants it): it takes nothing more."""
    _thread.prepaid = True
    try:
        yield
    finally:
        _thread.prepaid = False


def _is_background(background: bool) -> bool:
    return background or getattr(_thread, "background", False)


# -- taking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetUsage:
    """The budget as it stands: calls in the window per priority, the budget's numbers and the
    seconds a pause after a 429 still holds every caller (0: none)."""

    interactive: int
    background: int
    shape: BudgetShape
    paused: float


def budget_usage() -> BudgetUsage:
    """Return the budget as it stands (read, never taken)."""
    shape = budget_shape()
    return BudgetUsage(interactive=_count(False, shape), background=_count(True, shape), shape=shape,
                       paused=max(_paused(), 0.0))


def _count(background: bool, shape: BudgetShape) -> int:
    return _storage().get_moving_window(_window_key(background, shape), shape.limit, shape.window)[1]


def _paused() -> float:
    return (cache.get(_pause_key()) or 0.0) - clock.now()


def _allowed(background: bool, shape: BudgetShape) -> int:
    """Return how many calls of this priority the window may hold now (see the module's rules)."""
    other = _count(not background, shape)
    if background:
        return max(shape.floor, shape.limit - shape.reserve - other)
    return shape.limit - max(other, shape.floor)


def budget_try(*, background: bool = True) -> float:
    """Take one call from the budget. Return 0 when taken, else the seconds to wait first (an
    estimate: look again then). ``background``: a background call (also when a task runs in this
    thread); else a person's."""
    background = _is_background(background)
    if (paused := _paused()) > 0:
        BUDGET_DENIED.labels("paused").inc()
        return paused
    shapes = _shapes()
    storage = _storage()
    for shape in shapes:  # (a slice taken when the whole window then refuses is counted: harmless)
        allowed = _allowed(background, shape)
        if allowed <= 0 or not storage.acquire_entry(_window_key(background, shape), allowed, shape.window):
            BUDGET_DENIED.labels("exhausted").inc()
            return _wait_estimate(shapes)
    BUDGET_CALLS.inc()
    return 0.0


def _wait_estimate(shapes: tuple[BudgetShape, ...]) -> float:
    """Return the seconds until the oldest call counted in any window has left it (``EDGE`` past
    the moment, when it is out by every storage's measure): the earliest a call of either
    priority frees room for this one (either side's count bounds the other)."""
    storage = _storage()
    windows = [(shape, storage.get_moving_window(_window_key(side, shape), shape.limit, shape.window))
               for shape in shapes for side in (False, True)]
    ends = [start + shape.window for shape, (start, count) in windows if count]
    return max(min(ends, default=clock.now()) - clock.now(), 0.0) + EDGE


def budget_take(*, background: bool) -> None:
    """Take one call from the budget (unless it was taken ahead: ``budget_prepaid``), waiting as
    long as it takes for a background call, at most ``STACKONE_INTERACTIVE_MAX_WAIT`` seconds for
    a person's. Raises StackOneBudgetSpent when a person's call would wait longer (nothing is
    sent)."""
    if getattr(_thread, "prepaid", False):
        _thread.prepaid = False
        return
    waited = 0.0
    limit = stackone_config().budget_wait
    while (wait := budget_try(background=background)) > 0:
        if not _is_background(background) and waited + wait > limit:
            raise StackOneBudgetSpent(retry_after=float(max(1, round(wait))))
        waited += budget_sleep(wait)


def budget_pause_wait() -> None:
    """Wait out a pause that began after this caller's call was taken from the budget (a 429
    answered to another worker meanwhile), so no request starts inside a ``Retry-After``."""
    while (paused := _paused()) > 0:
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
    """Return ``call()`` (a background client's call: it takes from the budget itself, waiting for
    a free slot and out any pause), retried per ``budget_retry``. ``retry_unavailable``: a 5xx or
    no answer is tried again too, after an exponential backoff (``STACKONE_BACKOFF_FACTOR``),
    within the same ``MAX_ATTEMPTS`` (for reads whose caller would rather wait than fail, such as
    a directory sync's pages). Raises what ``call`` raises (the last error when retries run out)."""
    attempt = 1
    while True:
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


def budget_sleep(wait: float) -> float:
    """Wait ``wait`` seconds (what ``budget_try`` asked for), at most one second at a time so
    the caller looks at the budget again soon. Returns the seconds waited."""
    seconds = min(wait, 1.0)
    BUDGET_WAIT_SECONDS.inc(seconds)
    clock.sleep(seconds)
    return seconds


def budget_monotonic() -> float:
    """Return seconds on the clock's monotonic scale (only differences mean anything): what a
    background loop times its intervals with, so a test's fake clock times them too."""
    return clock.monotonic()


def budget_pause(retry_after: float | None) -> None:
    """Make every caller wait ``retry_after`` seconds (StackOne answered 429)."""
    asked = retry_after if retry_after and retry_after > 0 else DEFAULT_PAUSE_SECONDS
    seconds = min(asked, MAX_PAUSE_SECONDS)
    until = clock.now() + seconds
    BUDGET_PAUSES.inc()
    if (cache.get(_pause_key()) or 0.0) < until:
        cache.set(_pause_key(), until, timeout=int(seconds) + 1)


def budget_reset() -> None:
    """Forget both windows and any pause (tests and benchmarks start from a full budget)."""
    for shape in _shapes():
        for background in (False, True):
            _storage().clear(_window_key(background, shape))
    cache.delete(_pause_key())


def _reset(*, setting: str, **_: object) -> None:
    if setting.startswith("STACKONE_RATE_LIMIT") or setting in ("STACKONE_BACKGROUND_FLOOR",
                                                                "STACKONE_INTERACTIVE_RESERVE"):
        _storage.cache_clear()
        budget_shape.cache_clear()


setting_changed.connect(_reset)
