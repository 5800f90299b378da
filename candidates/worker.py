"""The background runtime: the embedded worker (the task framework's database queue, run inside
the web process when ``BULK_INPROCESS_WORKER``) and the scheduler.

Wings never start threads of their own: they queue tasks and call ``inprocess_worker_ensure``,
and a wing with periodic work registers a task here from its ``AppConfig.ready`` with
``periodic_register`` (the directory's incremental syncs and retention; the core registers the
recovery of lost workers' tasks, ``worker_process``). So this module knows no wing, and every
wing starts the same worker the same way. Every task a worker runs makes its StackOne calls as
background work (``worker_signals_connect``).

The scheduler only queues: each interval, the registered tasks go on the queue and run on the
workers. It runs beside the embedded worker, or as ``manage.py scheduler`` in production, on
every host if wanted: a tick is claimed in the database (``ScheduleTick``), so it runs once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils import timezone
from django_tasks.signals import task_finished, task_started

from candidates.budget import budget_background_begin, budget_background_end
from candidates.models import ScheduleTick
from candidates.worker_process import worker_beat_run, worker_build, worker_id_new

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """A task the scheduler queues once every ``seconds()`` seconds (0 or less: never)."""

    name: str
    seconds: Callable[[], float]
    task: Any  # a django-tasks Task that takes no arguments


_periodic: dict[str, Periodic] = {}


def periodic_register(*, name: str, seconds: Callable[[], float], task: Any) -> None:
    """Register (or replace) periodic work under ``name``: ``task`` is queued once per interval
    of ``seconds()`` seconds, which is read at each tick (a setting changed in a test takes
    effect)."""
    _periodic[name] = Periodic(name=name, seconds=seconds, task=task)


def worker_signals_connect() -> None:
    """Count every StackOne call a task makes as background work, in whichever process runs it
    (``db_worker``, the embedded worker): the task's thread is marked from its start to its end."""
    task_started.connect(_task_started, dispatch_uid="candidates-task-started")
    task_finished.connect(_task_finished, dispatch_uid="candidates-task-finished")


def _task_started(**_: Any) -> None:
    budget_background_begin()


def _task_finished(**_: Any) -> None:
    budget_background_end()


def run_queued_tasks() -> None:
    """Run every queued task now, in this thread, with db_worker's own loop (``--batch``)."""
    worker_build(worker_id="batch", interval=0, batch=True).run()


WORKER_THREAD = "inprocess-worker"
_worker_lock = threading.Lock()
_beat_stop = threading.Event()  # the embedded worker beats too: its tasks are taken over if it dies
_worker_thread: threading.Thread | None = None
_beat_thread: threading.Thread | None = None
_worker: Any = None


def inprocess_worker_ensure() -> None:
    """Start the embedded worker thread once (when ``BULK_INPROCESS_WORKER``), and the scheduler
    beside it: the same loop as ``manage.py db_worker``, inside the web process, so the embedded
    default needs no setup."""
    global _worker_thread, _worker, _beat_thread
    if not settings.BULK_INPROCESS_WORKER or threading.current_thread().name == WORKER_THREAD:
        # (A task that queues another runs on the worker already: it picks that one up too. And a
        # worker being stopped must not start its own successor as its last task ends.)
        return
    with _worker_lock:
        if _worker_thread is not None and _worker_thread.is_alive():
            return
        worker = worker_build(worker_id=f"inprocess-{worker_id_new()}"[:64], interval=0.5)
        _worker_thread = threading.Thread(target=worker.run, name=WORKER_THREAD, daemon=True)
        _worker = worker
        _worker_thread.start()
        _beat_stop.clear()
        _beat_thread = threading.Thread(target=worker_beat_run, args=(worker.worker_id, _beat_stop),
                                        daemon=True, name="inprocess-worker-beat")
        _beat_thread.start()
    scheduler_ensure()


