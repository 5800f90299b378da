"""The background runtime: periodic work a wing registers runs on the scheduler beside the
embedded worker, at once and then every interval; an interval of 0 runs nothing."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from candidates import worker


@pytest.fixture
def registry() -> Iterator[None]:
    saved = dict(worker._periodic)
    worker._periodic.clear()
    yield
    worker.scheduler_stop()
    worker._periodic.clear()
    worker._periodic.update(saved)


def test_registered_work_runs_at_once_on_the_scheduler_and_stops_with_it(registry: None) -> None:
    ran = threading.Event()
    threads: list[str] = []

    def tick() -> None:
        threads.append(threading.current_thread().name)
        ran.set()

    worker.periodic_register(name="tick", seconds=lambda: 3600, run=tick)
    worker.scheduler_ensure()
    assert ran.wait(5)
    assert threads == ["scheduler"]
    worker.scheduler_stop()
    assert not worker.scheduler_running()


def test_work_that_fails_is_logged_and_the_scheduler_goes_on(registry: None,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    second = threading.Event()
    calls: list[int] = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("one bad tick")
        second.set()

    worker.periodic_register(name="flaky", seconds=lambda: 0.05, run=flaky)
    worker.scheduler_ensure()
    assert second.wait(5)
    assert any(record.getMessage() == "periodic flaky failed" for record in caplog.records)


def test_no_scheduler_starts_when_every_interval_is_zero(registry: None) -> None:
    worker.periodic_register(name="off", seconds=lambda: 0, run=lambda: None)
    worker.scheduler_ensure()
    assert not worker.scheduler_running()
