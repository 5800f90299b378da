"""Choosing a select custom field's option in the browser fills the row's value_id (the option's
id) under "Advanced", and another option replaces it; the PATCH carries it. (Without JavaScript
the server does the same: tests/candidates/test_custom_field_options.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import App, PatchLog, ada_record

pytestmark = pytest.mark.e2e

NOTICE = {"id": "cf_notice_period", "remote_id": "r_cf_notice", "name": "Notice period (days)", "value": 30,
          "value_id": None, "remote_value_id": None}


def test_choosing_an_option_fills_value_id_and_another_replaces_it(app: App, patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"] = [NOTICE, {"id": "cf_stage", "remote_id": "r_cf_stage",
                                             "name": "Screening status", "value": "Completed",
                                             "value_id": "opt_stage_completed", "remote_value_id": "gh-77"}]
    record.save()
    app.open_ada()
    row = app.custom_field_row("cf_stage")
    row.locator("summary", has_text="Advanced").click()
    value_id = row.get_by_label("Value ID", exact=True)
    remote_value_id = row.get_by_label("Remote value ID", exact=True)
    expect(value_id).to_have_value("opt_stage_completed")
    row.get_by_label("Screening status", exact=True).select_option("In Progress")
    expect(value_id).to_have_value("opt_stage_in_progress")
    expect(remote_value_id).to_have_value("")  # it named the old option; the new one gives none

    # A new row: the field picked by name, then one of its options.
    new = app.add_row("custom_fields")
    new.get_by_label("Field").select_option(label="Screening status")
    new.get_by_label("Value", exact=True).select_option("Not Started")
    new.locator("summary", has_text="Advanced").click()
    expect(new.get_by_label("Value ID", exact=True)).to_have_value("opt_stage_not_started")

    app.save()
    app.expect_saved()
    stage = {"id": "cf_stage", "remote_id": "r_cf_stage", "name": "Screening status", "remote_value_id": None}
    assert patch_log.bodies == [{"custom_fields": [
        NOTICE,
        {**stage, "value": "In Progress", "value_id": "opt_stage_in_progress"},
        {**stage, "value": "Not Started", "value_id": "opt_stage_not_started"},
    ]}]
