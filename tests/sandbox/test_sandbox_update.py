"""PATCH /unified/ats/candidates/{id}: partial-update semantics, validation and error shape."""

from __future__ import annotations

import re

import pytest

from sandbox.models import SandboxCandidate
from sandbox.seed import ADA_ID
from tests.sandbox.helpers import CANDIDATES_URL, body_of

pytestmark = pytest.mark.django_db

ADA_URL = f"{CANDIDATES_URL}/{ADA_ID}"
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
PROVIDER_URL = "https://sandbox.provider.example/v1/candidates/gh-cand-10001"


def _bad_request(response, errors: list[dict[str, str]]) -> None:
    """The exact StackOne-shaped 400 for these field errors."""
    assert response.status_code == 400
    body = body_of(response, "BadRequestResponse")
    assert TIMESTAMP.match(body.pop("timestamp"))
    message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    assert body == {
        "statusCode": 400,
        "message": message,
        "data": {"statusCode": 400, "message": message, "headers": {}},
        "provider_errors": [{"status": 400, "url": PROVIDER_URL, "raw": {"errors": errors}, "headers": {}}],
    }


def test_patch_applies_exactly_the_fields_present(api, seeded):
    before = api.candidate(ADA_ID, include="custom_fields")
    body = {
        "first_name": "Augusta",
        "title": None,  # null clears
        "emails": [{"type": "work", "value": "augusta@analytical.example"}],  # arrays replace whole
        "phone_numbers": [],
        "hired_at": "2025-02-03T04:05:06.000Z",
        "unified_custom_fields": {"sandbox_source": "Manual"},
    }
    response = api.patch(ADA_URL, body)
    assert response.status_code == 200
    result = body_of(response, "CreateResult")
    assert TIMESTAMP.match(result.pop("timestamp"))
    assert result == {
        "statusCode": 200,
        "message": "Record updated successfully.",
        "data": {"id": "c-0001", "remote_id": "gh-cand-10001"},
    }

    after = api.candidate(ADA_ID, include="custom_fields")
    expected = {**before, **body, "updated_at": after["updated_at"]}
    assert after == expected
    # Untouched fields keep their values: name is not derived from first_name, email not from emails.
    assert after["name"] == "Ada Lovelace"
    assert after["email"] == "ada@example.com"
    assert after["last_name"] == "Lovelace"
    assert after["custom_fields"] == before["custom_fields"]
    assert after["created_at"] == before["created_at"]
    assert after["updated_at"] > before["updated_at"]


def test_each_patch_moves_updated_at_forward(api, seeded):
    stamps = [api.candidate(ADA_ID)["updated_at"]]
    for title in ("One", "Two", "Three"):
        assert api.patch(ADA_URL, {"title": title}).status_code == 200
        stamps.append(api.candidate(ADA_ID)["updated_at"])
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 4


def test_empty_body_changes_nothing_but_updated_at(api, seeded):
    before = api.candidate(ADA_ID, include="custom_fields")
    assert api.patch(ADA_URL, {}).status_code == 200
    after = api.candidate(ADA_ID, include="custom_fields")
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


def test_custom_fields_replace_and_names_come_from_definitions(api, seeded):
    response = api.patch(
        ADA_URL,
        {
            "custom_fields": [
                {"id": "cf_notice_period", "value": 45},
                {"id": "cf_unknown", "value": "kept as sent"},
            ]
        },
    )
    assert response.status_code == 200
    assert api.candidate(ADA_ID, include="custom_fields")["custom_fields"] == [
        {
            "id": "cf_notice_period",
            "remote_id": "r_cf_notice",
            "name": "Notice period (days)",
            "value": 45,
            "value_id": None,
            "remote_value_id": None,
        },
        {"id": "cf_unknown", "value": "kept as sent"},
    ]


@pytest.mark.parametrize(
    "value", ["Completed", 3, 2.5, True, None, ["a", "b"], {"k": "v"}, "2024-01-01T00:00:00Z"]
)
def test_custom_field_values_of_every_spec_type_are_accepted(api, seeded, value):
    response = api.patch(ADA_URL, {"custom_fields": [{"id": "cf_stage", "value": value}]})
    assert response.status_code == 200, response.content
    assert api.candidate(ADA_ID, include="custom_fields")["custom_fields"][0]["value"] == value


def test_passthrough_is_recorded_not_stored_on_the_candidate(api, seeded):
    response = api.patch(
        ADA_URL, {"passthrough": {"other_known_names": "Countess of Lovelace"}, "title": "Poet"}
    )
    assert response.status_code == 200
    row = SandboxCandidate.objects.get(candidate_id=ADA_ID)
    assert row.last_passthrough == {"other_known_names": "Countess of Lovelace"}
    assert "passthrough" not in row.data
    assert "passthrough" not in api.candidate(ADA_ID, include="custom_fields")
    api.patch(ADA_URL, {"title": "Mathematician"})
    row.refresh_from_db()
    assert row.last_passthrough is None


