"""The one place that builds ``django_tasks_db``'s worker (the loop behind ``manage.py
db_worker``): its ``Worker`` is internal and takes nine keyword arguments, so a change in a
new release of django-tasks-db is fixed here once."""

from __future__ import annotations

from typing import Any


def worker_build(*, worker_id: str, interval: float, batch: bool = False) -> Any:
    """Return a worker for the default queue and backend: ``run()`` loops until ``running`` is
    set False (``batch``: until the queue is empty), polling every ``interval`` seconds."""
    from django_tasks_db.management.commands.db_worker import Worker  # loads models: not at import

    return Worker(queue_names=["default"], interval=interval, batch=batch, backend_name="default",
                  startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
