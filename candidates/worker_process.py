"""A worker process that others can take over from: ``manage.py worker`` runs django-tasks-db's
worker loop (``worker_build``) beside a heartbeat (``WorkerBeat``, every few seconds), and
the periodic recovery (``worker_recover_task``, queued by the scheduler) hands the tasks of a
worker silent for ``WORKER_TAKEOVER_SECONDS`` back to the queue, where another live worker takes
them: a bulk job run again resumes as Resume does (rows left ``sending`` become ``unknown``, never
resent). A task lost this way ``MAX_CLAIMS`` times fails instead (it may be what kills workers).

On SIGTERM the process stops taking tasks; the task running hands its work back and returns
(``worker_stopping``); the process then removes its heartbeat and exits.

Only workers that beat are judged: a plain ``manage.py db_worker`` writes no heartbeat, so its
running tasks are never taken from it (docs/operations/workers.md).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus, task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from candidates.models import WorkerBeat

logger = logging.getLogger(__name__)
BEAT_SECONDS = 5.0
MAX_CLAIMS = 3
LOST = "candidates.worker_process.WorkerLost"


class _Worker(Worker):
    """django-tasks-db's worker loop; a stop signal (SIGTERM, SIGINT) also tells the task running
    to hand its work back (``worker_stopping``) before db_worker's own handling: stop after the
    current task, or at once when idle; a second signal ends the process."""

    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        _stopping.set()
        super().shutdown(signum, frame)


def worker_build(*, worker_id: str, interval: float, batch: bool = False) -> Any:
    """Return django-tasks-db's worker (the loop behind ``manage.py db_worker``) for the default
    queue and backend: ``run()`` loops until ``running`` is set False (``batch``: until the queue
    is empty), polling every ``interval`` seconds. Its ``Worker`` is internal and takes nine
    keyword arguments, so a change in a new release is fixed here once."""
    return _Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                   startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])


_stopping = threading.Event()


def worker_stopping() -> bool:
    """Return True once this worker process was asked to stop (SIGTERM, Ctrl+C): a long task
    (a bulk job's run) stops taking work, finishes what is in flight, hands the rest back to the
    queue and returns, so the process exits within seconds and another worker goes on."""
    return _stopping.is_set()


def worker_id_new() -> str:
    """Return a new worker id: host, process and a random part (at most 64 characters)."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


def worker_beat(worker_id: str) -> None:
    """Record that ``worker_id`` (this process) is alive now."""
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "beat_at": timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()})


def worker_beat_run(worker_id: str, stop: threading.Event) -> None:
    """Beat for ``worker_id`` every ``BEAT_SECONDS`` (four times per ``WORKER_TAKEOVER_SECONDS``
    at least, so a live worker never looks lost) until ``stop`` is set, then remove its row (a
    worker that stopped cleanly is not lost). A failed beat is logged and the loop goes on."""
    interval = min(BEAT_SECONDS, settings.WORKER_TAKEOVER_SECONDS / 4)
    try:
        while True:
            try:
                worker_beat(worker_id)
            except Exception:  # a database restart must not end the heartbeat for good
                logger.exception("worker heartbeat failed")
            finally:
                close_old_connections()
            if stop.wait(interval):
                break
        WorkerBeat.objects.filter(worker_id=worker_id).delete()
    finally:
        connections.close_all()  # this thread's connections: none may outlive it


def worker_process_run(*, worker_id: str = "", interval: float = 1.0) -> None:
    """Run this process as a worker until SIGTERM or SIGINT (see the module's docstring), beating
    meanwhile. Returns once the task running, if any, has handed its work back."""
    worker = worker_build(worker_id=worker_id or worker_id_new(), interval=interval)
    worker_beat(worker.worker_id)  # before any task: a worker killed at once is known to be lost
    stop = threading.Event()
    beat = threading.Thread(target=worker_beat_run, args=(worker.worker_id, stop), name="worker-beat",
                            daemon=True)
    beat.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        stop.set()
        beat.join(timeout=10)


def worker_recover_seconds() -> float:
    """Return how often the recovery runs: a quarter of ``WORKER_TAKEOVER_SECONDS`` (at least 5 s),
    so a lost worker's tasks are back on the queue within 1.25 × that."""
    return max(5.0, settings.WORKER_TAKEOVER_SECONDS / 4)


def worker_recover(now: datetime | None = None) -> list[str]:
    """Hand the running tasks of every lost worker (no heartbeat for ``WORKER_TAKEOVER_SECONDS``)
    back to the queue, or fail those lost ``MAX_CLAIMS`` times, and forget the lost workers.
    Returns the ids of the task results handled."""
    lost_before = (now or timezone.now()) - timedelta(seconds=settings.WORKER_TAKEOVER_SECONDS)
    lost = set(WorkerBeat.objects.filter(beat_at__lt=lost_before).values_list("worker_id", flat=True))
    if not lost:
        return []
    handled = [str(result.pk) for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
               if result.worker_ids and result.worker_ids[-1] in lost and _hand_back(result)]
    WorkerBeat.objects.filter(worker_id__in=lost, beat_at__lt=lost_before).delete()
    return handled


def _hand_back(result: DBTaskResult) -> bool:
    """Put ``result`` back on the queue (or fail it after ``MAX_CLAIMS`` lost workers), unless
    it changed meanwhile. Returns True when it was handled here."""
    claim = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING,
                                        started_at=result.started_at)
    with transaction.atomic():
        if len(result.worker_ids) >= MAX_CLAIMS:
            done = claim.update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(), exception_class_path=LOST,
                traceback=f"Its worker stopped reporting {len(result.worker_ids)} times "
                          f"(workers {', '.join(result.worker_ids)}); not queued again.")
        else:
            done = claim.update(status=TaskResultStatus.READY, started_at=None)
    if done:
        logger.warning("worker %s was lost: task %s (%s) %s", result.worker_ids[-1], result.pk,
                       result.task_path, "failed" if len(result.worker_ids) >= MAX_CLAIMS else "queued again")
    return bool(done)


@task(priority=50)
def worker_recover_task() -> None:
    """Background, queued by the scheduler (before the other tasks waiting): the recovery."""
    worker_recover()
