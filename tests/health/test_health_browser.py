"""An Ops user in a real browser: Data health → the phone check → apply all → the bulk job's
preview → start → results → back on Data health the phone check's count is 0; and a company
cluster → pick the spelling with accents → apply → the preview shows that spelling as written.

The findings are filled with ``health_index`` from the sandbox's candidates (what the directory
sync will do); each saved bulk row refreshes its candidate's findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from candidates.worker import run_queued_tasks
from sandbox.models import SandboxCandidate
from tests.e2e.helpers import App
from tests.health.conftest import ACCOUNT, index_sandbox, sandbox_set

pytestmark = pytest.mark.e2e


def test_phone_check_apply_all_preview_start_results_and_count_zero(
    anonymous_app: App, ops_user, patch_log, artifacts_dir: Path
) -> None:
    app, page = anonymous_app, anonymous_app.page
    sandbox_set(
        "c-0002",
        country="United Kingdom",
        phone_numbers=[
            {"type": "mobile", "phone": "07400 100456"},
            {"type": "work", "phone": "+442079460000"},
        ],
    )
    sandbox_set("c-0005", country="United Kingdom", phone="020 7946 0017", phone_numbers=[])
    index_sandbox()
    app.sign_in(ops_user.username)

    page.get_by_role("link", name="Data health").click()
    page.get_by_role("link", name="Greenhouse (sandbox)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Data health: Greenhouse (sandbox) {ACCOUNT}")
    phone_row = page.locator("tr[data-check=phone_format]")
    expect(phone_row.locator(".health-count")).to_have_text("2")
    phone_row.get_by_role("link", name="Phone numbers not in E.164").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Phone numbers not in E.164: 2 findings")
    expect(page.locator("tr[data-candidate=c-0002]")).to_contain_text("+447400100456")
    page.screenshot(path=str(artifacts_dir / "health-phone-check.png"), full_page=True)
    app.assert_accessible("data health, phone check")

    page.get_by_role("button", name="Apply all 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    expect(page.get_by_text("Review the changes below, then start the job")).to_be_visible()
    run_queued_tasks()  # the preview
    expect(page.get_by_role("button", name="Start: send 2 rows")).to_be_visible()
    expect(page.locator("tr[data-row-status=pending]").first).to_contain_text("+447400100456")
    assert patch_log.bodies == []  # nothing written before start

    page.get_by_role("button", name="Start: send 2 rows").click()
    run_queued_tasks()
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible()
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(2)
    assert sorted(patch_log.bodies, key=str) == sorted(
        [
            {
                "phone_numbers": [
                    {"type": "mobile", "phone": "+447400100456"},
                    {"type": "work", "phone": "+442079460000"},
                ]
            },
            {"phone": "+442079460017"},
        ],
        key=str,
    )
    assert (
        SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id="c-0005").data["phone"]
        == "+442079460017"
    )

    page.get_by_role("link", name="Data health").click()
    page.get_by_role("link", name="Greenhouse (sandbox)").click()
    expect(page.locator("tr[data-check=phone_format] .health-count")).to_have_text("0")
    page.screenshot(path=str(artifacts_dir / "health-after-fix.png"), full_page=True)


def test_a_cluster_keeps_the_spelling_picked_with_its_accents(
    anonymous_app: App, ops_user, patch_log, artifacts_dir: Path
) -> None:
    app, page = anonymous_app, anonymous_app.page
    for cid, company in [
        ("c-0002", "Societe Generale"),
        ("c-0003", "Societe Generale"),
        ("c-0004", "Société Générale"),
    ]:
        sandbox_set(cid, company=company)
    index_sandbox()
    app.sign_in(ops_user.username)

    page.get_by_role("link", name="Data health").click()
    page.get_by_role("link", name="Greenhouse (sandbox)").click()
    page.get_by_role("link", name="Company spellings").click()
    cluster = page.locator("tr[data-cluster='generale societe']")
    spellings = cluster.get_by_role("group", name="Spellings of “Societe Generale”")
    expect(spellings.get_by_role("radio", name="Societe Generale (2)")).to_be_checked()  # the most common
    spellings.get_by_role("radio", name="Société Générale (1)").check()
    page.screenshot(path=str(artifacts_dir / "health-company-cluster.png"), full_page=True)
    app.assert_accessible("data health, company clusters")

    cluster.get_by_role("button", name="Apply this spelling").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    run_queued_tasks()  # the preview
    expect(page.get_by_role("button", name="Start: send 2 rows")).to_be_visible()
    pending = page.locator("tr[data-row-status=pending]")
    expect(pending).to_have_count(2)
    for row in (pending.nth(0), pending.nth(1)):
        expect(row.locator("li[data-field=company] ins")).to_have_text("Société Générale")
        expect(row.locator("li[data-field=company] del")).to_have_text("Societe Generale")
    assert patch_log.bodies == []  # nothing written before start

    page.get_by_role("button", name="Start: send 2 rows").click()
    run_queued_tasks()
    expect(page.locator("tr[data-row-status=saved]")).to_have_count(2)
    assert patch_log.bodies == [{"company": "Société Générale"}] * 2
