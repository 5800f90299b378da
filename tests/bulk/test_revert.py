"""Reverting a bulk job (issue 19, part 4) against the sandbox over real HTTP: the exact PATCH
bodies that set fields back, a row changed since the job left alone and named (the preview's
conflict and the check before the PATCH), whole lists set back only while they hold what the job
wrote, the audit linked both ways, the web's "Revert this job" and ``manage.py bulk_revert``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import (
    LOST_MESSAGE,
    StartRefused,
    bulk_job_create,
    bulk_job_run,
    bulk_job_start_check,
)
from candidates.bulk.preview import bulk_preview_run
from candidates.bulk.revert import bulk_job_revert
from candidates.models import AuditEntry, BulkJob, BulkRow
from candidates.worker import run_queued_tasks
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.bulk.test_views import text_of


def held(candidate_id: str) -> dict[str, Any]:
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id).data


def change_in_ats(candidate_id: str, **fields: Any) -> None:
    """Someone edits the candidate in the ATS (straight in the sandbox's store)."""
    row = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id)
    row.data = {**row.data, **fields}
    row.save()


def ran(header: list[str], rows: list[list[Any]], user=None) -> BulkJob:
    job = bulk_job_create(user=user, account_id=ACCOUNT, filename="t.csv",
                          parsed=bulk_csv_parse(csv_bytes(header, rows)), concurrency=2)
    bulk_preview_run(job_id=job.pk)
    return bulk_job_run(job_id=job.pk)


def reverted(job: BulkJob, user=None) -> BulkJob:
    revert = bulk_job_revert(job=job, user=user).job
    bulk_preview_run(job_id=revert.pk)
    return revert


def test_a_revert_sets_back_each_field_and_leaves_alone_a_row_changed_since(sandbox, ops_user, patch_log):
    before = {cid: held(cid)["title"] for cid in ("c-0002", "c-0003", "c-0004")}
    job = ran(["id", "title"], [["c-0002", "Principal"], ["c-0003", "Principal"], ["c-0004", "Principal"],
                                ["c-9999", "Ghost"]], user=ops_user)
    assert list(job.rows.order_by("line").values_list("status", flat=True)) == [
        "saved", "saved", "saved", "invalid"]
    change_in_ats("c-0003", title="Head of Data")  # someone changed it since the job
    patch_log.bodies.clear()

    revert = reverted(job, user=ops_user)
    rows = {row.candidate_id: row for row in revert.rows.all()}
    assert rows["c-0002"].status == "pending" and rows["c-0002"].body == {"title": before["c-0002"]}
    assert rows["c-0003"].status == "conflict"  # found at the preview already
    assert rows["c-0003"].conflicts == [{"field": "title", "baseline": "Principal", "current": "Head of Data",
                                         "wanted": before["c-0003"]}]
    assert rows["c-9999"].status == "no_change"
    assert rows["c-9999"].message == "Left alone: never sent (invalid): it changed nothing."
    # Between the preview and Start, c-0004 changes too: the check before its PATCH stops it.
    change_in_ats("c-0004", title="CTO")
    bulk_job_run(job_id=revert.pk)
    rows = {row.candidate_id: row for row in revert.rows.all()}
    assert [rows[cid].status for cid in ("c-0002", "c-0003", "c-0004")] == ["saved", "conflict", "conflict"]
    assert patch_log.bodies == [{"title": before["c-0002"]}]
    assert (held("c-0002")["title"], held("c-0003")["title"], held("c-0004")["title"]) == (
        before["c-0002"], "Head of Data", "CTO")
    # The audit links each revert to the write it reverts, both ways.
    original = job.rows.get(candidate_id="c-0002").audit_entry
    entry = AuditEntry.objects.get(reverts=original)
    assert entry.changes == [{"field": "title", "old": "Principal", "new": before["c-0002"]}]
    assert list(original.reverted_by.all()) == [entry]
    assert entry.username == "ops" and revert.reverts == job


