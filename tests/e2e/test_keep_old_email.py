"""The edit page's "Keep <old address> in Emails" choice in a browser: with the review step off
it is the only place to keep the old Emails row; with it on, it appears once Email changes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import App, PatchLog

pytestmark = pytest.mark.e2e

NEW = "ada.byron@example.com"
WORK = {"type": "work", "value": "ada.lovelace@analytical.example"}
KEEP = "Keep ada@example.com in Emails when Email changes"


def test_with_the_review_step_off_the_old_row_can_be_kept(app: App, patch_log: PatchLog) -> None:
    app.open_ada()
    app.set_review_step(on=False)
    keep = app.page.get_by_label(KEEP)
    expect(keep).to_be_visible()
    app.page.get_by_label("Email", exact=True).fill(NEW)
    keep.check()
    expect(app.page.locator(".field.is-changed", has=app.page.locator("#id_email"))).to_have_count(1)
    app.save_button().click()
    app.expect_saved()
    assert patch_log.bodies == [{"email": NEW}]
    # Now Email (the new address) is in no Emails row: nothing would follow, nothing is offered.
    expect(app.page.locator("[data-keep-old-email]")).to_have_count(0)


def test_with_the_review_step_off_a_new_email_takes_the_row_along(app: App, patch_log: PatchLog) -> None:
    app.open_ada()
    app.set_review_step(on=False)
    app.page.get_by_label("Email", exact=True).fill(NEW)
    expect(app.page.get_by_label(KEEP)).not_to_be_checked()
    app.save_button().click()
    app.expect_saved()
    assert patch_log.bodies == [{"email": NEW, "emails": [{"type": "personal", "value": NEW}, WORK]}]


def test_with_the_review_step_on_the_choice_appears_when_email_changes(app: App, patch_log: PatchLog) -> None:
    app.open_ada()
    keep = app.page.get_by_label(KEEP)
    expect(keep).to_be_hidden()
    app.page.get_by_label("Email", exact=True).fill(NEW)
    expect(keep).to_be_visible()
    keep.check()
    app.review()
    expect(app.page.get_by_test_id("email-follow")).to_contain_text(
        "Email changes, and the Emails row ada@example.com stays as it is.")
    app.confirm()
    app.expect_saved()
    assert patch_log.bodies == [{"email": NEW}]
