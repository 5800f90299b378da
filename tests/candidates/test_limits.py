"""How large a candidate the editor holds (candidates/limits.py) and what a POST may carry.

A list holds at most 500 rows; the upload limit on fields is sized from that, so the largest
candidate the page shows can be saved, and a POST claiming more rows builds no row form.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.fields import BODY_FIELDS, LIST_FIELDS
from candidates.editor.form_state import CONTROL_KEYS
from candidates.editor.forms import FORMSETS, CandidateForm
from candidates.limits import (
    EDITOR_MAX_POSTED_FIELDS,
    FORM_INPUTS,
    MAX_ROWS_PER_LIST,
    PAGE_INPUTS,
    ROW_INPUTS,
)
from candidates.types import Candidate
from sandbox.factories import list_rows
from tests.candidates.form_data import candidate_api, editor_post_data
from tests.candidates.view_helpers import EDIT_PATH, text_of, unedited_post

TOO_MANY = "This list has more rows than the editor can save (at most 500 per list)."


def _form_encoded(data: dict) -> dict:
    # A browser posts the edit form urlencoded (the test client's default is multipart).
    return {"data": urlencode(data, doseq=True), "content_type": "application/x-www-form-urlencoded"}


def test_the_counts_in_limits_are_the_forms_own() -> None:
    assert {name: len(FORMSETS[name].form.base_fields) + 1 for name in LIST_FIELDS} == ROW_INPUTS  # + Remove
    assert len(CandidateForm.base_fields) == FORM_INPUTS
    assert PAGE_INPUTS >= len(CONTROL_KEYS) + len(BODY_FIELDS)  # control inputs, one choice a field


def test_the_upload_limit_admits_the_largest_candidate_with_every_row_removed(settings) -> None:
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == EDITOR_MAX_POSTED_FIELDS
    candidate = Candidate.from_api(candidate_api(**list_rows(MAX_ROWS_PER_LIST)))
    data = editor_post_data(CandidateEditor(candidate))
    for name in LIST_FIELDS:
        data.update({f"{name}-{k}-DELETE": "on" for k in range(MAX_ROWS_PER_LIST)})
    data.update({f"choose_{field}": "mine" for field in BODY_FIELDS})
    data.update(csrfmiddlewaretoken="t", snapshot="s", form_token="f", conflict_snapshot="c",
                keep_old_email="on", add_row="emails")
    assert len(data) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert len(data) > 8_000  # every row of every list is there: the bound is not loose by much


def test_a_forged_row_count_builds_no_row_form_and_says_why() -> None:
    candidate = Candidate.from_api(candidate_api())
    data = editor_post_data(CandidateEditor(candidate))
    data.update({"emails-TOTAL_FORMS": "100000", "last_name": "Byron"})
    editor = CandidateEditor(candidate, data)
    assert not editor.is_valid()
    assert editor.formsets["emails"].forms == []
    assert list(editor.formsets["emails"].non_form_errors()) == [TOO_MANY]
    assert len(editor.formsets["phone_numbers"].forms) == 1  # the other lists are read as usual


@pytest.mark.parametrize(("total", "accepted"), [(MAX_ROWS_PER_LIST, True), (MAX_ROWS_PER_LIST + 1, False)])
def test_a_list_holds_at_most_500_rows(total: int, accepted: bool) -> None:
    candidate = Candidate.from_api(candidate_api(emails=list_rows(total)["emails"]))
    data = editor_post_data(CandidateEditor(candidate))
    data["emails-TOTAL_FORMS"] = str(total)  # the page shows every stored row, no blank one at the bound
    editor = CandidateEditor(candidate, data)
    assert editor.is_valid() is accepted
    assert (TOO_MANY in editor.formsets["emails"].non_form_errors()) is not accepted


def test_the_edit_page_warns_when_a_stored_list_is_over_the_bound(viewer_client: Client, stackone) -> None:
    from tests.candidates.view_helpers import candidate_json, mock_definitions, mock_get

    mock_get(stackone, candidate_json(emails=list_rows(MAX_ROWS_PER_LIST + 1)["emails"]))
    mock_definitions(stackone)
    page = text_of(viewer_client.get(EDIT_PATH))
    assert ("This list holds 501 rows: the editor saves at most 500 per list, so this candidate cannot be "
            "saved from this page.") in page


def test_a_forged_row_count_is_a_400_beside_the_list_keeping_the_input(
        editor_client: Client, stackone) -> None:
    from tests.candidates.view_helpers import mock_definitions

    mock_definitions(stackone)
    data = unedited_post(last_name="Byron") | {"custom_fields-TOTAL_FORMS": "100000"}
    response = editor_client.post(EDIT_PATH, **_form_encoded(data))
    assert response.status_code == 400
    page = text_of(response)
    assert TOO_MANY in page and 'value="Byron"' in page
    assert not [call for call in stackone.calls if call.request.method == "PATCH"]


# -- a 200-row candidate against the sandbox: edit page, review, save --------------------------


def _hidden_inputs(html: str) -> dict[str, list[str]]:
    from html.parser import HTMLParser

    found: dict[str, list[str]] = {}

    class Inputs(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            values = dict(attrs)
            if tag == "input" and values.get("type") == "hidden" and values.get("name"):
                found.setdefault(values["name"] or "", []).append(values.get("value") or "")

    Inputs().feed(html)
    return found


def test_a_candidate_with_200_rows_per_list_shows_reviews_and_saves(editor_client: Client, sandbox) -> None:
    from sandbox.faults import stats
    from sandbox.models import SandboxCandidate
    from tests.faults.sandbox_forms import sandbox_edit_path, sandbox_post

    stored = SandboxCandidate.objects.get(account_id="sbx-greenhouse", candidate_id="c-0001")
    stored.data.update(list_rows(200))
    stored.save()
    path = sandbox_edit_path()

    page = editor_client.get(path)
    assert page.status_code == 200
    assert 'value="person.199@example.com"' in page.content.decode()

    data = sandbox_post(title="Chief Analyst")
    data["custom_fields-150-value"] = "changed 150"
    assert len(data) > 2_600  # 13 inputs a row × 200 rows: far over Django's default 1,000
    review = editor_client.post(path, **_form_encoded(data))
    assert review.status_code == 200
    review_text = text_of(review)
    assert "Chief Analyst" in review_text and "changed 150" in review_text

    carried = _hidden_inputs(review.content.decode())
    assert len(carried) > 2_600  # the review page carries every row on to the save
    saved = editor_client.post(path + "confirm/", **_form_encoded(carried))  # the review's Confirm
    assert saved.status_code == 302, text_of(saved)[:2000]
    assert stats()["by_method"]["PATCH"] == 1
    stored.refresh_from_db()
    assert stored.data["title"] == "Chief Analyst"
    assert stored.data["custom_fields"][150]["value"] == "changed 150"
    assert len(stored.data["emails"]) == 200
    assert stored.data["emails"][199]["value"] == "person.199@example.com"
