"""The embedded default: with BULK_INPROCESS_WORKER a job runs with no worker command at all,
on a thread of the web process running db_worker's loop."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.models import BulkJob, BulkRow
from candidates.worker import inprocess_worker_stop
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes


@pytest.fixture
def inprocess_worker(settings) -> Iterator[None]:
    settings.BULK_INPROCESS_WORKER = True
    yield
    inprocess_worker_stop()  # no thread may outlive the test and pick up another test's tasks


def _wait_for(job: BulkJob, status: str, seconds: float = 60.0) -> BulkJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stayed {job.status!r}, expected {status!r}")


def test_a_job_previews_and_runs_on_the_embedded_worker(sandbox, inprocess_worker, ops_client) -> None:
    ids = ["c-0002", "c-0003", "c-0004"]
    upload = csv_bytes(["id", "company"], [[cid, f"Embedded {cid}"] for cid in ids])
    response = ops_client.post("/bulk/", {"account_id": ACCOUNT, "file": SimpleUploadedFile("t.csv", upload)})
    job = BulkJob.objects.get()
    assert response.status_code == 302
    _wait_for(job, BulkJob.Status.READY)  # the preview ran on the worker thread
    ops_client.post(f"/bulk/jobs/{job.pk}/start/")
    _wait_for(job, BulkJob.Status.DONE)
    assert set(job.rows.values_list("status", flat=True)) == {BulkRow.Status.SAVED}
    held = {c.candidate_id: c.data.get("company")
            for c in SandboxCandidate.objects.filter(account_id=ACCOUNT, candidate_id__in=ids)}
    assert held == {cid: f"Embedded {cid}" for cid in ids}
