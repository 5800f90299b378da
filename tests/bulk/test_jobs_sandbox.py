"""Bulk jobs end to end against the sandbox over real HTTP: the db_worker loop runs the queued
tasks; injected 429s and 500s; resume after a worker died mid-job; two jobs sharing one budget."""

from __future__ import annotations

import threading

from django.contrib.auth.models import User

from candidates import budget
from candidates.bulk import jobs as bulk_jobs
from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import LOST_MESSAGE, bulk_job_create, bulk_job_run
from candidates.bulk.preview import bulk_preview_run
from candidates.models import AuditEntry, BulkJob, BulkRow
from candidates.worker import run_queued_tasks
from sandbox.faults import reset_stats, set_faults, stats
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.fake_clock import fake_budget_clock


def _title(candidate_id: str) -> str | None:
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id).data.get("title")


def _job(user: User | None, ids: list[str], title: str = "Bulk title", concurrency: int = 4) -> BulkJob:
    parsed = bulk_csv_parse(csv_bytes(["id", "title"], [[cid, f"{title} {cid}"] for cid in ids]))
    return bulk_job_create(user=user, account_id=ACCOUNT, filename="t.csv", parsed=parsed,
                           concurrency=concurrency)


def _ids(first: int, count: int) -> list[str]:
    return [f"c-{n:04d}" for n in range(first, first + count)]


def test_it_runs_a_job_through_the_queue_and_resends_429s_after_the_pause(
        sandbox, ops_client, ops_user, patch_log):
    upload = csv_bytes(["id", "title", "company"], [[cid, f"Engineer {cid}", ""] for cid in _ids(2, 12)])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = ops_client.post("/bulk/", {"account_id": ACCOUNT, "file": SimpleUploadedFile("t.csv", upload)})
    job = BulkJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/jobs/{job.pk}/"
    run_queued_tasks()  # the preview task
    job.refresh_from_db()
    assert job.status == BulkJob.Status.READY
    assert job.rows.filter(status=BulkRow.Status.PENDING).count() == 12
    # Two PATCHes answered 429 (Retry-After 1), then three answered 500.
    set_faults(fail_status=429, fail_count=2, fail_methods=["PATCH"], retry_after_seconds=1)
    ops_client.post(f"/bulk/jobs/{job.pk}/start/")
    run_queued_tasks()  # the run task: the 429s resend after the pause
    job.refresh_from_db()
    assert job.status == BulkJob.Status.DONE
    assert set(job.rows.values_list("status", flat=True)) == {BulkRow.Status.SAVED}
    assert stats()["by_status"]["429"] == 2
    assert sorted(body["title"] for body in patch_log.bodies) == sorted(f"Engineer {c}" for c in _ids(2, 12))
    assert all(set(body) == {"title"} for body in patch_log.bodies)
    assert _title("c-0005") == "Engineer c-0005"
    row = job.rows.get(candidate_id="c-0005")
    assert row.returned_id == "c-0005" and row.returned_remote_id
    entries = AuditEntry.objects.filter(source="bulk", outcome=AuditEntry.Outcome.SAVED)
    assert entries.count() == 12 and {e.username for e in entries} == {"ops"}
    rejected = AuditEntry.objects.filter(source="bulk", outcome=AuditEntry.Outcome.REJECTED, status_code=429)
    assert rejected.count() == 2


def test_it_marks_a_500_on_patch_unknown_and_never_resends_it(sandbox, ops_user, patch_log):
    job = _job(ops_user, _ids(2, 6), concurrency=1)
    bulk_preview_run(job_id=job.pk)
    set_faults(fail_status=500, fail_count=2, fail_methods=["PATCH"])
    bulk_job_run(job_id=job.pk)
    statuses = list(job.rows.order_by("line").values_list("status", flat=True))
    assert statuses == ["unknown", "unknown", "saved", "saved", "saved", "saved"]
    unknown = job.rows.filter(status=BulkRow.Status.UNKNOWN).first()
    assert unknown.http_status == 500 and "may or may not have been saved" in unknown.message
    assert stats()["by_method"]["PATCH"] == 6  # the two 500s were not sent again
    assert AuditEntry.objects.filter(source="bulk", outcome=AuditEntry.Outcome.UNKNOWN).count() == 2


