"""No JSON to type (issue 25 item 3): a multi-select custom field ("Skills") is a checkbox per
option of its definition, sent as the options' ids; a stored value outside the options is shown
flagged and kept; without JavaScript a row added and picked by name takes its options typed by
label. Against the sandbox (Greenhouse's Skills: options ``opt_skill_*``) over real HTTP; the
PATCH bodies are the ones that reached it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.candidates.form_data import add_row
from tests.candidates.test_custom_field_options import EDIT_PATH, NOTICE, page_post
from tests.e2e.helpers import PatchLog, ada_record

SKILLS = {"id": "cf_skills", "remote_id": "r_cf_skills", "name": "Skills", "value_id": None,
          "remote_value_id": None}


def skills(value: Any) -> dict[str, Any]:
    return {**SKILLS, "value": value}


@pytest.fixture
def ada_skills(sandbox) -> None:
    record = ada_record()
    record.data["custom_fields"] = [NOTICE, skills(["Python", "Django", "Cobol"])]
    record.save()


@pytest.fixture
def sending(ada_skills, editor_client: Client, editor_user) -> Client:
    editor_client.post("/preferences/review/", {"review_before_save": "off", "next": EDIT_PATH})
    return editor_client


def test_skills_are_checkboxes_of_the_options_never_json(ada_skills, editor_client: Client) -> None:
    page = editor_client.get(EDIT_PATH).content.decode()
    group = page.split("<legend>Skills</legend>")[1].split("</fieldset>")[0]
    for option_id, label in (("opt_skill_python", "Python"), ("opt_skill_django", "Django")):
        assert f'type="checkbox" name="custom_fields-1-value" value="{option_id}"' in group
        assert f'value="{option_id}"' in group.split(label)[0].rsplit("<label", 1)[1]
    assert 'value="opt_skill_go"' in group and "> Go</label>" in group
    boxes = group.split("<input")[1:]
    checked = [box.split('value="')[1].split('"')[0] for box in boxes if "checked" in box]
    assert checked == ["opt_skill_python", "opt_skill_django", 'kept:&#34;Cobol&#34;']
    # The stored item outside the options: its own box, ticked, and flagged.
    assert "Cobol (not an option)" in group
    assert ("Stored value flagged: “Cobol” is not an option of Skills. It will be kept unless you change "
            "it.") in group
    assert "[&quot;Python&quot;" not in page  # no JSON to type


def test_ticking_an_option_sends_the_options_ids_and_keeps_the_stored_item(sending: Client,
                                                                            patch_log: PatchLog) -> None:
    data = page_post()
    data["custom_fields-1-value"] = ["opt_skill_python", "opt_skill_go", 'kept:"Cobol"']  # Django unticked
    assert sending.post(EDIT_PATH, data).status_code == 302
    sent = skills(["opt_skill_python", "opt_skill_go", "Cobol"])
    assert patch_log.bodies == [{"custom_fields": [NOTICE, sent]}]
    # Read back, the ids are ticked as those options.
    page = sending.get(EDIT_PATH).content.decode()
    assert 'value="opt_skill_go" class="option-checks" id="id_custom_fields-1-value_5" checked' in page


def test_skills_left_alone_are_no_change(sending: Client, patch_log: PatchLog) -> None:
    assert sending.post(EDIT_PATH, page_post(first_name="Augusta")).status_code == 302
    assert patch_log.bodies == [{"first_name": "Augusta"}]


def test_unticking_the_stored_item_drops_it(sending: Client, patch_log: PatchLog) -> None:
    data = page_post()
    data["custom_fields-1-value"] = ["opt_skill_python", "opt_skill_django"]
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"custom_fields": [NOTICE, skills(["opt_skill_python", "opt_skill_django"])]}]


def test_without_javascript_a_new_row_takes_its_options_typed_by_name(sending: Client,
                                                                       patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"] = [NOTICE]
    record.save()
    data = page_post()
    add_row(data, "custom_fields", {"definition": "cf_skills", "value": "python, sql"})
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"custom_fields": [NOTICE, skills(["opt_skill_python", "opt_skill_sql"])]}]


def test_a_typed_name_that_is_no_option_is_refused_beside_the_field_and_kept(sending: Client,
                                                                             patch_log: PatchLog) -> None:
    record = ada_record()
    record.data["custom_fields"] = [NOTICE]
    record.save()
    data = page_post()
    add_row(data, "custom_fields", {"definition": "cf_skills", "value": "Python; Cobol"})
    response = sending.post(EDIT_PATH, data)
    page = response.content.decode()
    assert response.status_code == 400 and patch_log.bodies == []
    assert ("“Cobol” is not an option of Skills: Python, Django, SQL, TypeScript, React, Go"
            in page)
    assert 'name="custom_fields-1-value" value="Python; Cobol"' in page  # nothing typed is lost


def test_a_defined_fields_row_ticked_remove_is_removed(sending: Client, patch_log: PatchLog) -> None:
    # Its ids are implied by its field (only the field's id is posted): its Remove box still counts.
    data = page_post()
    data["custom_fields-1-DELETE"] = "on"
    assert sending.post(EDIT_PATH, data).status_code == 302
    assert patch_log.bodies == [{"custom_fields": [NOTICE]}]
