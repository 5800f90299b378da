"""``manage.py scheduler``: queue the periodic work (the directory's incremental syncs and
retention, the recovery of lost workers' tasks) on the task queue, for the workers
(``manage.py worker``) to run. Safe to run on every host: each interval is claimed once in the
database. Stops on SIGTERM or Ctrl+C, within a second."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from candidates.worker import scheduler_run, scheduler_tick


class Command(BaseCommand):
    help = "Queue the periodic work (directory syncs, retention) for the workers; one tick per interval."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Tick once and exit (what is due is queued).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            queued = scheduler_tick()
            self.stdout.write(f"Queued: {', '.join(queued)}." if queued else "Nothing due (or another "
                              "scheduler queued it).")
            return
        stop = threading.Event()

        def stopping(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, stopping)
        signal.signal(signal.SIGINT, stopping)
        self.stdout.write("Scheduler started (SIGTERM or Ctrl+C stops it).")
        scheduler_run(stop)
        self.stdout.write("Scheduler stopped.")
