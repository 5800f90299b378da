"""Under gunicorn with several workers, and with ``db_worker`` beside them, every process counts
into ``PROMETHEUS_MULTIPROC_DIR`` and one scrape, by whichever worker, adds them all up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

from tests.operations.conftest import scrape, value

ROOT = Path(__file__).resolve().parents[2]
# A process of the app (as gunicorn's workers and db_worker are: Django set up from the settings)
# saving ``n`` bulk rows and making ``n`` StackOne calls, as counted by the app's own code.
PROCESS = """
import sys, django
django.setup()
from candidates.metrics import save_observed, stackone_call_observed
n = int(sys.argv[1])
for _ in range(n):
    save_observed(source="bulk", outcome="saved")
    stackone_call_observed(operation="candidate_update", status="200", seconds=0.2, retried=[429])
"""


def _process(directory: Path, rows: int, tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stackone_admin.settings_test",
           "PROMETHEUS_MULTIPROC_DIR": str(directory), "SANDBOX_KEY_FILE": str(tmp_path / "key")}
    subprocess.run([sys.executable, "-c", PROCESS, str(rows)], cwd=ROOT, env=env, check=True, timeout=60)


def test_one_scrape_adds_up_every_process_on_the_host(client: Client, db: None, metrics_on: str, settings,
                                                      tmp_path: Path) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    _process(directory, 3, tmp_path)  # a gunicorn worker, say
    _process(directory, 4, tmp_path)  # and db_worker
    assert len(list(directory.glob("counter_*.db"))) == 2  # one file per process
    settings.PROMETHEUS_MULTIPROC_DIR = str(directory)
    samples = scrape(client)
    assert value(samples, "stackone_admin_saves_total", source="bulk", outcome="saved") == 7
    assert value(samples, "stackone_admin_stackone_requests_total", operation="candidate_update",
                 status="200") == 7
    assert value(samples, "stackone_admin_stackone_rate_limited_total", operation="candidate_update") == 7
    assert value(samples, "stackone_admin_stackone_request_duration_seconds_count",
                 operation="candidate_update") == 7
    assert value(samples, "stackone_admin_stackone_request_duration_seconds_bucket",
                 operation="candidate_update", le="0.25") == 7
    # The state read from the database is there too, once.
    assert value(samples, "stackone_admin_collector_up", collector="directory") == 1


def test_an_empty_variable_means_one_process_not_files_in_the_working_directory(tmp_path: Path) -> None:
    # As a .env copied from .env.example leaves it: present, empty.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stackone_admin.settings_test",
           "PROMETHEUS_MULTIPROC_DIR": "", "SANDBOX_KEY_FILE": str(tmp_path / "key"), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", PROCESS, "2"], cwd=tmp_path, env=env, check=True, timeout=60)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["key"]

