"""The results CSV: one line per row, and never a live formula when opened in a spreadsheet."""

from __future__ import annotations

from candidates.bulk.results import results_csv_rows
from candidates.models import BulkJob, BulkRow


def test_results_lines_carry_the_outcome_and_neutralise_formulas(db: None) -> None:
    job = BulkJob.objects.create(username="ops", account_id="sbx-greenhouse")
    BulkRow.objects.create(job=job, line=2, candidate_id="c-0001", status="saved", returned_id="c-0001",
                           returned_remote_id="gh-1", http_status=200, message="Record updated successfully.",
                           body={"title": "x"})
    BulkRow.objects.create(job=job, line=3, candidate_id="=HYPERLINK(\"http://evil\")", status="failed",
                           http_status=400, message="-1 is not allowed")
    header, saved, failed = list(results_csv_rows(job))
    assert header == ["line", "id", "status", "remote_id", "returned_id", "http_status", "message", "changes"]
    # The change as people read it (no baseline stored here: the old value is unknown).
    assert saved == ["2", "c-0001", "saved", "gh-1", "c-0001", "200", "Record updated successfully.",
                     "Title: (empty) → x"]
    assert failed[1] == "'=HYPERLINK(\"http://evil\")" and failed[6] == "'-1 is not allowed"
