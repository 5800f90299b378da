"""An upload is read by the background task, not in the request (issue 19, part 5): the request
checks the size and the header and stores the file; the task reads the rows, reporting its
progress, then previews; a file the task cannot read ends ``unreadable`` with the reason."""

from __future__ import annotations

from django.test import Client

from candidates.bulk import jobs
from candidates.bulk.jobs import bulk_job_progress, bulk_parse_run
from candidates.models import BulkJob
from tests.bulk.conftest import csv_bytes
from tests.bulk.test_views import text_of, upload


def test_the_request_stores_the_file_and_reads_no_row(ops_client: Client) -> None:
    data = csv_bytes(["id", "title"], [[f"c-{n}", "Engineer"] for n in range(450)])
    response = upload(ops_client, data)
    job = BulkJob.objects.get()
    assert response.status_code == 302
    assert (job.status, bytes(job.upload or b""), job.file_lines, job.rows.count()) == (
        "parsing", data, 450, 0
    )
    progress = bulk_job_progress(job)
    assert (progress.percent, progress.parsed, progress.file_lines) == (0, 0, 450)


def test_a_file_too_large_or_with_an_unknown_column_is_refused_beside_the_field(ops_client: Client) -> None:
    too_large = b"id,title\n" + b"c-1,Engineer\n" * (21 * 1024 * 1024 // 13)
    assert "The file is larger than 20 MB." in text_of(upload(ops_client, too_large))
    page = text_of(upload(ops_client, b"id,titel\nc-1,Engineer\n"))
    assert "Column B (titel): unknown column." in page
    assert not BulkJob.objects.exists()


def test_the_task_reports_its_progress_and_a_second_reading_stores_nothing(
        ops_client: Client, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "bulk_preview_run", lambda job_id: BulkJob.objects.get(pk=job_id))
    upload(ops_client, csv_bytes(["id", "title"], [[f"c-{n}", "Engineer"] for n in range(450)]))
    job = BulkJob.objects.get()
    seen: list[int] = []  # the job's parsed_rows each time the reader reports
    real_parse = jobs.bulk_csv_parse

    def watched_parse(data, *, definitions, on_progress, account_id):
        def watched(rows: int, lines: int) -> None:
            on_progress(rows, lines)
            seen.append(bulk_job_progress(BulkJob.objects.get(pk=job.pk)).parsed)
        return real_parse(data, definitions=definitions, on_progress=watched, account_id=account_id)

    monkeypatch.setattr(jobs, "bulk_csv_parse", watched_parse)
    bulk_parse_run(job_id=job.pk)
    job.refresh_from_db()
    assert seen == [200, 400]
    assert (job.status, job.parsed_rows, job.upload, job.rows.count()) == ("previewing", 450, None, 450)
    # A second reading of the same file (a Resume while the first was slow) that finishes after the
    # first one stored its rows stores nothing.
    BulkJob.objects.filter(pk=job.pk).update(status="parsing", upload=b"id,title\nc-1,x\n")

    def overtaken(data, *, definitions, on_progress, account_id):
        parsed = real_parse(data, definitions=definitions, on_progress=on_progress, account_id=account_id)
        BulkJob.objects.filter(pk=job.pk).update(status="previewing")  # the other reading won
        return parsed

    monkeypatch.setattr(jobs, "bulk_csv_parse", overtaken)
    bulk_parse_run(job_id=job.pk)
    assert job.rows.count() == 450
    assert not job.rows.filter(candidate_id="c-1", line=2, values={"title": "x"}).exists()


def test_a_file_the_task_cannot_read_ends_unreadable_with_the_reason(ops_client: Client) -> None:
    upload(ops_client, b"id,title\n" + b"c-1,Engineer\n" * 10_001)
    job = BulkJob.objects.get()
    bulk_parse_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.upload, job.rows.count()) == ("unreadable", None, 0)
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "The file could not be read; nothing was created. The file has more than 10,000 rows" in page
