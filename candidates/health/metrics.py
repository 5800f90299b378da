"""Data health as Prometheus reads it at scrape time (registered in ``HealthConfig.ready``): the
stored findings per check and linked account (the per-candidate checks; the cross-candidate ones,
duplicates and company spellings, are computed when the page asks)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric

from candidates.health.models import HealthFinding
from candidates.metrics import PREFIX


class HealthCollector:
    def collect(self) -> Iterator[Metric]:
        findings = GaugeMetricFamily(PREFIX + "health_findings", "Data-health findings by check and account.",
                                     labels=["account_id", "check"])
        for account_id, check, count in (HealthFinding.objects.values_list("account_id", "check_name")
                                         .annotate(n=Count("id")).order_by("account_id", "check_name")):
            findings.add_metric([account_id, check], count)
        yield findings
