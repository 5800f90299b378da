"""The two mappings in ``candidates.editor.payloads``: candidate → form initial data, and the edited
values + the original → the minimal PATCH body ("Send only what changed" in DESIGN.md).

Unit tests pin each rule on a fixed candidate; property tests (hypothesis) load arbitrary
candidates into the real form, post them back as a browser would, and check the body.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.fields import (
    BODY_FIELDS,
    SCALAR_FIELDS,
    format_hired_at,
    original_rows,
    parse_hired_at,
    split_application_ids,
    stored_hired_at,
)
from candidates.editor.payloads import CandidateEdit, candidate_initial, candidate_patch_body
from candidates.types import Candidate
from tests.candidates.form_data import add_row, candidate_api, editor_post_data, row_key

# -- builders -----------------------------------------------------------------------------------

ADA_ROWS: dict[str, list[dict[str, Any]]] = {
    "emails": [{"type": "personal", "value": "ada@example.com"}],
    "phone_numbers": [{"type": "mobile", "phone": "+447700900123"}],
    "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/ada"}],
    "custom_fields": [
        {
            "id": "cf_notice",
            "remote_id": "r_notice",
            "name": "Notice period",
            "value": 30,
            "value_id": None,
            "remote_value_id": None,
        }
    ],
}


def ada(**overrides: Any) -> Candidate:
    return Candidate.from_api(candidate_api(**overrides))


def ada_edit(
    scalars: dict[str, str | None] | None = None, rows: dict[str, Any] | None = None, **overrides: Any
) -> CandidateEdit:
    """Return the edit a user makes to ``ada()`` by changing only what is passed."""
    values: dict[str, Any] = {
        "scalars": {
            "name": "Ada Lovelace",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "email": "ada@example.com",
            "company": "Analytical Engines Ltd",
            "title": "Mathematician",
            "country": "United Kingdom",
            "phone": "+447700900123",
            **(scalars or {}),
        },
        "hired_at": datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC),
        "application_ids": ["app-1", "app-2"],
        "passthrough": None,
        "unified_custom_fields": {"ref": "REF-1"},
        "rows": {**json.loads(json.dumps(ADA_ROWS)), **(rows or {})},
    }
    values.update(overrides)
    return CandidateEdit(**values)


# -- hired_at -----------------------------------------------------------------------------------


def test_it_formats_hired_at_as_utc_with_milliseconds() -> None:
    assert format_hired_at(datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)) == "2021-01-01T01:01:01.000Z"
    plus_two = timezone(timedelta(hours=2))
    assert (
        format_hired_at(datetime(2022, 3, 4, 5, 6, 7, 890_000, tzinfo=plus_two)) == "2022-03-04T03:06:07.000Z"
    )


def test_it_pads_the_year_of_an_early_hired_at_to_four_digits() -> None:
    assert format_hired_at(datetime(999, 1, 2, 3, 4, 5, tzinfo=UTC)) == "0999-01-02T03:04:05.000Z"


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("2021-01-01T01:01:01.000Z", datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)),
        ("2021-01-01T01:01:01.999Z", datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)),
        ("2021-01-01T01:01:01", datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)),
        ("2021-01-01T03:01:01+02:00", datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)),
        (" 2021-01-01T01:01:01Z ", datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_it_reads_hired_at_as_utc_to_the_second(stored: str | None, expected: datetime | None) -> None:
    assert parse_hired_at(stored) == expected


@pytest.mark.parametrize("stored", ["yesterday", "2021-13-01T00:00:00Z", "0001-01-01T00:00:00+01:00"])
def test_it_raises_value_error_for_hired_at_it_cannot_read(stored: str) -> None:
    with pytest.raises(ValueError):
        parse_hired_at(stored)


def test_it_keeps_unreadable_stored_hired_at_as_text() -> None:
    assert stored_hired_at(ada(hired_at="sometime in 2021")) == "sometime in 2021"
    assert stored_hired_at(ada(hired_at=None)) is None


# -- candidate → initial ------------------------------------------------------------------------


def test_it_fills_the_form_from_the_candidate() -> None:
    initial = candidate_initial(ada(unified_custom_fields={"ref": "REF-1", "n": [1, 2.5]}))
    assert initial.form["first_name"] == "Ada"
    assert initial.form["hired_at"] == datetime(2021, 1, 1, 1, 1, 1, tzinfo=UTC)
    assert initial.form["application_ids"] == "app-1\napp-2"
    assert initial.form["unified_custom_fields"] == '{\n  "ref": "REF-1",\n  "n": [\n    1,\n    2.5\n  ]\n}'
    assert initial.form["passthrough"] == ""
    assert initial.rows["emails"] == [{"type": "personal", "value": "ada@example.com"}]
    assert initial.rows["phone_numbers"] == [{"type": "mobile", "phone": "+447700900123"}]


def test_it_shows_missing_scalars_as_empty_text() -> None:
    initial = candidate_initial(Candidate.from_api({"id": "c-2"}))
    assert all(initial.form[name] == "" for name in SCALAR_FIELDS)
    assert initial.form["hired_at"] is None
    assert initial.form["unified_custom_fields"] == ""
    assert initial.rows == {"emails": [], "phone_numbers": [], "social_links": [], "custom_fields": []}


@pytest.mark.parametrize(
    ("value", "shown", "kind"),
    [
        ("Completed", "Completed", "text"),
        (31, "31", "number"),
        (2.5, "2.5", "number"),
        (True, "true", "boolean"),
        (False, "false", "boolean"),
        (None, "", "null"),
        ([1, "zoë"], '[1, "zoë"]', "json"),
        ({"a": {"b": []}}, '{"a": {"b": []}}', "json"),
    ],
)
def test_it_shows_a_custom_field_value_with_its_json_kind(value: Any, shown: str, kind: str) -> None:
    row = candidate_initial(ada(custom_fields=[{"id": "cf", "value": value}])).rows["custom_fields"][0]
    assert (row["value"], row["value_kind"]) == (shown, kind)


# -- original rows ------------------------------------------------------------------------------


def test_original_rows_trim_text_columns_including_an_email_value() -> None:
    candidate = ada(
        emails=[{"type": " work ", "value": " ada@example.com "}, {"type": "", "value": "b@example.com"}]
    )
    assert original_rows(candidate, "emails") == [
        {"type": "work", "value": "ada@example.com"},
        {"type": None, "value": "b@example.com"},
    ]


def test_original_rows_keep_a_custom_field_value_exactly() -> None:
    candidate = ada(custom_fields=[{"id": 7, "value": " padded "}, {"name": "n", "value": 1.0}])
    rows = original_rows(candidate, "custom_fields")
    assert [row["value"] for row in rows] == [" padded ", 1.0]
    assert rows[0]["id"] == "7"
    assert isinstance(rows[1]["value"], float)


def test_original_rows_leave_out_blank_rows_as_the_form_does() -> None:
    candidate = ada(
        emails=[{"type": None, "value": " "}, {"value": "a@example.com"}, {}],
        custom_fields=[{"value": ""}, {"value": None}, {"value": 0}, {"value": False}],
    )
    assert original_rows(candidate, "emails") == [{"type": None, "value": "a@example.com"}]
    assert [row["value"] for row in original_rows(candidate, "custom_fields")] == [0, False]


def test_application_ids_are_split_on_line_breaks_only() -> None:
    assert split_application_ids(" a \r\nb\n\n  c\r") == ["a", "b", "c"]
    assert split_application_ids("x\u2028y") == ["x\u2028y"]


# -- edit → PATCH body --------------------------------------------------------------------------


def test_it_sends_nothing_when_nothing_changed() -> None:
    assert candidate_patch_body(ada(), ada_edit()) == {}


@pytest.mark.parametrize("name", SCALAR_FIELDS)
def test_it_sends_null_for_a_scalar_the_user_emptied(name: str) -> None:
    assert candidate_patch_body(ada(), ada_edit(scalars={name: None})) == {name: None}


@pytest.mark.parametrize("name", SCALAR_FIELDS)
def test_it_sends_a_changed_scalar(name: str) -> None:
    assert candidate_patch_body(ada(), ada_edit(scalars={name: "New"})) == {name: "New"}


def test_it_ignores_surrounding_spaces_in_a_stored_scalar() -> None:
    assert (
        candidate_patch_body(ada(first_name="  Ada ", title="   "), ada_edit(scalars={"title": None})) == {}
    )


def test_it_leaves_hired_at_out_when_stored_with_milliseconds() -> None:
    assert candidate_patch_body(ada(hired_at="2021-01-01T01:01:01.456Z"), ada_edit()) == {}


def test_it_sends_a_changed_hired_at_in_stackone_form() -> None:
    edit = ada_edit(hired_at=datetime(2022, 6, 30, 9, 30, tzinfo=UTC))
    assert candidate_patch_body(ada(), edit) == {"hired_at": "2022-06-30T09:30:00.000Z"}


def test_it_sends_null_for_an_emptied_hired_at() -> None:
    assert candidate_patch_body(ada(), ada_edit(hired_at=None)) == {"hired_at": None}


def test_it_keeps_an_unreadable_stored_hired_at_unless_the_user_replaces_or_clears_it() -> None:
    stored = ada(hired_at="last spring")
    assert candidate_patch_body(stored, ada_edit(hired_at="last spring")) == {}
    assert candidate_patch_body(stored, ada_edit(hired_at=None)) == {"hired_at": None}
    new = datetime(2021, 4, 1, tzinfo=UTC)
    assert candidate_patch_body(stored, ada_edit(hired_at=new)) == {"hired_at": "2021-04-01T00:00:00.000Z"}


def test_it_compares_application_ids_as_the_form_normalises_them() -> None:
    stored = ada(application_ids=[" app-1", "app-2 ", ""])
    assert candidate_patch_body(stored, ada_edit()) == {}
    assert candidate_patch_body(stored, ada_edit(application_ids=["app-2"])) == {"application_ids": ["app-2"]}
    assert candidate_patch_body(stored, ada_edit(application_ids=[])) == {"application_ids": []}


@pytest.mark.parametrize(
    ("stored", "edited"),
    [
        ({"ref": 1.0}, {"ref": 1}),
        ({"ref": 1}, {"ref": True}),
        ({"ref": "REF-1"}, {"ref": "REF-1", "x": None}),
        ({"ref": "REF-1"}, None),
        (None, {}),
    ],
)
def test_it_sends_unified_custom_fields_when_any_json_value_differs(stored: Any, edited: Any) -> None:
    body = candidate_patch_body(ada(unified_custom_fields=stored), ada_edit(unified_custom_fields=edited))
    assert json.dumps(body) == json.dumps({"unified_custom_fields": edited})


def test_it_ignores_key_order_in_unified_custom_fields() -> None:
    stored = ada(unified_custom_fields={"a": 1, "b": {"c": 2, "d": 3}})
    assert candidate_patch_body(stored, ada_edit(unified_custom_fields={"b": {"d": 3, "c": 2}, "a": 1})) == {}


def test_it_sends_passthrough_only_when_given() -> None:
    assert candidate_patch_body(ada(), ada_edit(passthrough={"other": "x"})) == {
        "passthrough": {"other": "x"}
    }
    assert candidate_patch_body(ada(), ada_edit(passthrough=None)) == {}


def test_it_sends_a_list_whole_when_one_row_changed() -> None:
    stored = ada(
        emails=[{"type": "personal", "value": "ada@example.com"}, {"type": "work", "value": "a@w.example"}]
    )
    rows = [{"type": "personal", "value": "ada@example.com"}, {"type": "work", "value": "ada@w.example"}]
    assert candidate_patch_body(stored, ada_edit(rows={"emails": rows})) == {"emails": rows}


def test_it_sends_a_list_whole_when_a_row_is_removed_or_reordered() -> None:
    stored = ada(
        phone_numbers=[
            {"type": "mobile", "phone": "+447700900123"},
            {"type": "work", "phone": "+442079460000"},
        ]
    )
    kept = [{"type": "work", "phone": "+442079460000"}]
    assert candidate_patch_body(stored, ada_edit(rows={"phone_numbers": kept})) == {"phone_numbers": kept}
    swapped = [{"type": "work", "phone": "+442079460000"}, {"type": "mobile", "phone": "+447700900123"}]
    assert candidate_patch_body(stored, ada_edit(rows={"phone_numbers": swapped})) == {
        "phone_numbers": swapped
    }
    assert candidate_patch_body(stored, ada_edit(rows={"phone_numbers": []})) == {"phone_numbers": []}


def test_it_ignores_stored_rows_that_differ_only_by_spaces_or_are_blank() -> None:
    stored = ada(emails=[{"type": " personal", "value": " ada@example.com "}, {"type": None, "value": None}])
    assert candidate_patch_body(stored, ada_edit()) == {}


@pytest.mark.parametrize("value", [30.0, "30", True, None])
def test_it_tells_custom_field_values_apart_by_json_type(value: Any) -> None:
    rows = [{**ADA_ROWS["custom_fields"][0], "value": value}]
    assert candidate_patch_body(ada(), ada_edit(rows={"custom_fields": rows})) == {"custom_fields": rows}


def test_it_orders_the_body_as_the_api_lists_its_fields() -> None:
    edit = ada_edit(
        scalars={"country": "France", "name": None},
        hired_at=None,
        passthrough={"a": 1},
        rows={"emails": []},
        application_ids=[],
    )
    body = candidate_patch_body(ada(), edit)
    assert list(body) == [name for name in BODY_FIELDS if name in body]
    assert list(body) == ["name", "emails", "country", "hired_at", "application_ids", "passthrough"]


# -- properties: the real form, posted back as a browser sends it ------------------------------

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EDIT_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any unicode a provider may store, except control characters and lone surrogates.
CHARS = st.characters(exclude_categories=("Cc", "Cs"))
TEXT = st.text(CHARS, max_size=20)
PADDING = st.sampled_from(["", " ", "  ", "\u00a0", "\u3000"])
PADDED_TEXT = st.builds(lambda before, core, after: before + core + after, PADDING, TEXT, PADDING)
# Stored text: absent, blank, padded, or too long for the form (flagged, never blocking).
STORED_TEXT = st.one_of(st.none(), st.just(""), PADDED_TEXT, st.just("L" * 256))
ID = st.one_of(st.none(), PADDED_TEXT, st.integers(min_value=0, max_value=10**12))
ODD_TYPE = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "personal",
            "work",
            "mobile",
            "home",
            "unknown",
            "other",
            "unmapped_value",
            "fax",
            "Work",
            " work ",
            "",
            "linkedin",
        ]
    ),
    PADDED_TEXT,
)
VALID_EMAIL = st.builds(
    lambda local, domain: f"{local}@{domain}",
    st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
    st.sampled_from(["example.com", "exämple.de", "mail.example.org"]),
) | st.sampled_from(["zoë@exämple.de", "ë@example.com"])
VALID_PHONE = st.integers(min_value=100, max_value=999).map(lambda n: f"+44 7700 900{n}")
JSON_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    PADDED_TEXT,
)
JSON_VALUE = st.recursive(
    JSON_SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
UTC_MS = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)).map(
    lambda d: f"{d.year:04d}-{d:%m-%dT%H:%M:%S}.{d.microsecond // 1000:03d}Z"
)
OFFSET = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
WITH_OFFSET = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=OFFSET
).map(lambda d: d.isoformat())
HIRED_AT = st.one_of(st.none(), UTC_MS, WITH_OFFSET, PADDED_TEXT, st.just("2021-01-01"))


def _rows(columns: dict[str, st.SearchStrategy[Any]], min_size: int = 0) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.fixed_dictionaries({}, optional=columns), min_size=min_size, max_size=3)


def api_candidates(*, min_custom_fields: int = 0, min_phones: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Candidates as the API may send them, odd stored values included."""
    scalars: dict[str, st.SearchStrategy[Any]] = {name: STORED_TEXT for name in SCALAR_FIELDS}
    scalars["email"] = STORED_TEXT | VALID_EMAIL
    scalars["phone"] = STORED_TEXT | VALID_PHONE
    return st.fixed_dictionaries(
        {
            "id": st.just("c-1"),
            "custom_fields": _rows(
                {
                    "id": ID,
                    "remote_id": ID,
                    "name": STORED_TEXT,
                    "value": JSON_VALUE,
                    "value_id": ID,
                    "remote_value_id": ID,
                },
                min_custom_fields,
            ),
            "phone_numbers": _rows({"type": ODD_TYPE, "phone": STORED_TEXT | VALID_PHONE}, min_phones),
        },
        optional={
            **scalars,
            "hired_at": HIRED_AT,
            "application_ids": st.lists(PADDED_TEXT, max_size=4),
            "emails": _rows({"type": ODD_TYPE, "value": STORED_TEXT | VALID_EMAIL}),
            "social_links": _rows(
                {"type": ODD_TYPE, "url": STORED_TEXT | st.just("https://example.com/ada")}
            ),
            "unified_custom_fields": st.none() | st.dictionaries(TEXT, JSON_VALUE, max_size=4),
        },
    )


