"""Bulk updates follow the account's meta as the edit page does: a column whose field the ATS
does not accept (Lever: Hired at, Social links, Phone) is named on its row in the preview,
never sent, and the row's other changes still are; a row whose only changes are such columns
is "not sent" with that reason. Against the sandbox (``sbx-lever``); the PATCH bodies are the
ones that reached it."""

from __future__ import annotations

import re
from typing import Any

from django.core.management import call_command
from django.test import Client

from candidates.bulk.csv_parse import bulk_csv_parse
from candidates.bulk.jobs import bulk_job_create, bulk_job_run
from candidates.bulk.preview import bulk_preview_run
from candidates.bulk.results import results_csv_rows
from candidates.models import BulkRow
from tests.bulk.conftest import csv_bytes
from tests.e2e.helpers import PatchLog

LEVER = "sbx-lever"
HIRED = "2025-03-01T09:00:00.000Z"
HIRED_NOTE = "Lever does not accept Hired at through StackOne, so it is not sent."
LINKS_NOTE = "Lever does not accept Social links through StackOne, so it is not sent."
HEADER = ["id", "title", "hired_at", "social_links"]
ROWS = [
    ["lv-0001", "Staff Engineer", HIRED, ""],                                    # title sent, hired_at not
    ["lv-0002", "", HIRED, [{"type": "github", "url": "https://github.com/x"}]],  # nothing it accepts
    ["lv-0003", "Data Lead", "", ""],                                            # as before
]


def _previewed() -> Any:
    job = bulk_job_create(user=None, account_id=LEVER, filename="lever.csv",
                          parsed=bulk_csv_parse(csv_bytes(HEADER, ROWS)), concurrency=2)
    return bulk_preview_run(job_id=job.pk)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_read_only_columns_are_named_never_sent_and_the_rest_is(
        sandbox, patch_log: PatchLog) -> None:
    job = _previewed()
    rows = {row.candidate_id: row for row in job.rows.all()}
    assert rows["lv-0001"].status == BulkRow.Status.PENDING
    assert rows["lv-0001"].body == {"title": "Staff Engineer"}
    assert rows["lv-0001"].not_sent == [{"column": "hired_at", "message": HIRED_NOTE}]
    assert rows["lv-0002"].status == BulkRow.Status.NOT_SENT and rows["lv-0002"].body == {}
    assert rows["lv-0002"].not_sent == [  # in the body's order
        {"column": "social_links", "message": LINKS_NOTE}, {"column": "hired_at", "message": HIRED_NOTE}]
    assert rows["lv-0003"].not_sent == [] and rows["lv-0003"].body == {"title": "Data Lead"}
    bulk_job_run(job_id=job.pk)
    assert sorted(patch_log.bodies, key=str) == [{"title": "Data Lead"}, {"title": "Staff Engineer"}]
    statuses = dict(job.rows.values_list("candidate_id", "status"))
    assert statuses == {"lv-0001": "saved", "lv-0002": "not_sent", "lv-0003": "saved"}
    results = {line[1]: line for line in results_csv_rows(job)}
    assert results["lv-0002"][2:3] + results["lv-0002"][6:] == [
        "not_sent", f"social_links: {LINKS_NOTE}; hired_at: {HIRED_NOTE}", ""]
    assert results["lv-0001"][6].endswith(f"; hired_at: {HIRED_NOTE}")


def test_the_preview_page_names_each_read_only_column(sandbox, ops_client: Client) -> None:
    job = _previewed()
    page = _text(ops_client.get(f"/bulk/jobs/{job.pk}/").content.decode())
    assert ("3 rows: 2 to send, 0 with no change (skipped), 1 not sent (their only changes are to fields "
            "the ATS does not accept), 0 invalid (never sent).") in page
    assert f"Hired at: {HIRED_NOTE}" in page and f"Social links: {LINKS_NOTE}" in page
    assert "Start: send 2 rows" in page


def test_a_greenhouse_job_sends_hired_at(sandbox, patch_log: PatchLog) -> None:
    job = bulk_job_create(user=None, account_id="sbx-greenhouse", filename="gh.csv",
                          parsed=bulk_csv_parse(csv_bytes(["id", "hired_at"], [["c-0002", HIRED]])))
    bulk_job_run(job_id=bulk_preview_run(job_id=job.pk).pk)
    assert patch_log.bodies == [{"hired_at": HIRED}]


def test_the_command_names_each_column_it_does_not_send(sandbox, patch_log: PatchLog, tmp_path,
                                                        capsys) -> None:
    path = tmp_path / "lever.csv"
    path.write_bytes(csv_bytes(HEADER, ROWS))
    call_command("bulk_update", str(path), "--account", LEVER)
    out, err = capsys.readouterr()
    assert f"line 2 (lv-0001) hired_at: {HIRED_NOTE}" in err
    assert f"line 3 (lv-0002) hired_at: {HIRED_NOTE}" in err
    assert f"line 3 (lv-0002) social_links: {LINKS_NOTE}" in err
    assert "saved 2, failed 0, unknown 0, not sent 1, no change 0, invalid 0." in out
    assert sorted(patch_log.bodies, key=str) == [{"title": "Data Lead"}, {"title": "Staff Engineer"}]
