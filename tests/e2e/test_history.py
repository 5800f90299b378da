"""Edit → review → confirm → the History tab shows who changed what, old → new."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from candidates.models import AuditEntry
from tests.e2e.helpers import App, PatchLog

pytestmark = pytest.mark.e2e


def test_a_confirmed_save_appears_in_the_history_tab_with_old_and_new_values(
    app: App, patch_log: PatchLog
) -> None:
    page = app.page
    app.open_ada()
    page.get_by_label("Title", exact=True).fill("Countess of Lovelace")
    app.review()
    review_row = page.locator('table.review-table tr[data-field="title"]')
    expect(review_row.locator("del")).to_have_text("Mathematician")
    expect(review_row.locator("ins")).to_have_text("Countess of Lovelace")
    app.confirm()
    app.expect_saved()

    page.get_by_role("link", name="History").click()
    # Named after the candidate: the save refreshed its directory row.
    expect(page.get_by_role("heading", level=1)).to_have_text("History of Ada Lovelace c-0001")
    app.expect_banner()
    entry = page.locator("table.audit-table tbody tr").first
    expect(entry).to_contain_text("recruiter")
    expect(entry.locator(".badge")).to_have_text("saved")
    change = entry.locator(".audit-changes li")
    expect(change).to_have_count(1)
    expect(change).to_contain_text("Title: Mathematician → Countess of Lovelace")
    expect(change.locator("del")).to_have_text("Mathematician")
    expect(change.locator("ins")).to_have_text("Countess of Lovelace")
    expect(entry).to_contain_text("id c-0001")

    row = AuditEntry.objects.get()
    assert (row.outcome, row.request_body) == ("saved", {"title": "Countess of Lovelace"})
    assert patch_log.bodies == [{"title": "Countess of Lovelace"}]