def _text(value: Any) -> str | None:
    stripped = None if value is None else str(value).strip()
    return stripped or None


def api_rows(api: dict[str, Any], list_field: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """The stored rows as the body must carry them: text trimmed, custom values exact."""
    rows = [
        {
            column: item.get(column)
            if column == "value" and list_field == "custom_fields"
            else _text(item.get(column))
            for column in columns
        }
        for item in api.get(list_field) or []
    ]
    return [row for row in rows if any(value not in (None, "") for value in row.values())]


CUSTOM_COLUMNS = ("id", "remote_id", "name", "value", "value_id", "remote_value_id")


def post(candidate: Candidate, data: dict[str, Any]) -> dict[str, Any]:
    """Bind ``data`` for ``candidate``; return the PATCH body. Fails the test if invalid."""
    editor = CandidateEditor(candidate, data)
    assert editor.is_valid(), (
        editor.form.errors,
        [(f.errors, f.non_form_errors()) for f in editor.formsets.values()],
    )
    return candidate_patch_body(candidate, editor.edit())


def unedited(candidate: Candidate) -> dict[str, Any]:
    return editor_post_data(CandidateEditor(candidate))


@PROPERTY_SETTINGS
@given(api=api_candidates())
def test_an_unedited_form_validates_and_sends_nothing(api: dict[str, Any]) -> None:
    candidate = Candidate.from_api(api)
    assert post(candidate, unedited(candidate)) == {}


@pytest.mark.parametrize("name", SCALAR_FIELDS)
@EDIT_SETTINGS
@given(api=api_candidates(), data=st.data())
def test_editing_one_scalar_sends_only_that_scalar(
    name: str, api: dict[str, Any], data: st.DataObject
) -> None:
    new = data.draw(
        {"email": VALID_EMAIL, "phone": VALID_PHONE}.get(name, PADDED_TEXT) | st.just(""), label="new"
    )
    assume(_text(new) != _text(api.get(name)))
    candidate = Candidate.from_api(api)
    # An Emails row holding the old address follows it (tests/candidates/test_email_follow.py).
    if name == "email":
        old = (_text(api.get("email")) or "").casefold()
        assume(not old or all((_text(row.value) or "").casefold() != old for row in candidate.emails))
    # A phone number typed is saved in E.164 (candidates/phones.py).
    sent = _text(new).replace(" ", "") if name == "phone" and new else _text(new)
    assert post(candidate, {**unedited(candidate), name: new}) == {name: sent}


@PROPERTY_SETTINGS
@given(api=api_candidates(), new=st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_editing_hired_at_sends_only_hired_at(api: dict[str, Any], new: datetime) -> None:
    new = new.replace(microsecond=0)
    candidate = Candidate.from_api(api)
    assume(new.replace(tzinfo=UTC) != stored_hired_at(candidate))
    typed = new.isoformat()  # what a datetime-local input with seconds submits
    expected = f"{new.year:04d}-{new:%m-%dT%H:%M:%S}.000Z"
    assert post(candidate, {**unedited(candidate), "hired_at": typed}) == {"hired_at": expected}


@PROPERTY_SETTINGS
@given(api=api_candidates(), new=st.lists(TEXT.map(str.strip).filter(bool), max_size=4))
def test_editing_application_ids_sends_only_application_ids(api: dict[str, Any], new: list[str]) -> None:
    stored = [item.strip() for item in api.get("application_ids") or [] if item.strip()]
    assume(new != stored)
    candidate = Candidate.from_api(api)
    body = post(candidate, {**unedited(candidate), "application_ids": "\r\n".join(new)})
    assert body == {"application_ids": new}


CUSTOM_EDITS = st.one_of(
    st.just(("number", "31", 31)),
    st.just(("number", "2.5", 2.5)),
    st.just(("boolean", "true", True)),
    st.just(("null", "", None)),
    st.just(("json", '["a", {"b": 1}]', ["a", {"b": 1}])),
    PADDED_TEXT.map(lambda typed: ("text", typed, typed)),
)


@PROPERTY_SETTINGS
@given(api=api_candidates(min_custom_fields=1), data=st.data())
def test_editing_a_custom_field_value_sends_only_custom_fields(
    api: dict[str, Any], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(api["custom_fields"]) - 1), label="row")
    kind, typed, value = data.draw(CUSTOM_EDITS, label="edit")
    edited_api = {**api, "custom_fields": [dict(item) for item in api["custom_fields"]]}
    edited_api["custom_fields"][index]["value"] = value
    expected = api_rows(edited_api, "custom_fields", CUSTOM_COLUMNS)
    assume(json.dumps(expected) != json.dumps(api_rows(api, "custom_fields", CUSTOM_COLUMNS)))
    candidate = Candidate.from_api(api)
    changes = {
        row_key("custom_fields", index, "value"): typed,
        row_key("custom_fields", index, "value_kind"): kind,
    }
    body = post(candidate, {**unedited(candidate), **changes})
    assert json.dumps(body) == json.dumps({"custom_fields": expected})  # type-exact: 31 is not 31.0


@PROPERTY_SETTINGS
@given(api=api_candidates(), new=VALID_EMAIL)
def test_adding_an_email_row_sends_only_emails(api: dict[str, Any], new: str) -> None:
    assume(
        all(
            _text(item.get("value")) is None or _text(item.get("value")).casefold() != new.casefold()
            for item in api.get("emails") or []
        )
    )
    candidate = Candidate.from_api(api)
    data = unedited(candidate)
    add_row(data, "emails", {"type": "work", "value": new})
    expected = api_rows(api, "emails", ("type", "value")) + [{"type": "work", "value": new}]
    assert post(candidate, data) == {"emails": expected}


@PROPERTY_SETTINGS
@given(api=api_candidates(min_phones=1), data=st.data())
def test_deleting_a_phone_row_sends_only_phone_numbers(api: dict[str, Any], data: st.DataObject) -> None:
    rows = [
        {"type": _text(item.get("type")), "phone": _text(item.get("phone"))} for item in api["phone_numbers"]
    ]
    filled = [index for index, row in enumerate(rows) if row != {"type": None, "phone": None}]
    assume(filled)  # deleting a blank row changes nothing that is sent
    index = data.draw(st.sampled_from(filled), label="row")
    candidate = Candidate.from_api(api)
    body = post(candidate, {**unedited(candidate), row_key("phone_numbers", index, "DELETE"): "on"})
    expected = [rows[position] for position in filled if position != index]
    assert body == {"phone_numbers": expected}
