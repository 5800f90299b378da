"""An Ops user in a real browser: the accounts page → Sync now → the status block shows the
queued sync, then (the queued task run in the test thread) the indexed count, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from candidates.worker import run_queued_tasks
from tests.directory.conftest import ACCOUNT
from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e


def test_sync_now_then_the_status_updates_in_place(
        anonymous_app: App, synced_sandbox, ops_user) -> None:
    app, page = anonymous_app, anonymous_app.page
    app.sign_in(ops_user.username)
    app.goto(app.url("/accounts/"))
    row = page.get_by_role("row").filter(has_text=ACCOUNT)
    expect(row).to_contain_text("0 candidates indexed · never synced")
    row.get_by_role("button", name="Sync now").click()
    expect(page.get_by_text(f"Sync of {ACCOUNT} queued.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=ACCOUNT)
    expect(row).to_contain_text("Full sync queued…")
    expect(row.get_by_role("button", name="Sync now")).to_be_disabled()
    page.evaluate("window.notReloaded = true")
    run_queued_tasks()
    expect(row).to_contain_text("64 candidates indexed · last sync 0 minutes ago", timeout=15_000)
    expect(row.get_by_role("button", name="Sync now")).to_be_enabled()
    assert page.evaluate("window.notReloaded") is True  # updated in place by directory.js
