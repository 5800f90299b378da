"""The comparison behind conflict detection and the read-back check agrees with the PATCH body."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candidates.editor.compare import changed_between, field_values, not_applied
from candidates.editor.fields import SCALAR_FIELDS, text
from candidates.types import Candidate
from tests.candidates.form_data import candidate_api
from tests.candidates.test_payloads import PROPERTY_SETTINGS, VALID_EMAIL, api_candidates

NEW_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x2FF), min_size=1, max_size=20)


@PROPERTY_SETTINGS
@given(api=api_candidates())
def test_a_candidate_read_twice_has_changed_nowhere(api: dict[str, Any]) -> None:
    assert changed_between(Candidate.from_api(api), Candidate.from_api(dict(api))) == []


@PROPERTY_SETTINGS
@given(api=api_candidates(), field=st.sampled_from(SCALAR_FIELDS), value=NEW_TEXT)
def test_a_scalar_applied_as_sent_is_held_and_seen_as_changed(
    api: dict[str, Any], field: str, value: str
) -> None:
    before = Candidate.from_api(api)
    after = Candidate.from_api({**api, field: value})
    assert not_applied({field: value}, after) == []
    assert changed_between(before, after) == ([] if text(api.get(field)) == text(value) else [field])


@pytest.mark.parametrize("value", ["\xa0", " Ada ", "\u2003x"])
def test_a_scalar_with_outer_white_space_applied_as_sent_is_held(value: str) -> None:
    # Found by the property above: the held value is trimmed when read, so the sent one must be too.
    assert not_applied({"name": value}, Candidate.from_api({"id": "c-1", "name": value})) == []


@PROPERTY_SETTINGS
@given(api=api_candidates(), email=VALID_EMAIL)
def test_a_list_applied_as_sent_is_held(api: dict[str, Any], email: str) -> None:
    rows = [{"type": "work", "value": email}]
    assert not_applied({"emails": rows}, Candidate.from_api({**api, "emails": rows})) == []


def test_a_field_the_ats_ignored_is_reported_and_passthrough_is_never_checked() -> None:
    now = Candidate.from_api(candidate_api())
    body = {"title": "Engineer", "first_name": "Ada", "passthrough": {"x": 1}}
    assert not_applied(body, now) == ["title"]


def test_hired_at_is_compared_as_an_instant() -> None:
    now = Candidate.from_api(candidate_api(hired_at="2021-01-01T01:01:01Z"))
    assert not_applied({"hired_at": "2021-01-01T01:01:01.000Z"}, now) == []
    assert field_values(now)["hired_at"] == "2021-01-01T01:01:01.000Z"


def test_json_types_are_told_apart() -> None:
    before = Candidate.from_api(candidate_api(custom_fields=[{"id": "cf", "value": 1}]))
    after = Candidate.from_api(candidate_api(custom_fields=[{"id": "cf", "value": True}]))
    assert changed_between(before, after) == ["custom_fields"]