def test_lists_are_set_back_whole_and_only_while_they_hold_what_the_job_wrote(sandbox, patch_log):
    emails = {cid: held(cid)["emails"] for cid in ("c-0002", "c-0003")}
    new = [{"type": "work", "value": "new@example.com"}]
    job = ran(["id", "emails", "custom_fields"], [
        ["c-0002", new, [{"id": "cf_notice_period", "value": 45}]],
        ["c-0003", new, ""]])
    # The ATS filled in the custom field's name and remote id: still what the job wrote.
    assert held("c-0002")["custom_fields"][0]["name"]
    custom_before = job.rows.get(candidate_id="c-0002").audit_entry.changes[1]["old"]
    change_in_ats("c-0003", emails=[*new, {"type": "personal", "value": "added@example.com"}])
    patch_log.bodies.clear()
    revert = reverted(job)
    bulk_job_run(job_id=revert.pk)
    rows = {row.candidate_id: row for row in revert.rows.all()}
    assert (rows["c-0002"].status, rows["c-0003"].status) == ("saved", "conflict")
    assert patch_log.bodies == [{"emails": emails["c-0002"], "custom_fields": custom_before}]
    assert held("c-0002")["emails"] == emails["c-0002"]
    assert held("c-0003")["emails"][1]["value"] == "added@example.com"  # the address added since is kept


def test_bulk_revert_names_the_entries_setting_a_list_back_removes(sandbox, patch_log, tmp_path):
    before = held("c-0002")["emails"]
    job = ran(["id", "emails"], [["c-0002", [*before, {"type": "work", "value": "added@example.com"}]]])
    patch_log.bodies.clear()
    output = _revert_command(str(job.pk), "--results", str(tmp_path / "results.csv"))
    assert "Setting lists back removes entries: 1 row removes 1 entry." in output
    assert "line 2 (c-0002) Emails: removes added@example.com (work)" in output
    assert patch_log.bodies == [{"emails": before}] and held("c-0002")["emails"] == before


def test_a_field_already_back_to_its_old_value_is_not_sent_again(sandbox, patch_log):
    before = held("c-0002")["title"]
    job = ran(["id", "title", "company"], [["c-0002", "Principal", "Initech"]])
    change_in_ats("c-0002", title=before)  # someone already set the title back by hand
    patch_log.bodies.clear()
    revert = reverted(job)
    row = revert.rows.get()
    assert row.status == "pending" and set(row.body) == {"company"}
    bulk_job_run(job_id=revert.pk)
    assert patch_log.bodies == [{"company": row.values["company"]}]


def test_the_job_page_offers_revert_this_job_then_previews_it(transactional_db, sandbox, ops_client: Client):
    job = ran(["id", "title"], [["c-0002", "Principal"]])
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "Revert this job" in page
    response = ops_client.post(f"/bulk/jobs/{job.pk}/revert/")
    revert = BulkJob.objects.get(reverts=job)
    assert response["Location"] == f"/bulk/jobs/{revert.pk}/"
    run_queued_tasks()  # its preview
    page = text_of(ops_client.get(f"/bulk/jobs/{revert.pk}/"))
    assert f"Reverts job #{job.pk}" in page and "Start: send 1 row" in page
    assert "Title: Principal →" in page
    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert f"Reverted by job #{revert.pk} (ready to start)" in page


def test_a_job_that_changed_nothing_has_nothing_to_revert(transactional_db, sandbox, ops_client: Client):
    job = ran(["id", "title"], [["c-9999", "Ghost"]])
    assert "Revert this job" not in text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    response = ops_client.post(f"/bulk/jobs/{job.pk}/revert/", follow=True)
    assert "Nothing to revert: no row of this job changed a candidate." in text_of(response)
    assert not BulkJob.objects.filter(reverts=job).exists()


def test_a_job_not_finished_cannot_be_reverted(transactional_db, sandbox, ops_client: Client):
    job = bulk_job_create(user=None, account_id=ACCOUNT, filename="t.csv",
                          parsed=bulk_csv_parse(csv_bytes(["id", "title"], [["c-0002", "X"]])))
    bulk_preview_run(job_id=job.pk)  # ready, not started
    assert "Revert this job" not in text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    response = ops_client.post(f"/bulk/jobs/{job.pk}/revert/", follow=True)
    assert (f"Job #{job.pk} is ready to start: only a finished or stopped job can be reverted."
            in text_of(response))


