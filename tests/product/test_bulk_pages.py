"""Bulk pages (issue 25 item 10): a job not started shows no progress ("0 % · saved 0"), a
data-health job has no Line column, recent jobs show readable times; the command line quotes
values as people write them."""

from __future__ import annotations

from django.test import Client

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.handoff import HandoffRow, bulk_job_handoff
from candidates.bulk.jobs import bulk_job_create
from candidates.models import BulkJob, BulkRow
from tests.bulk.test_preview import csv_bytes
from tests.conftest import BASE_URL

ACCOUNT = "acc-1"


def _ready_job(*, from_health: bool = False) -> BulkJob:
    if from_health:
        job = bulk_job_handoff(user=None, account_id=ACCOUNT, label="Data health: phone_format",
                               rows=[HandoffRow("c-1", {"title": "Engineer"})])
    else:
        parsed = bulk_csv_parse(csv_bytes(["id", "title"], [["c-1", "Engineer"]]))
        job = bulk_job_create(user=None, account_id=ACCOUNT, filename="titles.csv", parsed=parsed)
    job.rows.update(baseline={"id": "c-1", "title": "Analyst"}, body={"title": "Engineer"},
                    status=BulkRow.Status.PENDING)
    job.status = BulkJob.Status.READY
    job.save()
    return job


def test_a_job_not_started_shows_no_progress(db: None, ops_client: Client) -> None:
    job = _ready_job()
    page = ops_client.get(f"/bulk/jobs/{job.pk}/").content.decode()
    assert "Not started: nothing has been sent." in page
    assert "<progress" not in page and "saved <span" not in page
    assert "Start: send 1 row" in page
    # A file's rows have their line.
    assert '<th scope="col">Line</th>' in page and '<td class="row-line">2</td>' in page


def test_a_data_health_job_has_no_line_column(db: None, ops_client: Client) -> None:
    job = _ready_job(from_health=True)
    assert job.from_file is False
    page = ops_client.get(f"/bulk/jobs/{job.pk}/").content.decode()
    assert '<th scope="col">Line</th>' not in page and "row-line" not in page
    assert '<th scope="col">Candidate</th>' in page


def test_recent_jobs_show_readable_times(db: None, ops_client: Client, stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts", json=[])
    job = _ready_job()
    page = ops_client.get("/bulk/").content.decode()
    stamp = job.created_at
    assert f'<time datetime="{stamp.strftime("%Y-%m-%dT%H:%M:%S")}' in page
    assert f"{stamp.day} {stamp:%b %Y, %H:%M} UTC</time>" in page  # the reader's zone once the script runs
    assert f'>{stamp:%Y-%m-%d %H:%M}<' not in page
