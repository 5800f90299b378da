"""A select custom field's option fills the row's value_id (the option's id, as StackOne's
``CustomFieldOption`` says: "to be used when updating the custom field") and, when the option
carries one, its remote_value_id. Here the page without JavaScript: the server fills them in;
tests/e2e/test_custom_field_options.py does the same with the script in a browser.

Against the sandbox (Greenhouse's "Screening status" options are ``opt_stage_*``); the PATCH
bodies are the ones that reached it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from candidates import services
from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.field_meta import definitions_data
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.types import Candidate, CustomFieldDefinition
from tests.candidates.form_data import add_row, editor_post_data
from tests.e2e.helpers import ADA, PatchLog, ada_record

ACCOUNT = "sbx-greenhouse"
EDIT_PATH = f"/accounts/{ACCOUNT}/candidates/{ADA}/"
NOTICE = {"id": "cf_notice_period", "remote_id": "r_cf_notice", "name": "Notice period (days)", "value": 30,
          "value_id": None, "remote_value_id": None}
RELOCATE = {"id": "cf_relocate", "remote_id": "r_cf_relocate", "name": "Willing to relocate", "value": True,
            "value_id": None, "remote_value_id": None}
STAGE = {"id": "cf_stage", "remote_id": "r_cf_stage", "name": "Screening status"}


def stage_row(value: str | None, value_id: str | None) -> dict[str, Any]:
    return {**STAGE, "value": value, "value_id": value_id, "remote_value_id": None}


def page_post(**changes: str) -> dict[str, Any]:
    """Ada's edit page (with the account's definitions) as a browser without JavaScript posts it."""
    candidate = services.candidate_get(account_id=ACCOUNT, candidate_id=ADA)
    definitions = services.custom_field_definitions(account_id=ACCOUNT)
    data = editor_post_data(CandidateEditor(candidate, definitions=definitions))
    data.update(snapshot=snapshot_dumps(candidate, account_id=ACCOUNT), form_token=token_new(), **changes)
    return data


@pytest.fixture
def sending(sandbox, editor_client: Client, editor_user) -> Client:
    """The editor's client, its review step off (Save sends at once)."""
    editor_client.post("/preferences/review/", {"review_before_save": "off", "next": EDIT_PATH})
    return editor_client


def stage_index() -> int:
    return [row["id"] for row in ada_record().data["custom_fields"]].index("cf_stage")


def test_choosing_an_option_sends_its_id_as_value_id(sending: Client, patch_log: PatchLog) -> None:
    data = page_post(**{f"custom_fields-{stage_index()}-value": "In Progress"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"custom_fields": [NOTICE, RELOCATE, stage_row("In Progress",
                                                                                "opt_stage_in_progress")]}]


def test_another_option_replaces_a_stale_value_id(sending: Client, patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"][stage_index()].update(value_id="opt_stage_completed",
                                                       remote_value_id="gh-opt-77")
    record.save()
    data = page_post(**{f"custom_fields-{stage_index()}-value": "Not Started"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    # The remote id named the old option too: the new option gives none, so none is sent.
    assert patch_log.bodies == [{"custom_fields": [NOTICE, RELOCATE, stage_row("Not Started",
                                                                                "opt_stage_not_started")]}]


def test_a_field_picked_by_name_and_its_option_typed_gets_the_options_id(
        sending: Client, patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"] = [NOTICE]
    record.save()
    data = page_post()
    add_row(data, "custom_fields", {"definition": "cf_stage", "value": "Completed"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"custom_fields": [NOTICE, stage_row("Completed", "opt_stage_completed")]}]


def test_a_value_that_is_no_option_drops_the_old_options_ids(
        sending: Client, patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"][stage_index()].update(value_id="opt_stage_completed")
    record.save()
    data = page_post(**{f"custom_fields-{stage_index()}-value": ""})
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"custom_fields": [NOTICE, RELOCATE, stage_row("", None)]}]


def test_ids_typed_under_advanced_win_and_rows_left_alone_keep_theirs(
        sending: Client, patch_log: PatchLog) -> None:
    index = stage_index()
    data = page_post(**{f"custom_fields-{index}-value": "In Progress",
                        f"custom_fields-{index}-value_id": "mine"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    # Only first name changes: Ada's stored "Completed" (no value_id) is not a change to send.
    assert sending.post(EDIT_PATH, page_post(first_name="Augusta")).status_code == 302
    assert patch_log.bodies == [
        {"custom_fields": [NOTICE, RELOCATE, stage_row("In Progress", "mine")]},
        {"first_name": "Augusta"},
    ]


# -- the option's remote id, when the ATS gives one (no sandbox definition carries it) ---------

DEFINITION = CustomFieldDefinition.from_api({
    "id": "cf_stage", "remote_id": "r_stage", "name": "Screening status", "type": {"value": "single_select"},
    "options": [{"id": "o1", "remote_id": "ro-1", "value": "Not started"}, {"id": "o2", "value": "Done"}],
})


def test_an_options_remote_id_becomes_the_remote_value_id(db: None) -> None:
    candidate = Candidate.from_api({"id": "c-1", "custom_fields": [
        {"id": "cf_stage", "remote_id": "r_stage", "name": "Screening status", "value": "Done",
         "value_id": "o2", "remote_value_id": None}]})
    data = editor_post_data(CandidateEditor(candidate, definitions=[DEFINITION]))
    data["custom_fields-0-value"] = "Not started"
    editor = CandidateEditor(candidate, data, definitions=[DEFINITION])
    assert editor.is_valid()
    assert editor.edit().rows["custom_fields"] == [
        {"id": "cf_stage", "remote_id": "r_stage", "name": "Screening status", "value": "Not started",
         "value_id": "o1", "remote_value_id": "ro-1"}]


def test_the_script_reads_each_options_ids() -> None:
    assert definitions_data([DEFINITION])[0]["options"] == [
        {"value": "Not started", "id": "o1", "remote_id": "ro-1"},
        {"value": "Done", "id": "o2", "remote_id": None},
    ]
