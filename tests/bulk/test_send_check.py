"""The check right before each row's PATCH (issue 19, part 2), StackOne mocked at the HTTP edge
with strict matchers: a field the row writes that changed since the preview makes the row a
conflict (nothing sent, the three values on the job page and in the results CSV); fields it does
not write may change (the body holds only its own); a row that cannot be read is never sent."""

from __future__ import annotations

import csv
import io
from importlib import import_module
from io import StringIO
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.test import Client
from responses import matchers

from candidates.bulk.jobs import LOST_MESSAGE, bulk_job_run
from candidates.models import AuditEntry, BulkJob, BulkRow
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT as SANDBOX_ACCOUNT
from tests.bulk.conftest import csv_bytes
from tests.bulk.test_preview import ACCOUNT, candidate, mock_get, previewed
from tests.bulk.test_views import text_of
from tests.conftest import BASE_URL
from tests.fake_clock import fake_budget_clock

URL = f"{BASE_URL}/unified/ats/candidates"
OK = {"statusCode": 200, "message": "Record updated", "timestamp": "2025-01-01T00:00:00Z"}


def mock_patch(stackone, candidate_id: str, body: dict[str, Any]) -> None:
    data = {"id": candidate_id, "remote_id": f"r-{candidate_id}"}
    stackone.patch(f"{URL}/{candidate_id}", json={**OK, "data": data},
                   match=[matchers.json_params_matcher(body, strict_match=True)])


def patches(stackone) -> list[str]:
    return [call.request.url for call in stackone.calls if call.request.method == "PATCH"]


def test_a_title_changed_in_the_ats_after_the_preview_is_a_conflict_and_is_not_sent(
        db, stackone, ops_client):
    mock_get(stackone, "c-1")                     # the preview: title Analyst
    mock_get(stackone, "c-2")
    job = previewed([["c-1", "Engineer"], ["c-2", "Engineer"]], ["id", "title"])
    mock_get(stackone, "c-1", title="Director")   # changed in the ATS before Start
    mock_patch(stackone, "c-2", {"title": "Engineer"})
    bulk_job_run(job_id=job.pk)
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["c-1"].status == "conflict"
    assert rows["c-1"].message == "Not sent: changed in StackOne since the preview."
    assert rows["c-1"].conflicts == [{"field": "title", "baseline": "Analyst", "current": "Director",
                                      "wanted": "Engineer"}]
    assert rows["c-1"].audit_entry is None and rows["c-2"].status == "saved"
    assert patches(stackone) == [f"{URL}/c-2"]  # nothing sent for c-1
    assert list(AuditEntry.objects.values_list("candidate_id", flat=True)) == ["c-2"]

    page = text_of(ops_client.get(f"/bulk/jobs/{job.pk}/"))
    assert "Title: when previewed Analyst; now in StackOne Director; in the file Engineer" in page
    assert "conflict 1" in page and "Review conflicts" in page
    lines = list(csv.reader(io.StringIO(ops_client.get(f"/bulk/jobs/{job.pk}/results.csv").content.decode())))
    assert lines[1][:3] + lines[1][6:7] == ["2", "c-1", "conflict", (
        "Not sent: changed in StackOne since the preview. "
        "Title: Analyst when previewed, now in StackOne Director, in the file Engineer")]


def test_review_conflicts_previews_the_conflict_rows_again_against_current_values(
        transactional_db, stackone, ops_client: Client):
    from candidates.worker import run_queued_tasks

    mock_get(stackone, "c-1")
    job = previewed([["c-1", "Engineer"]], ["id", "title"])
    mock_get(stackone, "c-1", title="Director")
    bulk_job_run(job_id=job.pk)
    response = ops_client.post(f"/bulk/jobs/{job.pk}/conflicts/")
    review = BulkJob.objects.get(conflicts_of=job)
    assert response["Location"] == f"/bulk/jobs/{review.pk}/"
    run_queued_tasks()  # its preview reads c-1 again: Director now
    row = review.rows.get()
    assert (row.status, row.body, row.baseline["title"]) == ("pending", {"title": "Engineer"}, "Director")
    page = text_of(ops_client.get(f"/bulk/jobs/{review.pk}/"))
    assert f"conflicts of job #{job.pk}" in page and "Title: Director → Engineer" in page


