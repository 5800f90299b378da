"""A fake clock for the shared StackOne budget (candidates/budget.py): time moves only
when a caller waits on it, so a test that spends the budget asserts exact times, never a bound
on how long the machine took."""

from __future__ import annotations

import math
import threading
import time

import limits.storage.memory
import limits.storage.redis
import pytest

from candidates import budget

STEP = 1 / 64  # every time is a whole number of steps: an exact binary fraction


class FakeClock:
    """``now()`` starts at the real time, to the second (entries a real clock left in the window
    stay valid), and moves only by ``sleep()``, which returns at once, records how long it was
    asked for and moves the time on by that much rounded up to a whole ``STEP``: so the
    window's ``now - 2 s`` is computed without rounding and a grant exactly at a window's edge
    is judged as the budget means it. ``lock`` holds the time still: a caller that reads the
    clock and records what it saw under it is never overtaken by another thread's sleep."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.sleeps: list[float] = []
        self._now = float(int(time.time()))

    def now(self) -> float:
        with self.lock:
            return self._now

    def monotonic(self) -> float:
        """The same time: it never goes back either."""
        return self.now()

    def time(self) -> float:
        """The same time, read the way ``limits``' storages read it (``time.time()``): without
        the lock, since a storage reads it holding its own lock (its expiry timer thread too),
        and a caller holding ``lock`` then waiting for the storage's would deadlock with it. A
        float is read whole; a sleep still cannot move it while ``lock`` is held."""
        return self._now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self._now += math.ceil(seconds / STEP) * STEP


def fake_budget_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Return a fake clock that the budget, its pause and its moving window (the in-memory and
    the Redis storage of ``limits``) all read for the rest of the test."""
    clock = FakeClock()
    monkeypatch.setattr(budget, "clock", clock)
    monkeypatch.setattr(limits.storage.memory, "time", clock)
    monkeypatch.setattr(limits.storage.redis, "time", clock)
    budget.budget_reset()
    return clock
