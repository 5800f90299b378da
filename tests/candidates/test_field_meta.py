"""Custom fields by name (issue 13, item 6): rows driven by the account's definitions.

The page without JavaScript: the server renders a "Field" select of names, a value widget for
the definition's type, the technical columns behind "Advanced", and fills in what a pick implies.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.types import Candidate, CustomFieldDefinition
from tests.candidates.form_data import add_row, editor_post_data
from tests.candidates.view_helpers import (
    ACCOUNT,
    BASE_URL,
    DEFINITIONS_URL,
    EDIT_PATH,
    candidate_json,
    mock_get,
    mock_reads,
    patch_ok,
    post_step,
    text_of,
)

DEFINITIONS = [
    {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period", "type": {"value": "integer"},
     "options": []},
    {"id": "cf_relocate", "remote_id": "r_relocate", "name": "Willing to relocate",
     "type": {"value": "boolean"}, "options": []},
    {"id": "cf_stage", "remote_id": "r_stage", "name": "Screening status", "type": {"value": "single_select"},
     "options": [{"id": "o1", "value": "Not started"}, {"id": "o2", "value": "Completed"}]},
    {"id": "cf_start", "remote_id": "r_start", "name": "Available from", "type": {"value": "date"},
     "options": []},
]
STORED = [{"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period", "value": 30},
          {"id": "cf_legacy", "name": "Legacy code", "value": "X-1"}]


def mock_definitions(stackone) -> None:
    stackone.get(DEFINITIONS_URL, json={"next": None, "data": DEFINITIONS})


def page_post(candidate_data: dict[str, Any], **changes: str) -> dict[str, Any]:
    """The POST data of the edit page as rendered with the definitions, with ``changes``."""
    candidate = Candidate.from_api(candidate_data)
    definitions = [CustomFieldDefinition.from_api(item) for item in DEFINITIONS]
    data = editor_post_data(CandidateEditor(candidate, definitions=definitions))
    data.update(snapshot=snapshot_dumps(candidate, account_id=ACCOUNT), form_token=token_new(), **changes)
    return data


def row_html(page: str, index: int | str) -> str:
    start = page.rindex('<div class="formset-row', 0, page.index(f'name="custom_fields-{index}-definition"'))
    return page[start:page.index("Remove row", start)]


def test_rows_pick_fields_by_name_with_a_widget_for_their_type(editor_client: Client,
        stackone) -> None:
    mock_get(stackone, candidate_json(custom_fields=STORED))
    mock_definitions(stackone)
    page = text_of(editor_client.get(EDIT_PATH))
    notice, legacy = row_html(page, 0), row_html(page, 1)
    blank = text_of(editor_client.get(f"/accounts/{ACCOUNT}/editor/new-row/?list=custom_fields"))  # "Add row"
    # A stored field with a definition is that field: its value labelled by the field's name, a
    # widget for its type, its ids and name shown as text.
    assert '<label for="id_custom_fields-0-value">Notice period</label>' in notice
    assert '<input type="number" name="custom_fields-0-value" value="30" step="1"' in notice
    assert "<select" not in notice  # no "Field" or "Value type" select to render or post
    # Only the field's id is posted (hidden); the columns it implies are text.
    assert re.findall(r'name="(custom_fields-0-[A-Za-z_]+)"', notice) == [
        "custom_fields-0-definition", "custom_fields-0-value", "custom_fields-0-DELETE"]
    assert '<input type="hidden" name="custom_fields-0-definition" value="cf_notice"' in notice
    assert "<dt>Remote ID</dt><dd>r_notice</dd>" in notice and "<dt>Value type</dt><dd>Number</dd>" in notice
    assert '<details class="row-advanced">' in notice  # technical columns closed
    # A field without a definition edits as before, its columns open.
    assert '<option value="" selected>Other (see Advanced)</option>' in legacy
    assert '<input type="text" name="custom_fields-1-value" value="X-1"' in legacy
    assert '<details class="row-advanced" open>' in legacy
    # A new row ("Add row" fetches the formset's empty form) picks its field by name, alphabetically.
    assert "Choose a field…" in blank
    names = re.findall(r'<option value="(cf_\w+)"', blank)
    assert names == ["cf_start", "cf_notice", "cf_stage", "cf_relocate"]
    assert ('<div id="custom-field-definitions" hidden '
            'data-definitions="[{&quot;id&quot;: &quot;cf_notice') in page


def test_a_stored_defined_field_posted_back_untouched_sends_nothing_and_a_new_value_keeps_its_ids(
        editor_client: Client, stackone) -> None:
    before = candidate_json(custom_fields=STORED)
    mock_definitions(stackone)
    mock_reads(stackone, before=before, after=before)
    assert post_step(editor_client, page_post(before)).status_code == 302
    assert not [call for call in stackone.calls if call.request.method == "PATCH"]
    patch_ok(stackone, {"custom_fields": [
        {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period", "value": 45,
         "value_id": None, "remote_value_id": None},
        {"id": "cf_legacy", "remote_id": None, "name": "Legacy code", "value": "X-1",
         "value_id": None, "remote_value_id": None},
    ]})
    assert post_step(editor_client, page_post(before, **{"custom_fields-0-value": "45"})).status_code == 302


def test_without_javascript_a_picked_field_fills_in_and_its_value_is_typed(editor_client: Client,
        stackone) -> None:
    before = candidate_json(custom_fields=STORED)
    mock_definitions(stackone)
    sent = STORED_SENT + [{"id": "cf_relocate", "remote_id": "r_relocate", "name": "Willing to relocate",
                           "value": True, "value_id": None, "remote_value_id": None}]
    mock_reads(stackone, before=before, after=candidate_json(custom_fields=sent))
    patch_ok(stackone, {"custom_fields": sent})
    data = page_post(before)
    add_row(data, "custom_fields", {"definition": "cf_relocate", "value": "true"})
    assert post_step(editor_client, data).status_code == 302


STORED_SENT = [
    {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period", "value": 30, "value_id": None,
     "remote_value_id": None},
    {"id": "cf_legacy", "remote_id": None, "name": "Legacy code", "value": "X-1", "value_id": None,
     "remote_value_id": None},
]


def test_a_number_field_picked_by_name_is_sent_as_a_number(editor_client: Client,
        stackone) -> None:
    before = candidate_json(custom_fields=[])
    mock_definitions(stackone)
    sent = [{"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period", "value": 45,
             "value_id": None, "remote_value_id": None}]
    mock_reads(stackone, before=before, after=candidate_json(custom_fields=sent))
    patch_ok(stackone, {"custom_fields": sent})
    data = page_post(before)
    add_row(data, "custom_fields", {"definition": "cf_notice", "value": "45"})
    assert post_step(editor_client, data).status_code == 302


def test_a_picked_select_field_re_renders_with_its_options_after_an_error(editor_client: Client,
        stackone) -> None:
    mock_definitions(stackone)
    data = page_post(candidate_json(custom_fields=[]), first_name="A" * 300)
    add_row(data, "custom_fields", {"definition": "cf_stage", "value": "Completed"})
    response = post_step(editor_client, data)
    assert response.status_code == 400
    row = row_html(text_of(response), 0)
    assert '<option value="Completed" selected>Completed</option>' in row


def test_without_definitions_rows_edit_as_before(editor_client: Client,
        stackone) -> None:
    mock_get(stackone, candidate_json(custom_fields=STORED))
    stackone.get(DEFINITIONS_URL, status=503, json={"statusCode": 503, "message": "down"})
    page = text_of(editor_client.get(EDIT_PATH))
    assert '<input type="hidden" name="custom_fields-0-definition"' in page
    # Two rows (no blank one); a new row edits as they do.
    assert page.count('<details class="row-advanced" open>') == 2
    new_row = text_of(editor_client.get(f"/accounts/{ACCOUNT}/editor/new-row/?list=custom_fields"))
    assert '<details class="row-advanced" open>' in new_row


# -- provider-aware fields (issue 13, item 7) ---------------------------------------------------

META_URL = f"{BASE_URL}/accounts/{ACCOUNT}/meta"
LEVER_FIELDS = ["name", "first_name", "last_name", "email", "emails", "phone_numbers", "company", "title",
                "country", "application_ids", "custom_fields"]


def mock_meta(stackone, fields: list[str] | None = LEVER_FIELDS) -> None:
    models = {"candidates": {"update": {"input": {"defaultFields": [{"name": n} for n in fields or []]}}}}
    stackone.get(META_URL, json={"provider": "lever", "category": "ats", "models": models})


def test_fields_the_ats_does_not_accept_are_read_only_with_a_note(editor_client: Client,
                                                                  stackone) -> None:
    mock_get(stackone)
    mock_definitions(stackone)
    mock_meta(stackone)
    page = text_of(editor_client.get(EDIT_PATH))
    hired_at = r'<input type="datetime-local" name="hired_at" value="2021-01-01T01:01:01"[^>]* disabled'
    assert re.search(hired_at, page)
    assert "Lever does not accept Hired at through StackOne, so it is not sent." in page
    assert "Lever does not accept Social links through StackOne, so it is not sent." in page
    assert re.search(r'<input type="url" name="social_links-0-url"[^>]* disabled', page)
    assert "Add social links row" not in page and "Add emails row" in page
    assert re.search(r'<input type="text" name="first_name" value="Ada"[^>]*>', page)
    assert not re.search(r'name="first_name"[^>]* disabled', page)


def test_a_field_the_ats_does_not_accept_is_never_sent(editor_client: Client,
                                                       stackone) -> None:
    mock_definitions(stackone)
    mock_meta(stackone)
    mock_reads(stackone, after=candidate_json(first_name="Augusta"))
    patch_ok(stackone, {"first_name": "Augusta"})
    # A tampered form posts the read-only fields anyway: they keep their stored values.
    data = page_post(candidate_json(), first_name="Augusta", hired_at="2030-01-01T00:00:00",
                     phone="+447700900999", **{"social_links-0-url": "https://example.com/evil"})
    assert post_step(editor_client, data).status_code == 302


@pytest.mark.parametrize("answer", ["unavailable", "empty"])
def test_without_a_usable_meta_every_field_stays_editable(editor_client: Client, stackone,
                                                          answer: str) -> None:
    mock_get(stackone)
    mock_definitions(stackone)
    if answer == "unavailable":
        stackone.get(META_URL, status=404, json={"statusCode": 404, "message": "Not found"})
    else:
        mock_meta(stackone, fields=[])
    page = text_of(editor_client.get(EDIT_PATH))
    assert " disabled" not in page and "does not accept" not in page
    assert "Add social links row" in page


def test_a_fixed_row_kept_on_the_conflict_page_keeps_its_own_field_over_another_baseline(
        editor_client: Client, stackone) -> None:
    # Fixed rows post only their field's id: bound over a baseline whose rows moved (someone else
    # removed Notice period meanwhile), each row must still be sent as its own field.
    from tests.candidates.test_safe_edits import page_inputs

    notice = {"id": "cf_notice", "remote_id": "r_notice", "name": "Notice period", "value": 30,
              "value_id": None, "remote_value_id": None}
    relocate = {"id": "cf_relocate", "remote_id": "r_relocate", "name": "Willing to relocate", "value": True,
                "value_id": None, "remote_value_id": None}
    loaded = candidate_json(custom_fields=[notice, relocate])
    mock_definitions(stackone)
    data = page_post(loaded, **{"custom_fields-1-value": "false"})
    assert "custom_fields-1-id" not in data and data["custom_fields-1-definition"] == "cf_relocate"
    mock_reads(stackone, before=candidate_json(custom_fields=[relocate]))
    conflict = post_step(editor_client, data)
    assert conflict.status_code == 409
    review = post_step(editor_client, page_inputs(conflict, choose_custom_fields="mine"), step="resolve")
    assert review.status_code == 200 and "Review changes" in text_of(review)
    mine = [notice, {**relocate, "value": False}]
    mock_reads(stackone, before=candidate_json(custom_fields=[relocate]),
               after=candidate_json(custom_fields=mine))
    patch_ok(stackone, {"custom_fields": mine})
    assert post_step(editor_client, page_inputs(review), step="confirm").status_code == 302