def test_fields_the_row_does_not_write_may_change_and_the_row_still_sends_only_its_own(db, stackone):
    mock_get(stackone, "c-1", company="Acme")
    job = previewed([["c-1", "Engineer"]], ["id", "title"])
    mock_get(stackone, "c-1", company="Globex", name="Ada King")  # others changed since
    mock_patch(stackone, "c-1", {"title": "Engineer"})
    bulk_job_run(job_id=job.pk)
    row = job.rows.get()
    assert row.status == "saved" and row.conflicts == []
    entry = AuditEntry.objects.get()
    assert entry.request_body == {"title": "Engineer"}
    assert entry.changes == [{"field": "title", "old": "Analyst", "new": "Engineer"}]


def test_a_list_changed_since_the_preview_is_a_conflict_the_old_list_is_never_resent(db, stackone):
    mock_get(stackone, "c-1")
    job = previewed([["c-1", [{"type": "work", "value": "ada@new.example"}]]], ["id", "emails"])
    now = [{"type": "work", "value": "ada@example.com"}, {"type": "personal", "value": "ada@home.example"}]
    mock_get(stackone, "c-1", emails=now)
    bulk_job_run(job_id=job.pk)
    row = job.rows.get()
    assert row.status == "conflict" and patches(stackone) == []
    assert row.conflicts == [{
        "field": "emails", "baseline": [{"type": "work", "value": "ada@example.com"}],
        "current": now,
        "wanted": [{"type": "work", "value": "ada@new.example"}]}]


def test_someone_else_making_the_same_change_is_no_conflict(db, stackone):
    mock_get(stackone, "c-1")
    job = previewed([["c-1", "Engineer"]], ["id", "title"])
    mock_get(stackone, "c-1", title="Engineer")
    mock_patch(stackone, "c-1", {"title": "Engineer"})  # as the editor does: the body goes as reviewed
    bulk_job_run(job_id=job.pk)
    assert job.rows.get().status == "saved"


def test_a_candidate_deleted_since_the_preview_is_invalid_and_not_sent(db, stackone):
    mock_get(stackone, "c-1")
    job = previewed([["c-1", "Engineer"]], ["id", "title"])
    mock_get(stackone, "c-1", status=404)
    bulk_job_run(job_id=job.pk)
    row = job.rows.get()
    assert (row.status, row.http_status) == ("invalid", 404) and patches(stackone) == []
    assert row.errors == [{"column": "id", "message": (
        "No candidate with this id in this linked account any more (checked right before sending).")}]


def test_a_row_that_cannot_be_read_is_retried_then_failed_never_sent_blind(db, stackone, monkeypatch):
    fake_budget_clock(monkeypatch)  # the backoff between tries takes no real time
    mock_get(stackone, "c-1")
    mock_get(stackone, "c-2")
    job = previewed([["c-1", "Engineer"], ["c-2", "Engineer"]], ["id", "title"])
    stackone.get(f"{URL}/c-1", status=503, json={"message": "down"})        # down for good
    stackone.get(f"{URL}/c-2", status=503, json={"message": "down"})        # down once,
    stackone.get(f"{URL}/c-2", json={"data": candidate("c-2")})             # then back
    mock_patch(stackone, "c-2", {"title": "Engineer"})
    bulk_job_run(job_id=job.pk)
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["c-1"].status == "failed" and rows["c-1"].http_status == 503
    assert rows["c-1"].message.startswith("Not sent: the current values could not be read")
    assert rows["c-2"].status == "saved"
    assert patches(stackone) == [f"{URL}/c-2"]
    # The 503 on c-1 was tried again under the budget's policy before the row was given up.
    assert sum(1 for call in stackone.calls if call.request.url.startswith(f"{URL}/c-1")
               and call.response is not None and call.response.status_code == 503) > 1


