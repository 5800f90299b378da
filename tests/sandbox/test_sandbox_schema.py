"""The spec loader (nullable / oneOf translation) and the contract helpers built on it."""

from __future__ import annotations

import hashlib
import json

import pytest

from sandbox.schema import OPENAPI_DIR, SchemaMismatch, json_schema, load_spec, parse_datetime, translate
from tests.sandbox_support import request_body_errors, validate_against


def test_vendored_specs_are_the_documented_copies():
    expected = {
        "ats.openapi.json": "fbaca122de4936f49b78eb5b52184458a703a1a626d4bc1ed63f4324fccd4215",
        "stackone-core.openapi.json": "10cc3abf36a0554a4d0b02082f0508eac5449c5412c7885446583aa6aa72e16f",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((OPENAPI_DIR / name).read_bytes()).hexdigest() == digest
    assert load_spec("ats")["info"]["title"] == "ATS"
    assert load_spec("core")["info"]["title"] == "StackOne"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a", None], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        (
            {"nullable": True, "allOf": [{"$ref": "#/components/schemas/X"}]},
            {"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/$defs/X"}]}]},
        ),
        (
            {"oneOf": [{"type": "string"}, {"type": "string", "format": "date-time"}], "nullable": True},
            {
                "anyOf": [
                    {"type": "null"},
                    {"anyOf": [{"type": "string"}, {"type": "string", "format": "date-time"}]},
                ]
            },
        ),
        (
            {"type": "object", "properties": {"nullable": {"type": "string"}}},
            {"type": "object", "properties": {"nullable": {"type": "string"}}},
        ),  # a property *named* nullable
        ({"type": "string", "nullable": False}, {"type": "string"}),
    ],
)
def test_openapi_nullable_becomes_a_json_schema_null_type(source, expected):
    assert translate(source) == expected


def test_custom_field_values_accept_every_spec_type():
    for value in ["Completed", "2024-01-01T00:00:00Z", 3, 2.5, True, {"a": 1}, [1, "x"], None]:
        validate_against("CustomFields", {"id": "cf", "value": value})


def test_validate_against_raises_with_every_problem():
    with pytest.raises(SchemaMismatch) as error:
        validate_against("CandidateResult", {"data": {"id": 5, "emails": [{"value": 3}], "hired_at": "soon"}})
    assert error.value.errors == [
        "data.emails[0].value: must be a string or null",
        "data.hired_at: is not a valid ISO 8601 date-time",
        "data.id: must be a string or null",
    ]
    assert isinstance(error.value, AssertionError)
    with pytest.raises(SchemaMismatch):
        validate_against("CandidatesPaginated", {"next": None})  # data is required


def test_validate_against_core_and_arrays():
    account = {
        "id": "a",
        "provider": "greenhouse",
        "status": "active",
        "origin_owner_id": "o",
        "origin_owner_name": "O",
        "created_at": "2024-01-01T00:00:00.000Z",
        "updated_at": "2024-01-01T00:00:00.000Z",
    }
    validate_against("LinkedAccount[]", [account], spec="core")
    with pytest.raises(SchemaMismatch, match="'provider' is a required property"):
        validate_against(
            "LinkedAccount[]", [{k: v for k, v in account.items() if k != "provider"}], spec="core"
        )
    with pytest.raises(KeyError):
        validate_against("NoSuchSchema", {})
    with pytest.raises(ValueError, match="unknown spec"):
        validate_against("Candidate", {}, spec="hris")


def test_json_schema_is_plain_json():
    schema = json_schema("AtsUpdateCandidateRequestDto", strict=True)
    assert json.loads(json.dumps(schema)) == schema
    assert "nullable" not in json.dumps(schema["$defs"]["AtsUpdateCandidateRequestDto"])


def test_request_body_errors_accepts_the_readme_example():
    body = {
        "first_name": "Romain",
        "last_name": "Sestier",
        "emails": [{"type": "personal", "value": "sestier.romain123@gmail.com"}],
        "phone_numbers": [{"type": "mobile", "phone": "+447700112233"}],
        "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/romainsestier/"}],
        "custom_fields": [{"id": "8187e5da-dc77-475e-9949-af0f1fa4e4e3", "value": "Completed"}],
        "title": None,
        "hired_at": "2021-01-01T01:01:01.000Z",
        "passthrough": {"other_known_names": "John Doe"},
    }
    assert request_body_errors(body) == []
    assert request_body_errors({}) == []


def test_request_body_errors_lists_problems():
    assert request_body_errors({"id": "x", "tags": [], "first_name": 1, "hired_at": "2021-01-01"}) == [
        "first_name: must be a string or null",
        "hired_at: is not a valid ISO 8601 date-time",
        "id: property should not exist",
        "tags: property should not exist",
    ]
    assert request_body_errors([]) == ["(root): must be an object"]
    # A provider rule, not part of the contract:
    assert request_body_errors({"email": "no-at-sign"}) == []


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2021-01-01T01:01:01.000Z", True),
        ("2021-01-01T01:01:01Z", True),
        ("2021-01-01T01:01:01.123456789+02:00", True),
        ("2021-01-01 01:01", True),
        ("2021-01-01T01:01:01", True),
        ("2021-01-01", False),
        ("2021-02-30T00:00:00Z", False),
        ("tomorrow", False),
        ("", False),
    ],
)
def test_parse_datetime_reads_date_times_and_refuses_a_bare_date_or_an_impossible_day(text, ok):
    assert (parse_datetime(text) is not None) is ok