def test_bad_email_is_a_provider_400(api, seeded):
    before = SandboxCandidate.objects.get(candidate_id=ADA_ID)
    response = api.patch(
        ADA_URL,
        {
            "emails": [
                {"type": "personal", "value": "ada@example.com"},
                {"type": "work", "value": "not-an-email"},
            ]
        },
    )
    _bad_request(response, [{"field": "emails[1].value", "message": "is not a valid email"}])
    after = SandboxCandidate.objects.get(candidate_id=ADA_ID)
    assert (after.data, after.updated_at) == (before.data, before.updated_at)


def test_bad_single_email_and_hired_at(api, seeded):
    response = api.patch(ADA_URL, {"email": "ada.example.com", "hired_at": "next tuesday"})
    _bad_request(
        response,
        [
            {"field": "hired_at", "message": "is not a valid ISO 8601 date-time"},
            {"field": "email", "message": "is not a valid email"},
        ],
    )


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"first_name": 5}, [{"field": "first_name", "message": "must be a string or null"}]),
        ({"emails": "ada@example.com"}, [{"field": "emails", "message": "must be an array or null"}]),
        (
            {"emails": [{"type": "work", "value": 7}]},
            [{"field": "emails[0].value", "message": "must be a string or null"}],
        ),
        (
            {"phone_numbers": [{"type": "fax", "phone": "+442079460000"}]},
            [
                {
                    "field": "phone_numbers[0].type",
                    "message": (
                        "must be one of: personal, work, mobile, home, unknown, other, unmapped_value, null"
                    ),
                }
            ],
        ),
        ({"application_ids": ["a", 2]}, [{"field": "application_ids[1]", "message": "must be a string"}]),
        (
            {"custom_fields": [{"id": 1, "value": "x"}]},
            [{"field": "custom_fields[0].id", "message": "must be a string or null"}],
        ),
        ({"passthrough": "x"}, [{"field": "passthrough", "message": "must be an object or null"}]),
        (
            {"hired_at": "2024-02-30T00:00:00Z"},
            [{"field": "hired_at", "message": "is not a valid ISO 8601 date-time"}],
        ),
        ({"nickname": "Ada"}, [{"field": "nickname", "message": "property should not exist"}]),
    ],
)
def test_schema_violations_are_400_with_field_paths(api, seeded, body, errors):
    _bad_request(api.patch(ADA_URL, body), errors)


@pytest.mark.parametrize(
    "field", ["id", "remote_id", "created_at", "updated_at", "tags", "remote_application_ids"]
)
def test_read_only_properties_are_refused(api, seeded, field):
    response = api.patch(ADA_URL, {field: None, "title": "Changed?"})
    _bad_request(response, [{"field": field, "message": "property is read-only and cannot be updated"}])
    assert api.candidate(ADA_ID)["title"] == "Mathematician"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("{not json", "Request body is not valid JSON"),
        ("", "Request body is not valid JSON"),
    ],
)
def test_invalid_json_is_400(api, seeded, raw, message):
    response = api.patch(ADA_URL, None, raw=raw)
    assert response.status_code == 400
    body = body_of(response, "BadRequestResponse")
    assert body["message"] == message
    assert body["data"] == {"statusCode": 400, "message": message, "headers": {}}


@pytest.mark.parametrize("raw", ["[]", '"text"', "null", "3"])
def test_body_must_be_an_object(api, seeded, raw):
    response = api.patch(ADA_URL, None, raw=raw)
    assert response.status_code == 400
    body = body_of(response, "BadRequestResponse")
    assert body["message"] == "request body must be a JSON object"
    assert body["provider_errors"][0]["raw"] == {
        "errors": [{"field": "", "message": "request body must be a JSON object"}]
    }


def test_patch_unknown_candidate_is_404(api, seeded):
    response = api.patch(f"{CANDIDATES_URL}/c-9999", {"title": "x"})
    assert response.status_code == 404
    assert body_of(response, "NotFoundResponse")["message"] == "Resource not found"


def test_non_ascii_text_patched_is_read_back_unchanged(api, seeded):
    body = {"first_name": "Zoë", "last_name": "李", "title": "Ingénieure 🚀", "country": "Ōsaka-fu"}
    assert api.patch(ADA_URL, body).status_code == 200
    after = api.candidate(ADA_ID)
    assert {key: after[key] for key in body} == body
