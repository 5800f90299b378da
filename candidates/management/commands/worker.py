"""``manage.py worker``: a worker process. django-tasks-db's ``db_worker`` loop (the default queue)
with a heartbeat, so that if this process dies another worker takes its tasks over within
``WORKER_TAKEOVER_SECONDS`` × 1.25; and on SIGTERM (or Ctrl+C) the task running hands its work
back to the queue, so the process exits within seconds and another worker goes on. A second
signal ends it at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from candidates.worker_process import worker_process_run


class Command(BaseCommand):
    help = ("Run a worker: the queued tasks (bulk jobs, syncs, the scheduler's periodic tasks), with a "
            "heartbeat so that another worker takes over if this one dies.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between looks at an empty queue (default 1).")
        parser.add_argument("--worker-id", default="", help="This worker's id, unique across the workers "
                            "(default: host, process id and a random part).")

    def handle(self, *args: Any, **options: Any) -> None:
        if len(options["worker_id"]) > 64:
            raise CommandError("--worker-id: at most 64 characters.")
        self.stdout.write("Worker started (SIGTERM or Ctrl+C: hand the running task back and stop).")
        worker_process_run(worker_id=options["worker_id"], interval=options["interval"])
        self.stdout.write("Worker stopped.")
