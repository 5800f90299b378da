"""The typed values built at the StackOne boundary (``candidates.types``).

``from_api`` is lenient about absent keys and strict about JSON types; these tests pin both.
``FULL_CANDIDATE`` is a realistic ``Candidate`` (validated against the spec below) that the
client tests reuse as a ``GET /unified/ats/candidates/{id}`` answer.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest

from candidates.types import (
    Candidate,
    CandidatePage,
    CustomField,
    CustomFieldDefinition,
    Email,
    LinkedAccount,
    PhoneNumber,
    SocialLink,
    Tag,
    UpdateResult,
)
from tests.sandbox_support import validate_against

FULL_CANDIDATE: dict[str, Any] = {
    "id": "cand-8187e5da",
    "remote_id": "8187e5da-dc77-475e-9949-af0f1fa4e4e3",
    "unified_custom_fields": {"my_project_custom_field_1": "REF-1236", "score": 4.5, "flags": {"vip": True}},
    "name": "Romain Sestier",
    "first_name": "Romain",
    "last_name": "Sestier",
    "email": "sestier.romain123@gmail.com",
    "emails": [
        {"type": "personal", "value": "sestier.romain123@gmail.com"},
        {"type": "work", "value": "romain@company.example"},
    ],
    "social_links": [{"type": "linkedin", "url": "https://www.linkedin.com/in/romainsestier/"}],
    "phone": "+16178294093",
    "phone_numbers": [
        {"type": "mobile", "phone": "+447700112233"},
        {"type": "unmapped_value", "phone": "+33 1 23 45 67 89"},
    ],
    "company": "Company Inc.",
    "title": "Software Engineer",
    "application_ids": ["app-1", "app-2"],
    "remote_application_ids": ["remote-app-1", "remote-app-2"],
    "hired_at": "2021-01-01T01:01:01.000Z",
    "country": "United States",
    "custom_fields": [
        {"id": "cf-status", "remote_id": "r-status", "name": "Status", "value": "Completed",
         "value_id": "value_456", "remote_value_id": "r-value_456"},
        {"id": "cf-years", "remote_id": "r-years", "name": "Years", "value": 7,
         "value_id": None, "remote_value_id": None},
        {"id": "cf-score", "name": "Score", "value": 4.5},
        {"id": "cf-relocate", "name": "Relocate", "value": False},
        {"id": "cf-skills", "name": "Skills", "value": ["python", "django", 3]},
        {"id": "cf-address", "name": "Address", "value": {"city": "Paris", "zip": None}},
        {"id": "cf-empty", "name": "Empty", "value": None},
    ],
    "tags": [{"remote_id": "tag-1", "name": "Gold Medalist"}],
    "created_at": "2020-05-30T09:00:00.000Z",
    "updated_at": "2024-02-01T10:11:12.000Z",
}


def test_the_full_candidate_sample_is_a_valid_stackone_candidate() -> None:
    # The fixture stands in for StackOne's answer; it must be something StackOne could send.
    validate_against("Candidate", FULL_CANDIDATE)


def test_it_parses_every_candidate_field() -> None:
    candidate = Candidate.from_api(copy.deepcopy(FULL_CANDIDATE))

    assert candidate == Candidate(
        id="cand-8187e5da",
        remote_id="8187e5da-dc77-475e-9949-af0f1fa4e4e3",
        name="Romain Sestier",
        first_name="Romain",
        last_name="Sestier",
        email="sestier.romain123@gmail.com",
        emails=(
            Email(type="personal", value="sestier.romain123@gmail.com"),
            Email(type="work", value="romain@company.example"),
        ),
        social_links=(SocialLink(type="linkedin", url="https://www.linkedin.com/in/romainsestier/"),),
        phone="+16178294093",
        phone_numbers=(
            PhoneNumber(type="mobile", phone="+447700112233"),
            PhoneNumber(type="unmapped_value", phone="+33 1 23 45 67 89"),
        ),
        company="Company Inc.",
        title="Software Engineer",
        application_ids=("app-1", "app-2"),
        remote_application_ids=("remote-app-1", "remote-app-2"),
        hired_at="2021-01-01T01:01:01.000Z",
        country="United States",
        custom_fields=(
            CustomField(id="cf-status", remote_id="r-status", name="Status", value="Completed",
                        value_id="value_456", remote_value_id="r-value_456"),
            CustomField(id="cf-years", remote_id="r-years", name="Years", value=7,
                        value_id=None, remote_value_id=None),
            CustomField(id="cf-score", remote_id=None, name="Score", value=4.5,
                        value_id=None, remote_value_id=None),
            CustomField(id="cf-relocate", remote_id=None, name="Relocate", value=False,
                        value_id=None, remote_value_id=None),
            CustomField(id="cf-skills", remote_id=None, name="Skills", value=["python", "django", 3],
                        value_id=None, remote_value_id=None),
            CustomField(id="cf-address", remote_id=None, name="Address", value={"city": "Paris", "zip": None},
                        value_id=None, remote_value_id=None),
            CustomField(id="cf-empty", remote_id=None, name="Empty", value=None,
                        value_id=None, remote_value_id=None),
        ),
        unified_custom_fields={"my_project_custom_field_1": "REF-1236", "score": 4.5, "flags": {"vip": True}},
        tags=(Tag(remote_id="tag-1", name="Gold Medalist"),),
        created_at="2020-05-30T09:00:00.000Z",
        updated_at="2024-02-01T10:11:12.000Z",
    )
    assert candidate.raw == FULL_CANDIDATE


def test_it_keeps_custom_field_values_as_their_json_types() -> None:
    values = [field.value for field in Candidate.from_api(FULL_CANDIDATE).custom_fields]

    # `==` alone would accept 7.0 for 7 and 0 for False; the form needs the exact JSON type.
    assert [type(value) for value in values] == [str, int, float, bool, list, dict, type(None)]
    assert values[1] == 7 and values[3] is False and values[4] == ["python", "django", 3]


def test_it_fills_absent_keys_and_nulls_with_empty_values() -> None:
    candidate = Candidate.from_api({"id": "c1", "emails": None, "tags": None, "unified_custom_fields": None})

    assert candidate == Candidate(id="c1", remote_id=None)
    assert candidate.emails == () and candidate.custom_fields == ()
    assert candidate.unified_custom_fields is None


def test_it_turns_numeric_ids_into_strings_but_not_other_numbers() -> None:
    candidate = Candidate.from_api({"id": 42, "remote_id": 7, "custom_fields": [{"id": 3, "value_id": 9}]})

    assert (candidate.id, candidate.remote_id) == ("42", "7")
    assert (candidate.custom_fields[0].id, candidate.custom_fields[0].value_id) == ("3", "9")
    with pytest.raises(ValueError, match="first_name"):
        Candidate.from_api({"id": "c1", "first_name": 42})
    with pytest.raises(ValueError, match="id"):
        Candidate.from_api({"id": True})


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ([], "candidate: expected a JSON object, got list"),
        ({"emails": "a@example.com"}, "emails: expected a list"),
        ({"emails": ["a@example.com"]}, r"emails\[\]: expected a JSON object"),
        ({"emails": [{"value": 5}]}, "value: expected a string"),
        ({"phone_numbers": {"phone": "+1"}}, "phone_numbers: expected a list"),
        ({"social_links": [{"url": ["x"]}]}, "url: expected a string"),
        ({"first_name": 42}, "first_name: expected a string, got int"),
        ({"hired_at": {"date": "2021"}}, "hired_at: expected a string"),
        ({"application_ids": ["a", 1]}, "application_ids: expected a list of strings"),
        ({"remote_application_ids": "a"}, "remote_application_ids: expected a list"),
        ({"custom_fields": [None]}, r"custom_fields\[\]: expected a JSON object"),
        ({"unified_custom_fields": ["x"]}, "unified_custom_fields: expected a JSON object"),
        ({"tags": [{"name": False}]}, "name: expected a string"),
    ],
)
def test_it_rejects_a_candidate_of_the_wrong_shape_with_a_value_error_naming_the_key(
    data: Any, named: str
) -> None:
    with pytest.raises(ValueError, match=named):
        Candidate.from_api(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"name": "Ada L", "first_name": "Ada", "last_name": "Lovelace"}, "Ada L"),
        ({"first_name": "Ada", "last_name": "Lovelace"}, "Ada Lovelace"),
        ({"last_name": "Lovelace"}, "Lovelace"),
        ({"email": "ada@example.com"}, "ada@example.com"),
        ({"id": "c-9"}, "c-9"),
        ({}, "(unnamed)"),
    ],
)
def test_display_name_falls_back_from_name_to_parts_email_and_id(data: dict[str, Any], expected: str) -> None:
    assert Candidate.from_api(data).display_name == expected


def test_a_candidate_read_from_the_api_cannot_be_changed_in_place() -> None:
    candidate = Candidate.from_api(FULL_CANDIDATE)

    with pytest.raises(dataclasses.FrozenInstanceError):
        candidate.first_name = "Changed"


def test_candidate_page_reads_items_and_the_next_cursor() -> None:
    page = CandidatePage.from_api({"data": [{"id": "c1"}, {"id": "c2"}], "next": "cursor-2", "raw": []})

    assert [item.id for item in page.items] == ["c1", "c2"]
    assert page.next_cursor == "cursor-2"


@pytest.mark.parametrize("body", [{"data": []}, {"data": [], "next": None}, {"data": [], "next": ""}])
def test_candidate_page_without_a_cursor_is_the_last_page(body: dict[str, Any]) -> None:
    assert CandidatePage.from_api(body) == CandidatePage(items=(), next_cursor=None)


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ([], "candidates page: expected a JSON object"),
        ({"next": "x"}, "missing 'data'"),
        ({"data": {"id": "c1"}}, "data: expected a list"),
        ({"data": [], "next": 2}, "next: expected a string"),
    ],
)
def test_candidate_page_of_the_wrong_shape_raises_value_error(body: Any, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        CandidatePage.from_api(body)


def test_linked_account_reads_its_fields_and_names_itself() -> None:
    account = LinkedAccount.from_api({
        "id": "acc-1", "provider": "greenhouse", "provider_name": "Greenhouse", "status": "active",
        "origin_owner_id": "o-1", "origin_owner_name": "Acme", "label": None,
        "created_at": "2024-01-01T00:00:00.000Z", "updated_at": "2024-01-01T00:00:00.000Z",
    })

    assert account == LinkedAccount(id="acc-1", provider="greenhouse", provider_name="Greenhouse",
                                    status="active", label=None, origin_owner_name="Acme")
    assert account.is_active
    assert account.display_name == "Greenhouse"
    labelled = LinkedAccount.from_api({"id": "acc-2", "label": "EU tenant", "status": "error"})
    assert labelled.display_name == "EU tenant"
    assert not LinkedAccount.from_api({"id": "acc-2", "status": "suspended"}).is_active


@pytest.mark.parametrize("data", [{}, {"id": ""}, {"id": None}, "acc-1"])
def test_linked_account_without_an_id_raises_value_error(data: Any) -> None:
    with pytest.raises(ValueError):
        LinkedAccount.from_api(data)


def test_update_result_reads_ids_message_timestamp_and_status_code() -> None:
    result = UpdateResult.from_api({
        "statusCode": 201,
        "message": "Record created successfully.",
        "timestamp": "2021-01-01T01:01:01.000Z",
        "data": {"id": "cand-1", "remote_id": "remote-1"},
    })

    assert result == UpdateResult(id="cand-1", remote_id="remote-1", message="Record created successfully.",
                                  timestamp="2021-01-01T01:01:01.000Z", status_code=201)


@pytest.mark.parametrize("data", [{"remote_id": "r-1"}, {"id": None, "remote_id": "r-1"},
                                  {"id": "", "remote_id": "r-1"}])
def test_an_update_result_without_data_id_keeps_remote_id(
        data: dict[str, Any]) -> None:
    # StackOne's schema allows data.id to be null; the caller knows the id from the path.
    result = UpdateResult.from_api({"statusCode": 200, "message": "Updated", "data": data})
    assert (result.id, result.remote_id, result.message) == (None, "r-1", "Updated")


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"statusCode": 200, "message": "OK"}, "update result 'data': expected a JSON object, got NoneType"),
        ({"data": ["cand-1"]}, "update result 'data': expected a JSON object, got list"),
        ({"data": {"id": {"value": 1}}}, "id: expected a string"),
        ("ok", "update result: expected a JSON object"),
    ],
)
def test_update_result_of_the_wrong_shape_raises_value_error(body: Any, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        UpdateResult.from_api(body)


def test_custom_field_definition_reads_the_type_value_and_options() -> None:
    definition = CustomFieldDefinition.from_api({
        "id": "cf-status", "remote_id": "r-status", "name": "Status", "description": "Pipeline status",
        "type": {"value": "single_select", "source_value": "Dropdown"},
        "options": [{"id": "option_1", "value": "Not Started"}, {"id": "option_3", "value": "Completed"}],
    })

    assert definition == CustomFieldDefinition(
        id="cf-status", remote_id="r-status", name="Status", type="single_select",
        options=({"id": "option_1", "value": "Not Started"}, {"id": "option_3", "value": "Completed"}),
    )
    assert CustomFieldDefinition.from_api({"id": "cf-x", "type": None, "options": None}).type is None
    with pytest.raises(ValueError, match="options: expected a list"):
        CustomFieldDefinition.from_api({"id": "cf-x", "options": "a,b"})
