"""Helpers shared by the view tests (and the fault, security and history tests that post the edit
page): the StackOne answers mocked at the HTTP edge with ``responses``, the edit page's POST data
and the URL of each step of the edit flow."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from responses import matchers

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.types import Candidate
from tests.candidates.form_data import editor_post_data
from tests.conftest import BASE_URL

ACCOUNT = "acc-1"
CANDIDATE_URL = f"{BASE_URL}/unified/ats/candidates/c-1"
EDIT_PATH = f"/accounts/{ACCOUNT}/candidates/c-1/"
DEFINITIONS_URL = f"{BASE_URL}/unified/ats/custom_field_definitions/candidates"
LIST_FIELDS = "id,name,first_name,last_name,email,title,company,updated_at"  # what the list shows


def candidate_json(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "c-1",
        "remote_id": "r-1",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "emails": [{"type": "personal", "value": "ada@example.com"}],
        "phone_numbers": [{"type": "mobile", "phone": "+447700900123"}],
        "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada"}],
        "company": "Analytical Engines Ltd",
        "title": "Mathematician",
        "country": "United Kingdom",
        "hired_at": "2021-01-01T01:01:01.000Z",
        "application_ids": ["app-1"],
        "remote_application_ids": ["remote-app-1"],
        "custom_fields": [{"id": "cf_notice", "name": "Notice period", "value": 30}],
        "unified_custom_fields": {"ref": "REF-1"},
        "tags": [{"remote_id": "t1", "name": "Python"}],
        "created_at": "2020-01-01T00:00:00.000Z",
        "updated_at": "2024-05-01T00:00:00.000Z",
    }
    data.update(overrides)
    return data


def mock_get(stackone, body: dict[str, Any] | None = None, status: int = 200) -> None:
    stackone.get(
        CANDIDATE_URL,
        json={"data": body or candidate_json()} if status == 200 else {"statusCode": status, "message": "x"},
        status=status,
        match=[matchers.query_param_matcher({"include": "custom_fields"}),
               matchers.header_matcher({"x-account-id": ACCOUNT})],
    )


def mock_definitions(stackone) -> None:
    stackone.get(DEFINITIONS_URL, json={"next": None, "data": [
        {"id": "cf_notice", "name": "Notice period", "type": {"value": "integer"}, "options": []}]})


# The edit flow's steps and their URLs below a candidate's edit page: "save" is the edit form's
# Save, "confirm" the review page's Confirm (sends directly), "review" its "Update the review",
# "edit" its Back to edit, "resolve" the conflict page's choices, "add-row" a list's "Add row"
# without JavaScript.
STEP_PATHS = {"save": "", "confirm": "confirm/", "review": "review/", "edit": "back/", "resolve": "resolve/",
              "add-row": "add-row/"}


def step_path(step: str, path: str = EDIT_PATH) -> str:
    """Return the URL the button of ``step`` posts to, for the candidate at ``path`` (an unknown
    step: the edit page itself)."""
    return path + STEP_PATHS.get(step, "")


def post_step(client: Client, data: dict[str, Any], path: str = EDIT_PATH, *, step: str = "confirm",
              **kwargs: Any):
    """POST ``data`` to the URL of ``step`` (default "confirm": sends directly), as that page's
    button does."""
    return client.post(step_path(step, path), data, **kwargs)


def unedited_post(**changes: str) -> dict[str, Any]:
    """The edit page's POST data, untouched but for ``changes``."""
    candidate = Candidate.from_api(candidate_json())
    data = editor_post_data(CandidateEditor(candidate))
    data["snapshot"] = snapshot_dumps(candidate, account_id=ACCOUNT)
    data["form_token"] = token_new()
    data.update(changes)
    return data


def mock_reads(
    stackone, *, before: dict[str, Any] | None = None, after: dict[str, Any] | None = None
) -> None:
    """The reads around a save: the conflict check before the PATCH, the read-back after it."""
    mock_get(stackone, before or candidate_json())
    if after is not None:
        mock_get(stackone, after)


def patch_ok(stackone, body: dict[str, Any]) -> None:
    stackone.patch(
        CANDIDATE_URL,
        json={"statusCode": 200, "message": "Record updated successfully.",
              "timestamp": "2026-11-28T10:00:00.000Z", "data": {"id": "c-1", "remote_id": "r-1"}},
        match=[matchers.json_params_matcher(body, strict_match=True),
               matchers.header_matcher({"x-account-id": ACCOUNT})],
    )


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


