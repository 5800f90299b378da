"""Who may read ``/metrics``: nobody unless ``METRICS_TOKEN`` is set; then only the bearer of
the token, or a scraper connecting straight from an address in ``METRICS_ALLOW``. A signed-in
session alone is never enough."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.operations.conftest import TOKEN, scrape

ROOT = Path(__file__).resolve().parents[2]


def test_it_is_not_there_unless_a_token_is_set(client: Client, db: None, settings) -> None:
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = ["127.0.0.1"]
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 404
    assert b"stackone_admin_" not in response.content


@pytest.mark.parametrize("authorization", [None, "Bearer", "Bearer wrong-token", f"Basic {TOKEN}",
                                           f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}"])
def test_it_refuses_a_request_without_the_token(client: Client, db: None, metrics_on: str,
                                                authorization: str | None) -> None:
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert b"stackone_admin_" not in response.content


def test_a_signed_in_superuser_without_the_token_is_refused(client: Client, db: None,
                                                            metrics_on: str) -> None:
    client.force_login(User.objects.create_superuser("root", password="pw-for-tests-1"))
    response = client.get("/metrics")
    assert response.status_code == 401
    assert b"stackone_admin_" not in response.content


def test_the_token_reads_the_metrics_in_prometheus_text_format(client: Client, db: None,
                                                               metrics_on: str) -> None:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    # Ours beside django-prometheus's own request metrics.
    assert "# TYPE stackone_admin_stackone_requests_total counter" in text
    assert "# TYPE django_http_requests_total_by_method_total counter" in text
    assert 'stackone_admin_collector_up{collector="directory"} 1.0' in text


def test_it_answers_openmetrics_when_prometheus_asks_for_it(client: Client, db: None,
                                                            metrics_on: str) -> None:
    accept = "application/openmetrics-text;version=1.0.0;q=0.6,text/plain;version=0.0.4;q=0.3,*/*;q=0.1"
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_ACCEPT=accept)
    assert response["Content-Type"].startswith("application/openmetrics-text; version=1.0.0")
    assert response.content.decode().endswith("# EOF\n")


def test_it_answers_a_scrape_addressed_to_the_instance_by_ip(client: Client, db: None,
                                                             metrics_on: str) -> None:
    # Prometheus names each instance by address: a Host outside ALLOWED_HOSTS.
    response = client.get("/metrics", HTTP_HOST="10.1.2.3:8000", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200


def test_an_allowed_address_needs_no_token_when_it_connects_directly(client: Client, db: None,
                                                                     metrics_on: str, settings) -> None:
    settings.METRICS_ALLOW = ["10.9.0.0/16", "127.0.0.1"]
    assert client.get("/metrics").status_code == 200  # the test client's REMOTE_ADDR is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="10.9.8.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.10.0.1").status_code == 401
    # Through a proxy the address seen is the proxy's, shared by everyone behind it: not enough.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="10.9.8.7").status_code == 401
    assert client.get("/metrics", HTTP_X_REAL_IP="127.0.0.1").status_code == 401


def test_it_only_reads(client: Client, db: None, metrics_on: str) -> None:
    assert client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 405


def test_a_collector_that_fails_is_left_out_and_says_so(client: Client, db: None, metrics_on: str,
                                                         monkeypatch) -> None:
    from candidates.health.metrics import HealthCollector

    def broken(self: HealthCollector) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(HealthCollector, "collect", broken)
    samples = scrape(client)
    assert samples[("stackone_admin_collector_up", (("collector", "health"),))] == 0
    assert samples[("stackone_admin_collector_up", (("collector", "directory"),))] == 1
    assert not any(name == "stackone_admin_health_findings" for name, _ in samples)


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("METRICS_TOKEN", "short", "METRICS_TOKEN is too short to be a secret"),
    ("METRICS_ALLOW", "10.0.0.0/8,not-an-address", "METRICS_ALLOW: 'not-an-address' does not appear"),
    ("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/metrics",
     "PROMETHEUS_MULTIPROC_DIR /nonexistent/metrics is not"),
    ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of text, json, not 'xml'"),
])
def test_a_bad_setting_stops_the_start(variable: str, value: str, says: str, tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stackone_admin.settings_test", variable: value,
           "SANDBOX_KEY_FILE": str(tmp_path / "key")}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and says in result.stderr
