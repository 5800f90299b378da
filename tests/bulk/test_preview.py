"""The dry run against StackOne mocked at the HTTP edge: each row's real diff, no-change rows
skipped, unreadable rows never sent, and a job against the same mock sending exact bodies."""

from __future__ import annotations

from typing import Any

from responses import matchers

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import bulk_job_create, bulk_job_run
from candidates.bulk.preview import bulk_preview_run, bulk_row_changes
from candidates.models import AuditEntry, BulkRow
from tests.bulk.conftest import csv_bytes
from tests.conftest import BASE_URL

ACCOUNT = "acct-1"


def candidate(candidate_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": candidate_id, "remote_id": f"r-{candidate_id}", "name": "Ada Lovelace", "title": "Analyst",
            "emails": [{"type": "work", "value": "ada@example.com"}], "custom_fields": [], **fields}


def mock_get(stackone, candidate_id: str, status: int = 200, **fields: Any) -> None:
    stackone.get(f"{BASE_URL}/unified/ats/candidates/{candidate_id}",
                 json={"data": candidate(candidate_id, **fields)} if status == 200 else {"message": "nope"},
                 status=status, match=[matchers.query_param_matcher({"include": "custom_fields"}),
                                       matchers.header_matcher({"x-account-id": ACCOUNT})])


def previewed(rows: list[list[Any]], header: list[str]):
    job = bulk_job_create(user=None, account_id=ACCOUNT, filename="f.csv",
                          parsed=bulk_csv_parse(csv_bytes(header, rows)), concurrency=2)
    return bulk_preview_run(job_id=job.pk)


def test_the_preview_keeps_only_real_changes_and_skips_rows_without_any(db, stackone):
    mock_get(stackone, "c-1")
    mock_get(stackone, "c-2", title="Engineer")
    mock_get(stackone, "c-3", status=404)
    mock_get(stackone, "c-4", status=503)
    job = previewed([
        ["c-1", "Engineer", "ADA@example.com ", "__CLEAR__"],  # title changes; the email list differs
        ["c-2", "Engineer", "", ""],                           # already holds it
        ["c-3", "Engineer", "", ""],
        ["c-4", "Engineer", "", ""],
    ], ["id", "title", "email", "company"])
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert job.status == "ready"
    assert rows["c-1"].status == BulkRow.Status.PENDING
    assert rows["c-1"].body == {"email": "ADA@example.com", "title": "Engineer"}  # company: no change (None)
    assert bulk_row_changes(rows["c-1"]) == [
        {"field": "email", "old": None, "new": "ADA@example.com"},
        {"field": "title", "old": "Analyst", "new": "Engineer"},
    ]
    assert rows["c-2"].status == BulkRow.Status.NO_CHANGE and rows["c-2"].body == {}
    assert rows["c-3"].status == BulkRow.Status.INVALID
    assert rows["c-3"].errors == [
        {"column": "id", "message": "No candidate with this id in this linked account."}
    ]
    assert rows["c-4"].status == BulkRow.Status.FAILED
    assert rows["c-4"].message.startswith("Not sent: the current values could not be read")


def test_list_cells_compare_like_the_edit_form(db, stackone):
    mock_get(stackone, "c-1")
    mock_get(stackone, "c-2")
    job = previewed([
        ["c-1", [{"type": "work", "value": "ada@example.com"}], '{"k": 1}'],
        ["c-2", [{"type": "personal", "value": "ada@example.com"}], ""],
    ], ["id", "emails", "passthrough"])
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["c-1"].body == {"passthrough": {"k": 1}}  # passthrough is write-only: always sent
    assert rows["c-2"].body == {"emails": [{"type": "personal", "value": "ada@example.com"}]}


def test_a_job_patches_the_exact_bodies_and_writes_audit_rows(db, stackone):
    mock_get(stackone, "c-1")
    mock_get(stackone, "c-2", title="Engineer")
    job = previewed([["c-1", "Engineer"], ["c-2", "Engineer"]], ["id", "title"])
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/c-1",
                   json={"statusCode": 201, "message": "Record updated", "timestamp": "2025-01-01T00:00:00Z",
                         "data": {"id": "c-1", "remote_id": "r-c-1"}},
                   match=[matchers.json_params_matcher({"title": "Engineer"}, strict_match=True)])
    bulk_job_run(job_id=job.pk)
    row = job.rows.get(candidate_id="c-1")
    assert (row.status, row.returned_id, row.returned_remote_id, row.message) == ("saved", "c-1", "r-c-1",
                                                                                   "Record updated")
    entry = AuditEntry.objects.get()
    assert (entry.source, entry.outcome, entry.candidate_id) == ("bulk", "saved", "c-1")
    assert entry.changes == [{"field": "title", "old": "Analyst", "new": "Engineer"}]
    assert entry.request_body == {"title": "Engineer"}
    assert len([c for c in stackone.calls if c.request.method == "PATCH"]) == 1


def test_a_rejected_row_is_failed_with_stackone_message(db, stackone):
    mock_get(stackone, "c-1")
    job = previewed([["c-1", "Engineer"]], ["id", "title"])
    stackone.patch(f"{BASE_URL}/unified/ats/candidates/c-1", status=400, json={
        "statusCode": 400, "message": "Invalid request.",
        "provider_errors": [{"status": 422, "raw": {"errors": [{"field": "title", "message": "too long"}]}}]})
    bulk_job_run(job_id=job.pk)
    row = job.rows.get()
    assert (row.status, row.http_status) == ("failed", 400)
    assert row.message == "Invalid request. (title: too long)"
    assert AuditEntry.objects.get().outcome == "rejected"


def mock_no_meta(stackone) -> None:
    stackone.get(f"{BASE_URL}/accounts/{ACCOUNT}/meta", status=404, json={"statusCode": 404, "message": "No"})


def test_invalid_rows_are_never_read_nor_sent(db, stackone):
    mock_no_meta(stackone)
    mock_get(stackone, "c-1")
    job = previewed([["c-0", "not-an-email"], ["c-1", "ok@example.com"]], ["id", "email"])
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["c-0"].status == "invalid" and rows["c-0"].baseline is None
    assert rows["c-1"].status == "pending"
    # Besides the account's meta (once per preview: which fields its ATS accepts), one read.
    assert [call.request.url.split("?")[0] for call in stackone.calls] == [
        f"{BASE_URL}/accounts/{ACCOUNT}/meta", f"{BASE_URL}/unified/ats/candidates/c-1"]


def test_a_429_on_a_read_pauses_then_reads_again(db, stackone):
    mock_no_meta(stackone)
    stackone.get(f"{BASE_URL}/unified/ats/candidates/c-1", status=429, json={"message": "Too many requests"},
                 headers={"Retry-After": "1"})
    mock_get(stackone, "c-1")
    job = previewed([["c-1", "Engineer"]], ["id", "title"])
    row = job.rows.get()
    assert (row.status, row.body) == ("pending", {"title": "Engineer"})
    assert [call.response.status_code for call in stackone.calls] == [404, 429, 200]  # meta, then the reads