def inprocess_worker_stop(timeout: float = 30.0) -> None:
    """Stop the scheduler and the embedded worker after its current task (returns once both
    have stopped)."""
    global _worker_thread, _worker, _beat_thread
    with _worker_lock:
        thread, worker, beat = _worker_thread, _worker, _beat_thread
        _worker_thread = _worker = _beat_thread = None
    scheduler_stop()
    if worker is not None:
        worker.running = False  # the loop checks this between tasks and after each sleep
    if thread is not None:
        thread.join(timeout)
    _beat_stop.set()
    if beat is not None:
        beat.join(timeout)


# -- the scheduler -------------------------------------------------------------------------------

SCHEDULER_POLL_SECONDS = 60.0  # the longest a scheduler sleeps before it looks again
TICKS_KEPT = timedelta(days=2)
_scheduler_lock = threading.Lock()
_scheduler_stop = threading.Event()
_scheduler_thread: threading.Thread | None = None
_claimed: dict[str, int] = {}  # this process's last known claimed slot per work


def scheduler_tick(now: float | None = None) -> list[str]:
    """Queue every registered task whose current interval no scheduler has claimed yet, and
    return their names. Safe on every host at once: a tick is claimed by inserting its
    ``ScheduleTick`` (unique per name and interval), so one scheduler wins each interval and the
    task runs on the workers."""
    now = time.time() if now is None else now
    queued = []
    for work in list(_periodic.values()):
        seconds = work.seconds()
        if seconds <= 0:
            continue
        slot = int(now // seconds)
        if _claimed.get(work.name) == slot:
            continue
        try:
            with transaction.atomic():  # the claim and the queued task commit together
                ScheduleTick.objects.create(name=work.name, slot=slot, claimed_by=_claimer())
                work.task.enqueue()
        except IntegrityError:
            _claimed[work.name] = slot  # another scheduler won this interval
            continue
        _claimed[work.name] = slot  # (a failure above leaves it unclaimed: tried again next time)
        queued.append(work.name)
        ScheduleTick.objects.filter(claimed_at__lt=timezone.now() - TICKS_KEPT).delete()
    return queued


def scheduler_run(stop: threading.Event) -> None:
    """Tick until ``stop`` is set, sleeping until the next interval starts (at most
    ``SCHEDULER_POLL_SECONDS``). A failed tick is logged and the loop goes on."""
    try:
        while not stop.is_set():
            try:
                for name in scheduler_tick():
                    logger.info("scheduler: queued %s", name)
            except Exception:  # the scheduler must outlive one bad tick (a database restart)
                logger.exception("scheduler tick failed")
            finally:
                close_old_connections()
            stop.wait(_next_wait(time.time()))
    finally:
        connections.close_all()  # this thread's connections: none may outlive it


def _next_wait(now: float) -> float:
    waits = [seconds - now % seconds for work in _periodic.values() if (seconds := work.seconds()) > 0]
    return min([SCHEDULER_POLL_SECONDS, *waits]) + 0.01


def _claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:255]


def scheduler_ensure() -> None:
    """Start the embedded scheduler thread once, unless no registered work is enabled (every
    interval 0 or less)."""
    global _scheduler_thread
    if not any(work.seconds() > 0 for work in _periodic.values()):
        return
    with _scheduler_lock:
        if _scheduler_thread is not None and _scheduler_thread.is_alive():
            return
        _scheduler_stop.clear()
        _scheduler_thread = threading.Thread(target=scheduler_run, args=(_scheduler_stop,), name="scheduler",
                                             daemon=True)
        _scheduler_thread.start()


def scheduler_running() -> bool:
    """Return True while the embedded scheduler thread runs."""
    return _scheduler_thread is not None and _scheduler_thread.is_alive()


def scheduler_stop(timeout: float = 10.0) -> None:
    """Stop the embedded scheduler thread (returns once it has stopped)."""
    global _scheduler_thread
    with _scheduler_lock:
        thread, _scheduler_thread = _scheduler_thread, None
    _scheduler_stop.set()
    if thread is not None:
        thread.join(timeout)
