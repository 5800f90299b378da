"""An Ops user in a real browser: upload → preview → start → progress reaches 100% → results
CSV downloads. The queued tasks run in the test thread with db_worker's loop while the page
polls its status (no reload until the phase changes)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.bulk.jobs import run_queued_tasks
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e


def test_upload_preview_start_progress_and_results(  # type: ignore[no-untyped-def]
        anonymous_app: App, ops_user, patch_log, tmp_path: Path, artifacts_dir: Path) -> None:
    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    ids = [f"c-{n:04d}" for n in range(2, 10)]
    upload = tmp_path / "titles.csv"
    upload.write_bytes(csv_bytes(["id", "title"], [[cid, f"Principal {cid}"] for cid in ids] + [["", "x"]],
                                 delimiter=";", bom=True))

    page.get_by_role("link", name="Bulk updates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bulk updates")
    # The account is picked from the linked accounts (issue 13, item 10), not typed.
    account = page.get_by_label("Linked account", exact=True)
    expect(account.locator("option")).to_contain_text(["Choose an account…", "Greenhouse (sandbox)"])
    account.select_option(ACCOUNT)
    expect(page.get_by_role("link", name="Download a sample CSV")).to_be_visible()
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    run_queued_tasks()  # the preview; the page notices through its status endpoint
    expect(page.get_by_role("button", name="Start: send 8 rows")).to_be_visible()
    expect(page.locator("tr[data-row-status=invalid]")).to_contain_text("The id is required.")
    expect(page.locator("tr[data-row-status=pending]").first).to_contain_text("→ Principal c-0002")

    page.get_by_role("button", name="Start: send 8 rows").click()
    expect(page.get_by_text("The job is queued.")).to_be_visible()
    run_queued_tasks()
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible()
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(8)
    page.screenshot(path=str(artifacts_dir / "bulk-results.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the results (CSV)").click()
    saved = tmp_path / "results.csv"
    download.value.save_as(saved)
    lines = list(csv.reader(saved.open(encoding="utf-8")))
    assert [(line[1], line[2]) for line in lines[1:9]] == [(cid, "saved") for cid in ids]
    assert lines[9][2] == "invalid"
    assert sorted(body["title"] for body in patch_log.bodies) == [f"Principal {cid}" for cid in ids]
    assert SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0009").data["title"] == "Principal c-0009"
