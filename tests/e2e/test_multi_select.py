"""A multi-select custom field in the browser (issue 25 item 3): Skills are checkboxes of the
field's options, with the script (a stored row, and a row added and picked by name) and without
it; the PATCH carries the options' ids. (Form-level rules: tests/product/test_multi_select.py.)"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import App, PatchLog, ada_record

pytestmark = pytest.mark.e2e

NOTICE = {"id": "cf_notice_period", "remote_id": "r_cf_notice", "name": "Notice period (days)", "value": 30,
          "value_id": None, "remote_value_id": None}
SKILLS = {"id": "cf_skills", "remote_id": "r_cf_skills", "name": "Skills", "value_id": None,
          "remote_value_id": None}


def _ada_with(*rows: dict[str, Any]) -> None:
    record = ada_record()
    record.data["custom_fields"] = list(rows)
    record.save()


def test_skills_are_ticked_and_a_new_row_picked_by_name_offers_its_options(app: App,
                                                                         patch_log: PatchLog) -> None:
    _ada_with(NOTICE, {**SKILLS, "value": ["Python", "Cobol"]})
    app.open_ada()
    skills = app.page.get_by_role("group", name="Skills")
    expect(skills.get_by_label("Python")).to_be_checked()
    expect(skills.get_by_label("Django")).not_to_be_checked()
    expect(skills.get_by_label("Cobol (not an option)")).to_be_checked()
    expect(app.custom_field_row("cf_skills").locator(".field-flag")).to_contain_text(
        "“Cobol” is not an option of Skills.")
    skills.get_by_label("Django").check()
    app.assert_accessible("edit, Skills as checkboxes")

    # Skills removed, then added again as a new row: picked by name, its options appear.
    app.custom_field_row("cf_skills").get_by_role("button", name="Remove row").click()
    new = app.add_row("custom_fields")
    new.get_by_label("Field").select_option(label="Skills")
    new_skills = new.get_by_role("group", name="Value")
    new_skills.get_by_label("SQL").check()
    new_skills.get_by_label("Go", exact=True).check()

    app.review()
    custom = app.page.locator("tr[data-field=custom_fields]")
    expect(custom).to_contain_text("Skills: Python, Cobol → SQL, Go")
    app.confirm()
    app.expect_saved()
    sent = {**SKILLS, "value": ["opt_skill_sql", "opt_skill_go"]}
    assert patch_log.bodies == [{"custom_fields": [NOTICE, sent]}]


class TestWithoutJavaScript:
    @pytest.fixture
    def browser_context_args(self, browser_context_args: dict[str, Any]) -> dict[str, Any]:
        return {**browser_context_args, "java_script_enabled": False}

    def test_skills_are_checkboxes_and_a_new_row_takes_names(self, app: App, patch_log: PatchLog) -> None:
        _ada_with(NOTICE, {**SKILLS, "value": ["Python"]})
        app.open_ada()
        app.page.get_by_role("group", name="Skills").get_by_label("React").check()
        app.save()
        app.expect_saved()
        assert patch_log.bodies[-1] == {"custom_fields": [
            NOTICE, {**SKILLS, "value": ["opt_skill_python", "opt_skill_react"]}]}

        _ada_with(NOTICE)
        app.open_ada()
        rows = app.rows("custom_fields")
        expect(rows).to_have_count(1)
        # No script: "Add custom fields row" asks the server for the row to type into.
        app.page.get_by_role("button", name="Add custom fields row").click()
        expect(rows).to_have_count(2)
        row = rows.last
        row.get_by_label("Field").select_option(label="Skills")
        row.get_by_label("Value", exact=True).fill("Python, SQL")
        app.save()
        app.expect_saved()
        assert patch_log.bodies[-1] == {"custom_fields": [
            NOTICE, {**SKILLS, "value": ["opt_skill_python", "opt_skill_sql"]}]}