def test_reverting_a_stopped_job_ends_it_and_sets_back_what_may_have_been_saved(sandbox, patch_log):
    before = held("c-0002")["title"]
    job = ran(["id", "title"], [["c-0002", "Principal"], ["c-0003", "Principal"]])
    # Its worker died: c-0002's PATCH was in flight (it landed), c-0003 never went.
    BulkRow.objects.filter(job=job, candidate_id="c-0002").update(status=BulkRow.Status.SENDING)
    BulkRow.objects.filter(job=job, candidate_id="c-0003").update(status=BulkRow.Status.PENDING)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.RUNNING, heartbeat_at="2000-01-01T00:00Z")
    job.refresh_from_db()
    revert = reverted(job)
    job.refresh_from_db()
    assert job.status == "done"
    stopped = {row.candidate_id: row for row in job.rows.all()}
    assert (stopped["c-0002"].status, stopped["c-0002"].message) == ("unknown", LOST_MESSAGE)
    assert stopped["c-0003"].status == "pending"  # never sent, and never will be
    rows = {row.candidate_id: row for row in revert.rows.all()}
    assert rows["c-0002"].body == {"title": before}
    assert rows["c-0003"].message == "Left alone: never sent (the job stopped before it): it changed nothing."


@pytest.fixture
def done_job(sandbox) -> BulkJob:
    return ran(["id", "title"], [["c-0002", "Principal"], ["c-0003", "Principal"], ["c-0004", ""],
                                 ["c-9999", "Ghost"]])


def _revert_command(*args: str) -> str:
    out = StringIO()
    call_command("bulk_revert", *args, stdout=out, stderr=out)
    return out.getvalue()


def before_job(job: BulkJob, candidate_id: str) -> Any:
    return job.rows.get(candidate_id=candidate_id).audit_entry.changes[0]["old"]


def test_bulk_revert_dry_run_names_every_row_it_leaves_alone_and_keeps_nothing(done_job, patch_log):
    before = before_job(done_job, "c-0002")
    change_in_ats("c-0003", title="Head of Data")
    patch_log.bodies.clear()
    jobs = BulkJob.objects.count()
    output = _revert_command(str(done_job.pk), "--dry-run")
    assert f"reverts job #{done_job.pk}: 2 row(s) to set back, 2 left alone." in output
    assert "line 4 (c-0004) left alone: never sent (invalid): it changed nothing." in output
    assert "line 5 (c-9999) left alone: never sent (invalid): it changed nothing." in output
    assert f"line 2 (c-0002) sets back Title: Principal → {before}" in output
    assert ("line 3 (c-0003) left alone: changed in StackOne since the job: Title: Principal as the job "
            "wrote it, now in StackOne Head of Data, before the job") in output
    assert ("Dry run: 1 row(s) would be set back, 1 conflict(s); nothing was sent and no job was kept."
            in output)
    assert patch_log.bodies == [] and BulkJob.objects.count() == jobs


def test_a_dry_run_revert_job_can_never_be_started_while_it_exists(done_job, patch_log):
    revert = bulk_job_revert(job=done_job, user=None, dry_run=True).job
    bulk_preview_run(job_id=revert.pk)
    with pytest.raises(StartRefused):
        bulk_job_start_check(job=revert, removals_confirmed=True)
    assert patch_log.bodies == []


def test_bulk_revert_sends_as_the_user_named_and_writes_its_results(done_job, patch_log, ops_user, tmp_path):
    before = {cid: before_job(done_job, cid) for cid in ("c-0002", "c-0003")}
    patch_log.bodies.clear()
    results = tmp_path / "out.csv"
    output = _revert_command(str(done_job.pk), "--user", "ops", "--results", str(results))
    assert "saved 2, failed 0, unknown 0, conflict 0, no change 2." in output
    assert f"Results: {results}" in output and Path(results).exists()
    sent = sorted(body["title"] for body in patch_log.bodies)
    assert sent == sorted(before.values()) and all(set(body) == {"title"} for body in patch_log.bodies)
    assert (held("c-0002")["title"], held("c-0003")["title"]) == (before["c-0002"], before["c-0003"])
    revert = BulkJob.objects.get(reverts=done_job)
    assert set(AuditEntry.objects.filter(reverts__isnull=False).values_list("username", flat=True)) == {"ops"}
    assert revert.started_by_username == "ops"


def test_bulk_revert_refuses_an_unknown_or_running_job(sandbox):
    with pytest.raises(CommandError, match="No bulk job #999."):
        _revert_command("999")
    job = bulk_job_create(user=None, account_id=ACCOUNT, filename="t.csv",
                          parsed=bulk_csv_parse(csv_bytes(["id", "title"], [["c-0002", "X"]])))
    with pytest.raises(CommandError, match="only a finished or stopped job can be reverted"):
        _revert_command(str(job.pk))
