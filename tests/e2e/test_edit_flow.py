"""A recruiter finds Ada by email, corrects her record in one form, and sees what StackOne saved.

Checked twice: in the browser (what the user sees) and in the sandbox's own table (what the
"ATS" now holds), plus the PATCH body that reached the sandbox.
"""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

from sandbox.seed import ADA as SEEDED
from tests.e2e.helpers import ADA, App, PatchLog, ada_record, patch_count
from tests.sandbox_support import request_body_errors

pytestmark = pytest.mark.e2e

NEW_EMAIL = {"type": "other", "value": "ada.king@example.org"}


def test_search_edit_and_save_sends_only_the_changes(app: App, patch_log: PatchLog) -> None:
    page = app.page

    # Find Ada by email from the candidate list.
    app.goto(app.list_url())
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_role("button", name="Search").click()
    app.expect_banner()
    results = page.locator("table.data-table tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("ada@example.com")
    results.first.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    assert page.url == app.edit_url(), page.url
    app.expect_banner()

    # What StackOne holds is what the form shows.
    expect(page.get_by_label("Last name", exact=True)).to_have_value("Lovelace")
    phones = app.rows("phone_numbers")
    expect(phones.nth(0).get_by_label("Phone")).to_have_value("+447700900123")
    expect(phones.nth(1).get_by_label("Phone")).to_have_value("+442079460000")
    notice = app.custom_field_row("cf_notice_period")
    expect(notice.get_by_label("Notice period (days)")).to_have_value("30")
    expect(notice.get_by_label("Notice period (days)")).to_have_attribute("type", "number")

    # Edit: last name, a new email row (script-added), drop the work phone, notice period 45.
    page.get_by_label("Last name", exact=True).fill("King")
    emails = app.rows("emails")
    before = emails.count()
    app.formset("emails").get_by_role("button", name="Add emails row").click()
    expect(emails).to_have_count(before + 1)
    new_row = emails.last
    new_row.get_by_label("Type").fill(NEW_EMAIL["type"])
    new_row.get_by_label("Value").fill(NEW_EMAIL["value"])
    work_phone = phones.nth(1)
    work_phone.get_by_role("button", name="Remove row").click()
    expect(work_phone.get_by_role("button", name="Undo remove")).to_have_attribute("aria-pressed", "true")
    notice.get_by_label("Notice period (days)").fill("45")

    # Review first: the four changed fields, nothing sent yet.
    app.review()
    expect(page.get_by_text("Nothing has been sent yet.")).to_be_visible()
    assert app.reviewed_fields() == ["last_name", "emails", "phone_numbers", "custom_fields"]
    expect(page.locator('tr[data-field="last_name"]')).to_contain_text("Lovelace")
    expect(page.locator('tr[data-field="last_name"]')).to_contain_text("King")
    expect(page.locator('tr[data-field="emails"]')).to_contain_text(NEW_EMAIL["value"])
    expect(page.locator('tr[data-field="phone_numbers"]')).to_contain_text("+442079460000")
    assert patch_count() == 0 and patch_log.bodies == []

    app.confirm()

    # The confirmation names what StackOne returned.
    confirmation = page.locator("section.confirmation")
    app.expect_saved()
    expect(page.get_by_test_id("saved-id")).to_have_text(ADA)
    expect(page.get_by_test_id("saved-remote-id")).to_have_text("gh-cand-10001")
    expect(confirmation).to_contain_text("Fields sentLast name, Emails, Phone numbers, Custom fields")
    # The ids are shown once, in the confirmation (no flash message repeating them).
    expect(confirmation.get_by_text("gh-cand-10001", exact=True)).to_have_count(1)
    expect(page.locator(".messages")).to_have_count(0)
    assert page.url == app.edit_url(), "after saving, the edit page is shown again (post/redirect/get)"
    app.expect_banner()

    # The form is re-read from StackOne and shows the new values.
    expect(page.get_by_label("Last name", exact=True)).to_have_value("King")
    expect(app.rows("emails").nth(2).get_by_label("Value")).to_have_value(NEW_EMAIL["value"])
    expect(app.rows("phone_numbers").nth(0).get_by_label("Phone")).to_have_value("+447700900123")
    expect(app.rows("phone_numbers")).to_have_count(1)  # no blank row: "Add row" adds one
    expect(app.custom_field_row("cf_notice_period").get_by_label("Notice period (days)")).to_have_value("45")

    # The sandbox ("the ATS") holds exactly the new values; nothing else moved.
    data = ada_record().data
    assert data["last_name"] == "King"
    assert data["emails"] == SEEDED["emails"] + [NEW_EMAIL]
    assert data["phone_numbers"] == [{"type": "mobile", "phone": "+447700900123"}]
    notice_value = next(f["value"] for f in data["custom_fields"] if f["id"] == "cf_notice_period")
    assert notice_value == 45 and type(notice_value) is int, repr(notice_value)
    expected_custom_fields = copy.deepcopy(SEEDED["custom_fields"])
    expected_custom_fields[0]["value"] = 45
    assert data["custom_fields"] == expected_custom_fields
    changed = {"last_name", "emails", "phone_numbers", "custom_fields"}
    untouched = {key: value for key, value in SEEDED.items() if key not in changed}
    assert {key: data.get(key) for key in untouched} == untouched

    # One PATCH, holding only the four fields the user changed.
    assert patch_count() == 1
    assert len(patch_log.bodies) == 1
    body = patch_log.bodies[0]
    assert set(body) == changed, sorted(body)
    assert body["last_name"] == "King"
    assert body["emails"] == SEEDED["emails"] + [NEW_EMAIL]
    assert body["phone_numbers"] == [{"type": "mobile", "phone": "+447700900123"}]
    assert request_body_errors(body) == [], "the body must match AtsUpdateCandidateRequestDto"


def test_invalid_input_shows_errors_beside_fields_and_keeps_everything_typed(
    app: App, patch_log: PatchLog
) -> None:
    page = app.page
    app.open_ada()

    page.get_by_label("Last name", exact=True).fill("King")
    first_email = app.rows("emails").nth(0).get_by_label("Value")
    first_email.fill("not-an-email")
    page.get_by_label("Passthrough").fill('{"source": "e2e",')
    app.save_button().click()  # "Review changes": checked before anything is shown or sent

    # Told on top, shown beside each field.
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Nothing was saved.")
    expect(summary).to_contain_text("2 problems")
    expect(summary).to_be_focused()
    expect(app.field_errors("id_emails-0-value")).to_contain_text(
        "Enter an email address like name@example.com"
    )
    expect(app.field_errors("id_passthrough")).to_contain_text("Passthrough is not valid JSON")
    expect(app.field_errors("id_last_name")).to_have_count(0)
    # Screen readers hear the same: the inputs are marked invalid and described by their error.
    bad_email = app.rows("emails").nth(0).get_by_label("Value")
    expect(bad_email).to_have_attribute("aria-invalid", "true")
    expect(bad_email).to_have_accessible_description(
        re.compile("Enter an email address like name@example.com")
    )
    expect(page.get_by_label("Passthrough")).to_have_accessible_description(re.compile("not valid JSON"))
    app.expect_banner()

    # Everything typed is still there.
    expect(page.get_by_label("Last name", exact=True)).to_have_value("King")
    expect(app.rows("emails").nth(0).get_by_label("Value")).to_have_value("not-an-email")
    expect(page.get_by_label("Passthrough")).to_have_value('{"source": "e2e",')
    expect(app.save_button()).to_be_enabled()

    # Nothing was sent, nothing changed.
    assert patch_count() == 0
    assert patch_log.bodies == []
    assert ada_record().data["last_name"] == "Lovelace"
