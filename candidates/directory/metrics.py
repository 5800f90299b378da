"""The directory as Prometheus reads it at scrape time (registered in ``DirectoryConfig.ready``):
rows per linked account, each account's sync lag, and whether its latest sync failed."""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.directory.runs import S
from candidates.metrics import PREFIX


class DirectoryCollector:
    def collect(self) -> Iterator[Metric]:
        rows = GaugeMetricFamily(PREFIX + "directory_rows", "Candidates in the directory per linked account.",
                                 labels=["account_id"])
        for account_id, count in (DirectoryEntry.objects.values_list("account_id").annotate(n=Count("id"))
                                  .order_by("account_id")):
            rows.add_metric([account_id], count)
        yield rows
        if not settings.CANDIDATE_DIRECTORY:  # nothing syncs by design: no lag to report
            return
        yield from self._syncs()

    def _syncs(self) -> Iterator[Metric]:
        now = timezone.now()
        runs = (DirectorySync.objects.values("account_id").order_by("account_id")
                .annotate(done=Max("finished_at", filter=Q(status=S.DONE)), first=Min("created_at"),
                          latest=Max("pk")))
        lag = GaugeMetricFamily(
            PREFIX + "directory_sync_lag_seconds",
            "Seconds since the account's last successful sync (none yet: since its first sync was queued).",
            labels=["account_id"])
        latest: dict[int, str] = {}
        for run in runs:
            since = run["done"] or run["first"]
            lag.add_metric([run["account_id"]], max((now - since).total_seconds(), 0.0))
            latest[run["latest"]] = run["account_id"]
        yield lag
        failing = GaugeMetricFamily(
            PREFIX + "directory_sync_failing",
            "1 when the account's latest sync run failed (it resumes at the next sync).",
            labels=["account_id"])
        failed = set(DirectorySync.objects.filter(pk__in=latest, status=S.FAILED)
                     .values_list("pk", flat=True))
        for pk, account_id in sorted(latest.items(), key=lambda item: item[1]):
            failing.add_metric([account_id], 1 if pk in failed else 0)
        yield failing
