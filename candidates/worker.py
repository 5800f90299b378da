"""The background runtime: the embedded worker (the task framework's database queue, run inside
the web process when ``BULK_INPROCESS_WORKER``) and the periodic scheduler that runs beside it.

Wings never start threads of their own: they queue tasks and call ``inprocess_worker_ensure``,
and a wing with periodic work registers it here from its ``AppConfig.ready`` with
``periodic_register`` (the directory's incremental sync and retention). So this module knows no
wing, and every wing starts the same worker the same way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """Work the scheduler runs every ``seconds()`` seconds (0 or less: never)."""

    name: str
    seconds: Callable[[], float]
    run: Callable[[], object]


_periodic: dict[str, Periodic] = {}


def periodic_register(*, name: str, seconds: Callable[[], float], run: Callable[[], object]) -> None:
    """Register (or replace) periodic work under ``name``; ``seconds`` is read at each tick, so a
    setting changed in a test takes effect."""
    _periodic[name] = Periodic(name=name, seconds=seconds, run=run)


def worker_build(*, worker_id: str, interval: float, batch: bool = False) -> Any:
    """Return django-tasks-db's worker (the loop behind ``manage.py db_worker``) for the default
    queue and backend: ``run()`` loops until ``running`` is set False (``batch``: until the queue
    is empty), polling every ``interval`` seconds. Its ``Worker`` is internal and takes nine
    keyword arguments, so a change in a new release is fixed here once."""
    # Imported when a worker is built, not at import: the command module loads models, and this
    # module is imported while apps load (AppConfig.ready). Not a cycle.
    from django_tasks_db.management.commands.db_worker import Worker  # noqa: PLC0415

    return Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])


def run_queued_tasks() -> None:
    """Run every queued task now, in this thread, with db_worker's own loop (``--batch``)."""
    worker_build(worker_id="batch", interval=0, batch=True).run()


_worker_lock = threading.Lock()
_worker_thread: threading.Thread | None = None
_worker: Any = None


def inprocess_worker_ensure() -> None:
    """Start the embedded worker thread once (when ``BULK_INPROCESS_WORKER``), and the scheduler
    beside it: the same loop as ``manage.py db_worker``, inside the web process, so the embedded
    default needs no setup."""
    global _worker_thread, _worker
    if not settings.BULK_INPROCESS_WORKER:
        return
    with _worker_lock:
        if _worker_thread is not None and _worker_thread.is_alive():
            return
        worker = worker_build(worker_id=f"inprocess-{threading.get_ident()}", interval=0.5)
        _worker_thread = threading.Thread(target=worker.run, name="inprocess-worker", daemon=True)
        _worker = worker
        _worker_thread.start()
    scheduler_ensure()


def inprocess_worker_stop(timeout: float = 30.0) -> None:
    """Stop the scheduler and the embedded worker after its current task (returns once both
    have stopped)."""
    global _worker_thread, _worker
    with _worker_lock:
        thread, worker = _worker_thread, _worker
        _worker_thread = _worker = None
    scheduler_stop()
    if worker is not None:
        worker.running = False  # the loop checks this between tasks and after each sleep
    if thread is not None:
        thread.join(timeout)


# -- the scheduler -------------------------------------------------------------------------------

SCHEDULER_IDLE_SECONDS = 60.0  # how often a scheduler with nothing due looks again
_scheduler_lock = threading.Lock()
_scheduler_stop = threading.Event()
_scheduler_thread: threading.Thread | None = None


def _due(now: float, last: dict[str, float]) -> list[Periodic]:
    due = []
    for work in _periodic.values():
        seconds = work.seconds()
        if seconds > 0 and now - last.get(work.name, float("-inf")) >= seconds:
            due.append(work)
    return due


def scheduler_ensure() -> None:
    """Start the scheduler thread once, unless no registered work is enabled (every interval
    0 or less)."""
    global _scheduler_thread
    if not any(work.seconds() > 0 for work in _periodic.values()):
        return
    with _scheduler_lock:
        if _scheduler_thread is not None and _scheduler_thread.is_alive():
            return
        _scheduler_stop.clear()
        _scheduler_thread = threading.Thread(target=_scheduler_loop, name="scheduler", daemon=True)
        _scheduler_thread.start()


def scheduler_running() -> bool:
    """Return True while the scheduler thread runs."""
    return _scheduler_thread is not None and _scheduler_thread.is_alive()


def scheduler_stop(timeout: float = 10.0) -> None:
    """Stop the scheduler thread (returns once it has stopped)."""
    global _scheduler_thread
    with _scheduler_lock:
        thread, _scheduler_thread = _scheduler_thread, None
    _scheduler_stop.set()
    if thread is not None:
        thread.join(timeout)


def _scheduler_loop() -> None:
    last: dict[str, float] = {}
    try:
        while not _scheduler_stop.is_set():
            now = time.monotonic()
            for work in _due(now, last):
                last[work.name] = now
                try:
                    work.run()
                except Exception:  # the scheduler must outlive one bad tick
                    logger.exception("periodic %s failed", work.name)
                finally:
                    close_old_connections()
            _scheduler_stop.wait(_next_wait(time.monotonic(), last))
    finally:
        connections.close_all()  # this thread's connections: none may outlive it


def _next_wait(now: float, last: dict[str, float]) -> float:
    waits = [last.get(work.name, now) + work.seconds() - now
             for work in _periodic.values() if work.seconds() > 0]
    return max(0.0, min(waits, default=SCHEDULER_IDLE_SECONDS))
