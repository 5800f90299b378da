"""Property-based fuzzing (hypothesis) of what a browser, or anyone, can send to the views:
arbitrary form keys and values (unicode, huge numbers, control characters), missing management
forms and odd actions on the edit page, arbitrary query strings on the list page.

The property is the user-visible one: never a server error. Django's test client re-raises any
exception a view lets escape, so "no exception and a status below 500" covers both.
"""

from __future__ import annotations

import re
from typing import Any

import responses
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.candidates.view_helpers import (
    ACCOUNT,
    CANDIDATE_URL,
    DEFINITIONS_URL,
    candidate_json,
    post_step,
    unedited_post,
)
from tests.conftest import BASE_URL

FUZZ = settings(max_examples=75, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

KNOWN_KEYS = list(unedited_post()) + [
    "conflict_snapshot", "choice-last_name", "emails-0-DELETE", "prev", "cursor", "add_row", "keep_old_email"
]
values = st.one_of(
    st.text(max_size=300),
    st.integers().map(str),
    st.integers(min_value=10**30, max_value=10**400).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["", "-1", "0", "1e309", "NaN", "true", "null", "[]", "{}", '{"a":', "\x00", "\u202e",
                     "𝕏" * 50, "save", "confirm", "edit", "resolve", "mine", "theirs", "on", "json",
                     "number", "boolean"]),
)
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=40))


def _stackone() -> responses.RequestsMock:
    """A lenient StackOne: every read finds Ada, every save succeeds."""
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.get(re.compile(re.escape(CANDIDATE_URL) + r"(\?.*)?$"), json={"data": candidate_json()})
    mock.get(DEFINITIONS_URL, json={"next": None, "data": []})
    mock.get(re.compile(re.escape(f"{BASE_URL}/unified/ats/candidates") + r"(\?.*)?$"),
             json={"next": "cursor-2", "data": [candidate_json()]})
    mock.patch(CANDIDATE_URL,
               json={"statusCode": 200, "message": "ok", "data": {"id": "c-1", "remote_id": "r-1"}})
    return mock


@FUZZ
@given(changes=st.dictionaries(keys, values, max_size=12),
       dropped=st.lists(st.sampled_from(KNOWN_KEYS), max_size=6),
       step=st.sampled_from(["save", "confirm", "review", "edit", "resolve", "add-row", "delete", ""]))
def test_any_form_data_posted_to_the_edit_page_never_causes_a_server_error(
        editor_client: Client, changes: dict[str, str], dropped: list[str], step: str) -> None:
    data: dict[str, Any] = unedited_post()
    for key in dropped:  # management forms, the snapshot, the token...
        data.pop(key, None)
    data.update(changes)
    with _stackone():
        response = post_step(editor_client, data, step=step)
    assert response.status_code < 500


@FUZZ
@given(data=st.dictionaries(keys, values, max_size=12))
def test_arbitrary_form_data_without_any_editor_fields_never_causes_a_server_error(
        editor_client: Client, data: dict[str, str]) -> None:
    with _stackone():
        response = post_step(editor_client, data)
    assert response.status_code < 500


query_keys = st.one_of(st.sampled_from(["email", "updated_after", "page_size", "cursor", "prev"]),
                       st.text(min_size=1, max_size=20))


@FUZZ
@given(params=st.lists(st.tuples(query_keys, values), max_size=10))
def test_any_query_string_on_the_list_page_never_causes_a_server_error(
        editor_client: Client, params: list[tuple[str, str]]) -> None:
    from urllib.parse import urlencode

    with _stackone():
        response = editor_client.get(f"/accounts/{ACCOUNT}/candidates/?{urlencode(params)}")
    assert response.status_code < 500
