"""An Ops user in a real browser: upload → preview → start → progress reaches 100% → results
CSV downloads. The queued tasks run in the test thread with db_worker's loop while the page
polls its status (no reload until the phase changes)."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.worker import run_queued_tasks
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e


def test_upload_preview_start_progress_and_results(
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
    held = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0009").data
    assert held["title"] == "Principal c-0009"


def test_the_running_jobs_rows_follow_the_counters(
        anonymous_app: App, ops_user, tmp_path: Path, artifacts_dir: Path) -> None:
    """Issue 13, item 10: while a job runs, rows already sent show "saved" on the page (no
    reload), not "pending" beside a counter that says "saved N"."""
    from django.db import connections

    from sandbox.faults import set_faults

    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    ids = [f"c-{n:04d}" for n in range(2, 10)]
    upload = tmp_path / "titles.csv"
    upload.write_bytes(csv_bytes(["id", "title"], [[cid, f"Staff {cid}"] for cid in ids]))
    app.goto(app.url("/bulk/"))
    page.get_by_label("Linked account", exact=True).select_option(ACCOUNT)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    run_queued_tasks()
    expect(page.locator("tr[data-row-status=pending]")).to_have_count(8)
    page.screenshot(path=str(artifacts_dir / "bulk-previewed.png"), full_page=True)

    # Every sandbox request now takes 0.6 s, so the job runs for several seconds in a worker
    # thread while the page polls.
    set_faults(latency_ms=800)
    page.get_by_role("button", name="Start: send 8 rows").click()
    expect(page.get_by_text("The job is queued.")).to_be_visible()

    def work() -> None:
        try:
            run_queued_tasks()
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        # Mid-run, without a reload: the status says running, some rows are saved already and
        # as many as the counter says, while others still wait.
        expect(page.locator('[data-bulk-field="status"]')).to_have_text("running")
        expect(page.locator("tr[data-row-status=saved]").first).to_be_visible(timeout=15_000)
        saved_rows = page.locator("tr[data-row-status=saved]").count()
        counter = int(page.locator('[data-bulk-field="saved"]').inner_text())
        still_pending = page.locator("tr:not([data-row-status=saved])").count()
        assert page.locator('[data-bulk-field="status"]').inner_text() == "running"
        assert 0 < saved_rows and still_pending > 0, (saved_rows, still_pending)
        assert abs(counter - saved_rows) <= 1, (counter, saved_rows)  # one poll apart at most
        expect(page.locator("tr[data-row-status=saved] .badge").first).to_have_text("saved")
        page.screenshot(path=str(artifacts_dir / "bulk-running.png"), full_page=True)
    finally:
        worker.join(timeout=60)
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible(timeout=15_000)
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(8)


def test_a_removal_is_listed_confirmed_then_the_results_read_as_people_read_them(
        anonymous_app: App, ops_user, patch_log, tmp_path: Path, artifacts_dir: Path) -> None:
    """Issue 19: upload a CSV that removes an entry → the preview shows the removals summary →
    Start refused until the removal is confirmed → start → results with readable changes."""
    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    ada = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0001").data
    kept, dropped = ada["emails"]
    upload = tmp_path / "ada.csv"
    upload.write_bytes(csv_bytes(["id", "emails", "custom_field:Notice period (days)", "add_phone_number"],
                                 [["c-0001", [kept], "45", "+44 20 7946 0991"]]))
    app.goto(app.url("/bulk/"))
    page.get_by_label("Linked account", exact=True).select_option(ACCOUNT)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and preview").click()
    # The request only stored the file: its page shows the reading, then (by itself) the preview.
    expect(page.get_by_role("heading", name="Status: reading the file")).to_be_visible()
    run_queued_tasks()
    removals = page.get_by_test_id("removals")
    expect(removals.get_by_role("heading", level=2)).to_have_text("1 row removes 1 entry")
    expect(removals).to_contain_text(f"{dropped['value']} ({dropped['type']})")
    app.assert_accessible("bulk preview with removals")
    page.screenshot(path=str(artifacts_dir / "bulk-removals.png"), full_page=True)

    page.get_by_role("button", name="Start: send 1 row").click()
    expect(page.locator("#id_confirm_removals_error")).to_contain_text(
        "This job removes 1 list entry: tick the box to confirm")
    assert patch_log.bodies == []
    page.get_by_label("I have checked the entries listed above: remove them").check()
    page.get_by_role("button", name="Start: send 1 row").click()
    expect(page.get_by_text("The job is queued.")).to_be_visible()
    run_queued_tasks()
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible()

    row = page.locator("tr[data-row-status=saved]")
    expect(row).to_contain_text("Notice period (days): 30 → 45")
    expect(row).to_contain_text(f"removed {dropped['value']} ({dropped['type']})")
    expect(row).to_contain_text("added +442079460991")  # saved in E.164
    expect(row).not_to_contain_text("value:")
    page.screenshot(path=str(artifacts_dir / "bulk-readable-results.png"), full_page=True)
    others = [field for field in ada["custom_fields"] if field["id"] != "cf_notice_period"]
    assert patch_log.bodies == [{
        "emails": [kept],
        "phone_numbers": [*ada["phone_numbers"], {"type": None, "phone": "+442079460991"}],
        "custom_fields": [{**ada["custom_fields"][0], "value": 45}, *others],
    }]
