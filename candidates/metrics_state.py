"""The core's state as Prometheus reads it at scrape time (registered in ``CandidatesConfig.ready``):
the shared StackOne budget and the task queue the background workers serve."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Min
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from candidates.budget import budget_usage
from candidates.metrics import PREFIX


class BudgetCollector:
    """The budget as it stands: calls left in the window, its size, a pause after a 429.

    With Redis (``STACKONE_RATE_LIMIT_STORAGE``) that is the one budget every worker shares;
    with ``memory://`` it is the scraped process's own."""

    def collect(self) -> Iterator[Metric]:
        usage = budget_usage()
        yield GaugeMetricFamily(PREFIX + "budget_remaining", "StackOne calls left in the budget's window.",
                                value=max(usage.shape.limit - usage.interactive - usage.background, 0))
        yield GaugeMetricFamily(PREFIX + "budget_limit", "StackOne calls the budget allows per window.",
                                value=usage.shape.limit)
        yield GaugeMetricFamily(PREFIX + "budget_paused_seconds",
                                "Seconds every caller still waits after a 429 (0: none).",
                                value=usage.paused)


class TaskQueueCollector:
    """The background queue (bulk previews and runs, directory syncs): tasks waiting and
    running, and how long the oldest has waited, which grows when no worker is serving."""

    def collect(self) -> Iterator[Metric]:
        waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
        counts = dict(DBTaskResult.objects.filter(status__in=waiting).values_list("status")
                      .annotate(n=Count("id")).order_by())
        tasks = GaugeMetricFamily(PREFIX + "tasks", "Background tasks by status (ready: awaiting a worker).",
                                  labels=["status"])
        for status in waiting:
            tasks.add_metric([status.lower()], counts.get(status, 0))
        yield tasks
        # A task is due from when it was queued (none of ours is queued to run later).
        oldest = DBTaskResult.objects.ready().aggregate(at=Min("enqueued_at"))["at"]
        yield GaugeMetricFamily(PREFIX + "tasks_oldest_ready_seconds",
                                "Seconds the oldest task due has waited for a worker (0: none waits).",
                                value=(timezone.now() - oldest).total_seconds() if oldest else 0.0)
