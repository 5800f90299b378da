"""Fixtures of the operations tests: the metrics endpoint switched on and scraped as Prometheus
does, and the app's own logging configuration writing into a buffer."""

from __future__ import annotations

import io
import logging
import logging.config
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from stackone_admin.log_config import logging_config
from tests.bulk.conftest import ops_client, ops_user  # noqa: F401  (fixtures by name)
from tests.e2e.conftest import patch_log  # noqa: F401  (fixtures by name)

TOKEN = "metrics-token-for-tests-0123456789abcdef"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def metrics_on(settings) -> str:
    """``/metrics`` switched on; returns its bearer token."""
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOW = []
    return TOKEN


def scrape(client: Client | None = None) -> Samples:
    """Scrape ``/metrics`` with the token; returns every sample by (name, sorted labels)."""
    response = (client or Client()).get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """Return one sample's value (0 when the series is absent, as for a counter not yet moved)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before: Samples, after: Samples) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Return the ``stackone_admin_*_total`` counters that changed, by how much."""
    keys = {key for key in set(before) | set(after)
            if key[0].startswith("stackone_admin_") and key[0].endswith("_total")}
    return {key: after.get(key, 0.0) - before.get(key, 0.0) for key in keys
            if after.get(key, 0.0) != before.get(key, 0.0)}


@pytest.fixture
def app_logs() -> Iterator[Any]:
    """``configure(level, fmt)`` applies the app's logging configuration (settings' LOGGING, built
    for that level and format) with its one handler writing into a buffer, which it returns.
    The test's settings' LOGGING is applied again afterwards."""

    def configure(level: str = "DEBUG", fmt: str = "json") -> io.StringIO:
        logging.config.dictConfig(logging_config(level=level, fmt=fmt))
        buffer = io.StringIO()
        [handler] = logging.getLogger().handlers
        assert isinstance(handler, logging.StreamHandler)
        handler.setStream(buffer)
        return buffer

    yield configure
    logging.config.dictConfig(django_settings.LOGGING)