def test_it_resumes_after_a_worker_crash_without_resending(sandbox, ops_user, patch_log):
    job = _job(ops_user, _ids(2, 5), concurrency=2)
    bulk_preview_run(job_id=job.pk)
    rows = list(job.rows.order_by("line"))
    # What a worker killed mid-job leaves: one row saved, one in flight, three pending.
    BulkRow.objects.filter(pk=rows[0].pk).update(status=BulkRow.Status.SAVED, message="Record updated")
    BulkRow.objects.filter(pk=rows[1].pk).update(status=BulkRow.Status.SENDING)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.RUNNING)
    bulk_job_run(job_id=job.pk)
    by_id = {row.candidate_id: row for row in job.rows.all()}
    assert by_id["c-0002"].status == BulkRow.Status.SAVED and by_id["c-0002"].message == "Record updated"
    assert by_id["c-0003"].status == BulkRow.Status.UNKNOWN and by_id["c-0003"].message == LOST_MESSAGE
    assert [by_id[c].status for c in _ids(4, 3)] == ["saved"] * 3
    assert sorted(body["title"] for body in patch_log.bodies) == [f"Bulk title {c}" for c in _ids(4, 3)]
    assert _title("c-0002") != "Bulk title c-0002"  # never sent: it was "saved" before the crash


def test_two_concurrent_jobs_never_take_more_than_the_budget_in_any_window(
        sandbox, ops_user, settings, monkeypatch):
    import sandbox.views

    settings.STACKONE_RATE_LIMIT = "6 per 2 seconds"
    clock = fake_budget_clock(monkeypatch)  # the window's time too: a grant is counted at the time recorded
    patches = 0
    granted: list[float] = []
    original, original_try = sandbox.views._update_candidate, budget.budget_try

    def recording(request, account, candidate_id):
        nonlocal patches
        patches += 1
        return original(request, account, candidate_id)

    def granting(*, background: bool = True) -> float:
        with clock.lock:  # no other job's wait moves the clock between the grant and its record
            wait = original_try(background=background)
            if wait == 0:
                granted.append(clock.now())
        return wait

    jobs = [_job(ops_user, _ids(2, 8), title="A"), _job(ops_user, _ids(10, 8), title="B")]
    for job in jobs:
        bulk_preview_run(job_id=job.pk)
    reset_stats()
    monkeypatch.setattr(sandbox.views, "_update_candidate", recording)
    # Every grant of the runs: each row's PATCH (the run loop, before it claims the row) and every
    # call the client sends (the GET right before each PATCH, its check).
    monkeypatch.setattr(bulk_jobs, "budget_try", granting)
    monkeypatch.setattr(budget, "budget_try", granting)
    threads = [threading.Thread(target=bulk_job_run, kwargs={"job_id": job.pk}) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert BulkRow.objects.filter(status=BulkRow.Status.SAVED).count() == 16
    # Every call the sandbox answered was granted first: each row's GET and PATCH, and the custom
    # field definitions the directory's refresh reads after a save (once, or once per job when both
    # read them before either cached them).
    assert patches == 16 and len(granted) == stats()["total"] and stats()["total"] in (33, 34)
    # No 2 s window holds more than 6 grants (a grant leaves the window 2 s after it was made:
    # the in-memory window forgets it then), and 33 calls at 5 per window (6 less the people's
    # reserve) took seven windows.
    assert max(sum(1 for t in granted if start <= t < start + 2) for start in granted) <= 6
    assert max(granted) - min(granted) > 12
    assert "429" not in stats()["by_status"]
