"""The read-back check compares what the user sent, not what the ATS owns (issue 13, item 1).

After a save the candidate is read again; a field is reported "not applied" only when the ATS
holds a different value. Attributes the ATS fills in (a custom field's remote_id, name,
value_id, remote_value_id; anything sent empty) and the order of list rows are not differences.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from candidates.editor.compare import not_applied
from candidates.types import Candidate
from tests.candidates.form_data import candidate_api
from tests.candidates.test_payloads import PROPERTY_SETTINGS, VALID_EMAIL

WORD = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True)
VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**9), max_value=10**9),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
)
OWNED = ("remote_id", "name", "value_id", "remote_value_id")


@st.composite
def sent_custom_fields(draw: Any) -> list[dict[str, Any]]:
    """Custom field rows as the edit form sends them: an id, a value, owned attributes often empty."""
    ids = draw(st.lists(WORD, min_size=1, max_size=5, unique=True))
    return [
        {"id": field_id, "remote_id": draw(st.none() | WORD), "name": draw(st.none() | WORD),
         "value": draw(VALUE), "value_id": draw(st.none() | WORD), "remote_value_id": draw(st.none() | WORD)}
        for field_id in ids
    ]


def ats_fills_in(draw: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What a provider returns: owned attributes filled in or replaced, rows in its own order."""
    held = [{**row, **{key: draw(WORD) for key in OWNED if draw(st.booleans()) or row[key] is None}}
            for row in rows]
    return draw(st.permutations(held))


def read_back(**fields: Any) -> Candidate:
    return Candidate.from_api(candidate_api(**fields))


@PROPERTY_SETTINGS
@given(data=st.data(), sent=sent_custom_fields())
def test_custom_fields_the_ats_completed_and_reordered_are_applied(data: Any,
                                                                   sent: list[dict[str, Any]]) -> None:
    held = ats_fills_in(data.draw, sent)
    assert not_applied({"custom_fields": sent}, read_back(custom_fields=held)) == []


def _different(value: Any) -> Any:
    return {"different": json.dumps(value)} if value != {"different": 1} else 2


@PROPERTY_SETTINGS
@given(data=st.data(), sent=sent_custom_fields())
def test_a_custom_field_value_the_ats_does_not_hold_is_still_reported(data: Any,
                                                                      sent: list[dict[str, Any]]) -> None:
    held = ats_fills_in(data.draw, sent)
    victim = data.draw(st.integers(min_value=0, max_value=len(held) - 1))
    held[victim] = {**held[victim], "value": _different(held[victim]["value"])}
    assert not_applied({"custom_fields": sent}, read_back(custom_fields=held)) == ["custom_fields"]


@PROPERTY_SETTINGS
@given(data=st.data(), sent=sent_custom_fields())
def test_a_custom_field_the_ats_dropped_or_kept_is_reported(data: Any, sent: list[dict[str, Any]]) -> None:
    held = ats_fills_in(data.draw, sent)
    dropped = held[1:]
    kept = held + [{"id": "zz_not_sent", "value": 1}]
    assert not_applied({"custom_fields": sent}, read_back(custom_fields=dropped)) == ["custom_fields"]
    assert not_applied({"custom_fields": sent}, read_back(custom_fields=kept)) == ["custom_fields"]


@PROPERTY_SETTINGS
@given(data=st.data(), addresses=st.lists(VALID_EMAIL, min_size=1, max_size=4, unique=True))
def test_email_rows_are_compared_in_any_order_but_by_value(data: Any, addresses: list[str]) -> None:
    sent = [{"type": data.draw(st.sampled_from(["work", "personal"])), "value": a} for a in addresses]
    shuffled = data.draw(st.permutations(sent))
    assert not_applied({"emails": sent}, read_back(emails=shuffled)) == []
    changed = [{**shuffled[0], "value": "other." + shuffled[0]["value"]}] + list(shuffled[1:])
    assert not_applied({"emails": sent}, read_back(emails=changed)) == ["emails"]


def test_the_issue_example_a_number_the_ats_gave_a_remote_id_and_name_is_applied() -> None:
    sent = [{"id": "cf_notice_period", "remote_id": None, "name": None, "value": 30,
             "value_id": None, "remote_value_id": None}]
    held = [{"id": "cf_notice_period", "remote_id": "gh_cf_11", "name": "Notice period (days)", "value": 30,
             "value_id": None, "remote_value_id": None}]
    assert not_applied({"custom_fields": sent}, read_back(custom_fields=held)) == []
    assert not_applied({"custom_fields": sent}, read_back(custom_fields=[{**held[0], "value": "30"}])) == [
        "custom_fields"]


def test_a_row_sent_without_an_id_is_identified_by_its_name() -> None:
    sent = [{"id": None, "remote_id": None, "name": "Shoe size", "value": 42, "value_id": None,
             "remote_value_id": None}]
    assert not_applied({"custom_fields": sent},
                       read_back(custom_fields=[{"id": "cf_9", "name": "Shoe size", "value": 42}])) == []
    assert not_applied({"custom_fields": sent},
                       read_back(custom_fields=[{"id": "cf_9", "name": "Hat size", "value": 42}])) == [
        "custom_fields"]


def test_an_email_type_sent_empty_may_be_filled_in_but_a_sent_type_must_hold() -> None:
    assert not_applied({"emails": [{"type": None, "value": "a@example.com"}]},
                       read_back(emails=[{"type": "personal", "value": "a@example.com"}])) == []
    assert not_applied({"emails": [{"type": "work", "value": "a@example.com"}]},
                       read_back(emails=[{"type": "personal", "value": "a@example.com"}])) == ["emails"]