def test_a_resumed_job_checks_again_rows_left_checking_and_never_resends_rows_left_sending(db, stackone):
    mock_get(stackone, "c-1")
    mock_get(stackone, "c-2")
    job = previewed([["c-1", "Engineer"], ["c-2", "Engineer"]], ["id", "title"])
    # What a worker killed mid-job leaves: c-1 being read (nothing sent), c-2's PATCH in flight.
    BulkRow.objects.filter(job=job, candidate_id="c-1").update(status=BulkRow.Status.CHECKING)
    BulkRow.objects.filter(job=job, candidate_id="c-2").update(status=BulkRow.Status.SENDING)
    BulkJob.objects.filter(pk=job.pk).update(status=BulkJob.Status.RUNNING)
    mock_patch(stackone, "c-1", {"title": "Engineer"})
    bulk_job_run(job_id=job.pk)
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["c-1"].status == "saved"
    assert (rows["c-2"].status, rows["c-2"].message) == ("unknown", LOST_MESSAGE)
    assert patches(stackone) == [f"{URL}/c-1"]
    gets = [call.request.url.split("?")[0] for call in stackone.calls if call.request.method == "GET"]
    assert gets.count(f"{URL}/c-1") == 2 and gets.count(f"{URL}/c-2") == 1  # c-2 read at the preview only


def test_a_row_keeps_only_the_fields_it_writes_in_its_baseline(db, stackone):
    mock_get(stackone, "c-1", phone_numbers=[{"type": "mobile", "phone": "+447700900123"}],
             custom_fields=[{"id": "cf-1", "name": "Notice", "value": 30}])
    job = previewed([["c-1", "Engineer", ""]], ["id", "title", "company"])
    row = job.rows.get()
    assert row.baseline == {"id": "c-1", "remote_id": "r-c-1", "title": "Analyst"}
    assert row.candidate_name == "Ada Lovelace"


def test_bulk_update_names_a_conflict_row_on_the_terminal(sandbox, tmp_path, patch_log, monkeypatch):
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(["id", "title"], [["c-0002", "Staff"], ["c-0003", "Staff"]]))
    original_run = bulk_job_run

    def someone_edits_then_run(**kwargs):  # between the command's preview and its run
        row = SandboxCandidate.objects.get(account_id=SANDBOX_ACCOUNT, candidate_id="c-0003")
        row.data = {**row.data, "title": "Head of Data"}
        row.save()
        return original_run(**kwargs)

    monkeypatch.setattr("candidates.management.commands.bulk_update.bulk_job_run", someone_edits_then_run)
    out = StringIO()
    call_command("bulk_update", str(path), "--account", SANDBOX_ACCOUNT, stdout=out, stderr=out)
    output = out.getvalue()
    assert "line 3 (c-0003) row: Not sent: changed in StackOne since the preview. Title: " in output
    assert "now in StackOne Head of Data, in the file Staff" in output
    assert "conflict 1: changed in StackOne since the preview, not sent (named above)." in output
    assert patch_log.bodies == [{"title": "Staff"}]


def test_the_migration_trims_an_older_rows_baseline_to_the_fields_it_writes(db):
    job = BulkJob.objects.create(account_id=ACCOUNT, username="ops")
    whole = candidate("c-1", phone_numbers=[{"type": "mobile", "phone": "+447700900123"}])
    row = BulkRow.objects.create(job=job, line=2, candidate_id="c-1", baseline=whole, body={"title": "X"})
    import_module("candidates.migrations.0009_reverts_and_conflicts").trim_baselines(apps, None)
    row.refresh_from_db()
    assert row.baseline == {"id": "c-1", "remote_id": "r-c-1", "title": "Analyst"}
    assert row.candidate_name == "Ada Lovelace"
