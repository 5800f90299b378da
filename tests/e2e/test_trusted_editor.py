"""Issue 13 in the browser: no false "not applied" warning, Email and Emails kept together.

Against live_server and the seeded sandbox; the PATCH bodies that reached the sandbox are
asserted exactly, and the audit row's outcome read from the database.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from candidates.models import AuditEntry
from sandbox.seed import ADA as SEEDED
from tests.e2e.helpers import App, PatchLog, ada_record

pytestmark = pytest.mark.e2e

OLD = SEEDED["email"]
NEW = "ada.king@example.com"


def test_a_custom_field_the_ats_completes_is_saved_without_a_warning(app: App, patch_log: PatchLog) -> None:
    record = ada_record()  # Ada without a notice period: the recruiter adds it
    record.data["custom_fields"] = [f for f in record.data["custom_fields"] if f["id"] != "cf_notice_period"]
    record.save()
    page = app.page
    app.open_ada()
    expect(app.custom_field_row("cf_notice_period")).to_have_count(0)

    row = app.add_row("custom_fields")
    row.get_by_text("Advanced").click()  # typed by id, as for a field without a definition
    row.get_by_label("ID", exact=True).fill("cf_notice_period")
    row.get_by_label("Value", exact=True).fill("30")
    row.get_by_label("Value type").select_option("number")
    app.save()
    app.expect_saved()

    # The sandbox filled in the field's remote_id and name; that is no "not applied" difference.
    expect(page.get_by_test_id("not-applied")).to_have_count(0)
    held = next(f for f in ada_record().data["custom_fields"] if f["id"] == "cf_notice_period")
    assert (held["value"], held["remote_id"], held["name"]) == (30, "r_cf_notice", "Notice period (days)")
    assert patch_log.bodies[-1]["custom_fields"][-1] == {
        "id": "cf_notice_period", "remote_id": None, "name": None, "value": 30, "value_id": None,
        "remote_value_id": None,
    }
    entry = AuditEntry.objects.latest("created_at")
    assert entry.outcome == AuditEntry.Outcome.SAVED, (entry.outcome, entry.warnings)


def test_a_changed_email_takes_its_emails_row_along(app: App, patch_log: PatchLog) -> None:
    page = app.page
    app.open_ada()
    page.get_by_label("Email", exact=True).fill(NEW)
    app.review()
    assert app.reviewed_fields() == ["email", "emails"]
    emails_change = page.locator('tr[data-field="emails"]')
    expect(emails_change).to_contain_text(OLD)
    expect(emails_change).to_contain_text(NEW)
    expect(page.get_by_test_id("email-follow")).to_contain_text(f"the Emails row {OLD} becomes {NEW} too")
    app.confirm()
    app.expect_saved()
    assert patch_log.bodies == [{
        "email": NEW,
        "emails": [{"type": "personal", "value": NEW}, SEEDED["emails"][1]],
    }]
    assert ada_record().data["emails"][0] == {"type": "personal", "value": NEW}


def test_the_recruiter_can_keep_the_old_row_before_confirming(app: App, patch_log: PatchLog) -> None:
    page = app.page
    app.open_ada()
    page.get_by_label("Email", exact=True).fill(NEW)
    app.review()
    page.get_by_label(f"Keep {OLD} in Emails").check()
    page.get_by_role("button", name="Update the review").click()
    assert app.reviewed_fields() == ["email"]
    expect(page.get_by_label(f"Keep {OLD} in Emails")).to_be_checked()
    app.confirm()
    app.expect_saved()
    assert patch_log.bodies == [{"email": NEW}]
    assert ada_record().data["emails"] == SEEDED["emails"]


def test_a_changed_emails_row_that_held_email_takes_email_along(app: App, patch_log: PatchLog) -> None:
    page = app.page
    app.open_ada()
    app.rows("emails").first.get_by_label("Value").fill(NEW)
    app.review()
    assert app.reviewed_fields() == ["email", "emails"]
    expect(page.get_by_test_id("email-follow")).to_contain_text(f"Email becomes {NEW} too")
    app.confirm()
    app.expect_saved()
    followed = [{"type": "personal", "value": NEW}, SEEDED["emails"][1]]
    assert patch_log.bodies == [{"email": NEW, "emails": followed}]


def test_a_custom_field_is_picked_by_name_and_its_value_widget_follows_its_type(app: App,
                                                                              patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"] = []
    record.save()
    page = app.page
    app.open_ada()
    add = app.formset("custom_fields").get_by_role("button", name="Add custom fields row")
    add.press("Enter")  # the keyboard adds a row too
    row = app.rows("custom_fields").last
    row.get_by_label("Field").select_option(label="Notice period (days)")
    expect(row.get_by_label("Value", exact=True)).to_have_attribute("type", "number")
    expect(row.get_by_label("ID", exact=True)).to_have_value("cf_notice_period")
    expect(row.get_by_label("Remote ID")).to_have_value("r_cf_notice")
    expect(row.get_by_label("Value type")).to_have_value("number")
    expect(row.get_by_label("ID", exact=True)).to_be_hidden()  # behind "Advanced"
    row.get_by_label("Value", exact=True).fill("30")

    add.click()
    stage = app.rows("custom_fields").last
    stage.get_by_label("Field").select_option(label="Screening status")
    stage.get_by_label("Value", exact=True).select_option("Completed")
    app.save()
    app.expect_saved()
    expect(page.get_by_test_id("not-applied")).to_have_count(0)
    assert patch_log.bodies == [{"custom_fields": [
        {"id": "cf_notice_period", "remote_id": "r_cf_notice", "name": "Notice period (days)", "value": 30,
         "value_id": None, "remote_value_id": None},
        {"id": "cf_stage", "remote_id": "r_cf_stage", "name": "Screening status", "value": "Completed",
         "value_id": "opt_stage_completed", "remote_value_id": None},  # the option's id
    ]}]
    # The saved page shows each field by name, its value in a widget of its type, its ids as text.
    notice = app.custom_field_row("cf_notice_period")
    expect(notice.get_by_label("Notice period (days)")).to_have_value("30")
    expect(notice.get_by_label("Notice period (days)")).to_have_attribute("type", "number")
    expect(notice.locator("select")).to_have_count(0)  # the field is fixed: no "Field" to pick
    notice.get_by_text("Advanced").click()
    expect(notice.locator(".row-fixed")).to_contain_text("Remote IDr_cf_notice")


def test_fields_lever_does_not_accept_are_read_only_and_never_sent(app: App, patch_log: PatchLog) -> None:
    page = app.page
    app.goto(app.edit_url("lv-0001", account="sbx-lever"))
    hired_at = page.get_by_label("Hired at")
    expect(hired_at).to_be_disabled()
    expect(page.get_by_text("Lever does not accept Hired at through StackOne")).to_be_visible()
    expect(page.get_by_text("Lever does not accept Social links through StackOne")).to_be_visible()
    expect(app.formset("social_links").get_by_role("button", name="Add social links row")).to_have_count(0)
    expect(page.get_by_label("First name", exact=True)).to_be_enabled()
    page.get_by_label("First name", exact=True).fill("Grace")
    app.save()
    app.expect_saved()
    assert patch_log.bodies == [{"first_name": "Grace"}]


def test_the_form_adds_rows_on_demand_marks_changes_and_links_its_errors(app: App,
                                                                         patch_log: PatchLog) -> None:
    page = app.page
    page.set_viewport_size({"width": 1280, "height": 720})
    app.open_ada()
    # No always-on blank rows: Ada's two addresses, and "Add emails row" adds one.
    expect(app.rows("emails")).to_have_count(2)
    expect(page.locator('input[name="emails-TOTAL_FORMS"]')).to_have_value("2")
    app.formset("emails").get_by_role("button", name="Add emails row").press("Enter")
    expect(app.rows("emails")).to_have_count(3)
    expect(app.rows("emails").last.get_by_label("Type")).to_be_focused()

    # A changed field is marked before Review.
    last_name = page.get_by_label("Last name", exact=True)
    last_name.fill("King")
    expect(page.locator(".field", has=last_name)).to_have_class(re.compile(r"\bis-changed\b"))
    expect(page.locator(".field", has=page.get_by_label("First name", exact=True))).not_to_have_class(
        re.compile(r"\bis-changed\b"))

    # The sticky Save bar never covers the field that has the keyboard focus.
    bar = page.locator(".form-actions")
    for label in ("Company", "Country", "Application IDs"):
        page.get_by_label(label, exact=True).focus()
        focused = page.evaluate("() => document.activeElement.getBoundingClientRect().bottom")
        assert focused <= bar.bounding_box()["y"] + 1, label

    # The error summary names each problem plainly and links to its field.
    app.rows("emails").nth(0).get_by_label("Value").fill("not-an-email")
    page.get_by_role("link", name="Jump to “Review changes”").click()  # from the top of the form
    expect(app.save_button()).to_be_focused()
    page.keyboard.press("Enter")
    link = page.locator("#error-summary").get_by_role(
        "link", name="Emails, row 1, Value: Enter an email address like name@example.com.")
    link.click()
    expect(page.locator("#id_emails-0-value")).to_be_focused()
    assert patch_log.bodies == []


def test_ctrl_enter_reviews_from_anywhere_in_the_form(app: App) -> None:
    page = app.page
    app.open_ada()
    page.get_by_label("Title", exact=True).fill("Countess")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review changes to Ada Lovelace")
    assert app.reviewed_fields() == ["title"]
