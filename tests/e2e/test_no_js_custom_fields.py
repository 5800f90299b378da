"""Custom fields by name without JavaScript (issue 13, item 6): a custom field row added by the
server ("Add custom fields row" without a script) picks a field by name, and the server fills
in its id, remote id and name and types the value by the field's definition, as the script
does in a browser that runs it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import App, PatchLog, ada_record

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "java_script_enabled": False}


def test_a_custom_field_picked_by_name_without_javascript_is_filled_in_server_side(
        app: App, patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"] = []
    record.save()
    app.open_ada()
    # No script: no blank row sits there; "Add custom fields row" asks the server for one.
    rows = app.rows("custom_fields")
    expect(rows).to_have_count(0)
    app.page.get_by_role("button", name="Add custom fields row").click()
    expect(rows).to_have_count(1)
    row = rows.last
    expect(row.get_by_label("ID", exact=True)).to_have_value("")
    row.get_by_label("Field").select_option(label="Notice period (days)")
    row.get_by_label("Value", exact=True).fill("30")

    app.save()
    app.expect_saved()
    assert patch_log.bodies == [{"custom_fields": [
        {"id": "cf_notice_period", "remote_id": "r_cf_notice", "name": "Notice period (days)", "value": 30,
         "value_id": None, "remote_value_id": None},
    ]}]
    held = next(f for f in ada_record().data["custom_fields"] if f["id"] == "cf_notice_period")
    assert held["value"] == 30
    # The saved form shows the field by name again, its ids filled in, its value a number.
    app.open_ada()
    notice = app.custom_field_row("cf_notice_period")
    expect(notice.get_by_label("Notice period (days)")).to_have_value("30")
    notice.get_by_text("Advanced").click()  # <details> opens without a script
    expect(notice.locator(".row-fixed")).to_contain_text("Remote IDr_cf_notice")
    expect(notice.locator(".row-fixed")).to_contain_text("Value typeNumber")
