"""The scheduler: periodic work a wing registers is queued once per interval as a task for the
workers, however many schedulers run (one per host is safe); the embedded one runs beside the
embedded worker; `manage.py scheduler` is the production process."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from candidates import worker
from candidates.models import ScheduleTick

pytestmark = pytest.mark.django_db
HOUR = 3600.0


@task()
def tick_task() -> None:
    """What the tests' periodic work queues."""


@pytest.fixture
def registry() -> Iterator[None]:
    saved, claimed = dict(worker._periodic), dict(worker._claimed)
    worker._periodic.clear()
    worker._claimed.clear()
    yield
    worker.scheduler_stop()
    worker._periodic.clear()
    worker._periodic.update(saved)
    worker._claimed.clear()
    worker._claimed.update(claimed)


def queued() -> int:
    return DBTaskResult.objects.filter(task_path=tick_task.module_path).count()


def test_two_schedulers_queue_an_interval_once(registry: None) -> None:
    worker.periodic_register(name="tick", seconds=lambda: HOUR, task=tick_task)
    assert worker.scheduler_tick(now=10 * HOUR + 5) == ["tick"]
    worker._claimed.clear()  # another host: it knows nothing of this process's ticks
    assert worker.scheduler_tick(now=10 * HOUR + 7) == []
    assert queued() == 1
    assert list(ScheduleTick.objects.values_list("name", "slot")) == [("tick", 10)]
    assert worker.scheduler_tick(now=11 * HOUR) == ["tick"]  # the next interval
    assert queued() == 2


def test_an_interval_of_zero_queues_nothing_and_starts_no_thread(registry: None) -> None:
    worker.periodic_register(name="off", seconds=lambda: 0, task=tick_task)
    assert worker.scheduler_tick() == []
    worker.scheduler_ensure()
    assert not worker.scheduler_running()


def test_the_command_ticks_once_and_says_what_it_queued(registry: None) -> None:
    worker.periodic_register(name="tick", seconds=lambda: HOUR, task=tick_task)
    out = io.StringIO()
    call_command("scheduler", "--once", stdout=out)
    worker._claimed.clear()
    call_command("scheduler", "--once", stdout=out)
    assert out.getvalue().splitlines() == ["Queued: tick.", "Nothing due (or another scheduler queued it)."]
    assert queued() == 1


class FlakyTask:
    """A task whose first enqueue fails (the database went away), then works."""

    def __init__(self) -> None:
        self.calls = 0
        self.second = threading.Event()

    def enqueue(self) -> Any:
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("one bad tick")
        self.second.set()


@pytest.mark.django_db(transaction=True)
def test_a_failed_tick_is_logged_and_the_scheduler_goes_on(registry: None,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    flaky = FlakyTask()
    worker.periodic_register(name="flaky", seconds=lambda: 0.05, task=flaky)
    worker.scheduler_ensure()
    assert flaky.second.wait(10)
    assert worker.scheduler_running()
    assert any(record.getMessage() == "scheduler tick failed" for record in caplog.records)


def test_the_worker_never_starts_another_from_its_own_thread(registry: None, settings) -> None:
    """A task that queues another (the scheduler's tick queues syncs) runs on the worker already;
    a worker being stopped must not start its successor as its last task ends."""
    settings.BULK_INPROCESS_WORKER = True
    inside = threading.Thread(target=worker.inprocess_worker_ensure, name=worker.WORKER_THREAD)
    inside.start()
    inside.join(10)
    assert worker._worker_thread is None and not worker.scheduler_running()
