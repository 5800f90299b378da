"""Bulk jobs as Prometheus reads them at scrape time (registered in ``BulkConfig.ready``): jobs by
status, the stalled ones, and the rows of the jobs not done yet by status. The rows each job
sent are counted as they finish by the write path (``stackone_admin_saves_total{source="bulk"}``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from candidates.bulk.jobs import STALE_AFTER_SECONDS
from candidates.metrics import PREFIX
from candidates.models import BulkJob, BulkRow


class BulkCollector:
    def collect(self) -> Iterator[Metric]:
        counts = dict(BulkJob.objects.values_list("status").annotate(n=Count("id")).order_by())
        jobs = GaugeMetricFamily(PREFIX + "bulk_jobs", "Bulk jobs by status.", labels=["status"])
        for status in BulkJob.Status:
            jobs.add_metric([status.value], counts.get(status, 0))
        yield jobs
        stale_before = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS)
        stalled = (BulkJob.objects.filter(status__in=BulkJob.WORKING_STATUSES)
                   .alias(beat=Coalesce("heartbeat_at", "created_at")).filter(beat__lt=stale_before).count())
        yield GaugeMetricFamily(PREFIX + "bulk_jobs_stalled",
                                f"Bulk jobs whose worker has not reported for {STALE_AFTER_SECONDS} s.",
                                value=stalled)
        # The few jobs not done first: their rows are then read through the (job, status) index,
        # never the rows of every job kept.
        in_hand = list(BulkJob.objects.exclude(status=BulkJob.Status.DONE).values_list("pk", flat=True))
        rows = dict(BulkRow.objects.filter(job_id__in=in_hand).values_list("status")
                    .annotate(n=Count("id")).order_by())
        family = GaugeMetricFamily(PREFIX + "bulk_rows", "Rows of the bulk jobs not done yet, by status.",
                                   labels=["status"])
        for row_status in BulkRow.Status:
            family.add_metric([row_status.value], rows.get(row_status, 0))
        yield family
