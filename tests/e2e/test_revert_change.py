"""Edit → History → "Revert this change" → review → confirm: the old value is back, and History
links the two saves both ways (issue 19, part 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from candidates.models import AuditEntry
from tests.e2e.helpers import App, PatchLog, ada_record

pytestmark = pytest.mark.e2e


def test_a_save_is_reverted_from_history_through_the_review_step(
        app: App, patch_log: PatchLog, artifacts_dir) -> None:
    page = app.page
    app.open_ada()
    page.get_by_label("Title", exact=True).fill("Countess of Lovelace")
    app.save()
    app.expect_saved()

    page.get_by_role("link", name="History").click()
    page.get_by_role("link", name="Revert this change").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review changes to Ada Lovelace")
    expect(page.get_by_test_id("reverting")).to_contain_text("Reverting the change saved by recruiter on")
    assert app.reviewed_fields() == ["title"]
    row = page.locator('table.review-table tr[data-field="title"]')
    expect(row.locator("del")).to_have_text("Countess of Lovelace")
    expect(row.locator("ins")).to_have_text("Mathematician")
    app.assert_accessible("review of a revert")
    page.screenshot(path=str(artifacts_dir / "revert-change-review.png"), full_page=True)
    app.confirm()
    app.expect_saved()
    assert ada_record().data["title"] == "Mathematician"
    assert patch_log.bodies == [{"title": "Countess of Lovelace"}, {"title": "Mathematician"}]

    page.get_by_role("link", name="History").click()
    entries = page.locator("table.audit-table tbody tr")
    newest, first = entries.nth(0), entries.nth(1)
    expect(newest.get_by_test_id("reverts")).to_contain_text("Reverts the change by recruiter on")
    expect(first.get_by_test_id("reverted-by")).to_contain_text("Reverted by recruiter on")
    original = AuditEntry.objects.get(request_body={"title": "Countess of Lovelace"})
    newest.get_by_test_id("reverts").get_by_role("link").click()
    history = app.url("/accounts/sbx-greenhouse/candidates/c-0001/history/")
    expect(page).to_have_url(f"{history}#entry-{original.pk}")
