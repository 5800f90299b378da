"""An Ops user in a real browser (issue 19, parts 2 and 4), against the sandbox over HTTP:
run a job → results → Revert this job → preview → start → the candidates hold their old values
again; and a candidate changed in the sandbox between preview and start → that row is a
conflict, nothing sent for it. The queued tasks run in the test thread with db_worker's loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.worker import run_queued_tasks
from sandbox.models import SandboxCandidate
from tests.bulk.conftest import ACCOUNT, csv_bytes
from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e
IDS = ["c-0002", "c-0003", "c-0004"]


def held(candidate_id: str) -> dict:
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=candidate_id).data


def upload_and_preview(app: App, tmp_path: Path, rows: list[list[str]]) -> None:
    page = app.page
    upload = tmp_path / "titles.csv"
    upload.write_bytes(csv_bytes(["id", "title"], rows))
    app.goto(app.url("/bulk/"))
    page.get_by_label("Linked account", exact=True).select_option(ACCOUNT)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    run_queued_tasks()  # the preview; the page notices through its status endpoint


def start_and_finish(app: App, rows: int) -> None:
    page = app.page
    page.get_by_role("button", name=f"Start: send {rows} row{'s' if rows > 1 else ''}").click()
    expect(page.get_by_text("The job is queued.")).to_be_visible()
    run_queued_tasks()
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible()


def test_run_a_job_then_revert_it(anonymous_app: App, ops_user, patch_log, tmp_path: Path,
                                  artifacts_dir: Path) -> None:
    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    before = {cid: held(cid)["title"] for cid in IDS}
    upload_and_preview(app, tmp_path, [[cid, f"Principal {cid}"] for cid in IDS])
    start_and_finish(app, 3)
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(3)
    assert {cid: held(cid)["title"] for cid in IDS} == {cid: f"Principal {cid}" for cid in IDS}
    job_heading = page.get_by_role("heading", level=1).inner_text()

    patch_log.bodies.clear()
    page.get_by_role("button", name="Revert this job").click()
    expect(page.get_by_test_id("reverts")).to_contain_text(f"Reverts job #{job_heading.split('#')[1]}")
    run_queued_tasks()  # the revert job's preview
    expect(page.get_by_role("button", name="Start: send 3 rows")).to_be_visible()
    first = page.locator("tr[data-row-status=pending]").first
    expect(first).to_contain_text(f"Principal c-0002 → {before['c-0002']}")
    page.screenshot(path=str(artifacts_dir / "bulk-revert-preview.png"), full_page=True)
    app.assert_accessible("revert job preview")
    assert patch_log.bodies == []  # nothing sent before Start

    start_and_finish(app, 3)
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(3)
    assert {cid: held(cid)["title"] for cid in IDS} == before
    assert sorted(patch_log.bodies, key=lambda body: body["title"]) == sorted(
        ({"title": title} for title in before.values()), key=lambda body: body["title"])
    page.screenshot(path=str(artifacts_dir / "bulk-reverted.png"), full_page=True)


def test_a_candidate_changed_between_preview_and_start_is_a_conflict(
        anonymous_app: App, ops_user, patch_log, tmp_path: Path, artifacts_dir: Path) -> None:
    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    upload_and_preview(app, tmp_path, [[cid, f"Staff {cid}"] for cid in IDS])
    expect(page.get_by_role("button", name="Start: send 3 rows")).to_be_visible()
    previewed = held("c-0003")["title"]
    # Someone changes c-0003's title in the ATS after the preview, before Start.
    changed = SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0003")
    changed.data = {**changed.data, "title": "Head of Research"}
    changed.save()

    start_and_finish(app, 3)
    conflict = page.locator("tr[data-row-status=conflict]")
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text("c-0003")
    expect(conflict.get_by_test_id("conflicts")).to_have_text(
        f"Title: when previewed {previewed}; now in StackOne Head of Research; in the file Staff c-0003")
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(2)
    expect(page.get_by_role("button", name="Review conflicts")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "bulk-conflict.png"), full_page=True)
    app.assert_accessible("bulk job page with a conflict row")
    assert held("c-0003")["title"] == "Head of Research"  # nothing sent for it
    assert sorted(body["title"] for body in patch_log.bodies) == ["Staff c-0002", "Staff c-0004"]


def test_upload_removals_confirmed_start_results_then_revert_the_job(
        anonymous_app: App, ops_user, patch_log, tmp_path: Path, artifacts_dir: Path) -> None:
    """Issue 19's acceptance flow: upload → the preview shows the removals summary → confirm →
    start → results → Revert this job → preview → start: Ada holds what she held before."""
    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    ada = held("c-0001")
    kept, dropped = ada["emails"]
    upload = tmp_path / "ada.csv"
    upload.write_bytes(csv_bytes(["id", "emails", "custom_field:Notice period (days)", "add_phone_number"],
                                 [["c-0001", [kept], "45", "+44 20 7946 0991"]]))
    app.goto(app.url("/bulk/"))
    page.get_by_label("Linked account", exact=True).select_option(ACCOUNT)
    page.get_by_label("CSV file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and preview").click()
    run_queued_tasks()
    summary = page.get_by_test_id("removals").get_by_role("heading", level=2)
    expect(summary).to_have_text("1 row removes 1 entry")
    page.get_by_label("I have checked the entries listed above: remove them").check()
    start_and_finish(app, 1)
    expect(page.locator("tr[data-row-status=saved]")).to_contain_text("Notice period (days): 30 → 45")
    assert held("c-0001")["emails"] == [kept]

    # The revert adds the address back and removes the number the job added: that removal is
    # listed and confirmed like any other.
    patch_log.bodies.clear()
    page.get_by_role("button", name="Revert this job").click()
    run_queued_tasks()
    expect(page.get_by_test_id("removals")).to_contain_text("+442079460991")  # added in E.164 (issue 25)
    pending = page.locator("tr[data-row-status=pending]")
    expect(pending).to_contain_text("Notice period (days): 45 → 30")
    expect(pending).to_contain_text(f"added {dropped['value']} ({dropped['type']})")
    page.screenshot(path=str(artifacts_dir / "bulk-revert-removals.png"), full_page=True)
    page.get_by_label("I have checked the entries listed above: remove them").check()
    start_and_finish(app, 1)
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(1)
    now = held("c-0001")
    assert (now["emails"], now["phone_numbers"]) == (ada["emails"], ada["phone_numbers"])
    assert [(field["id"], field["value"]) for field in now["custom_fields"]] == [
        (field["id"], field["value"]) for field in ada["custom_fields"]]
    assert len(patch_log.bodies) == 1
    assert set(patch_log.bodies[0]) == {"emails", "phone_numbers", "custom_fields"}
