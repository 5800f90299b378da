"""The StackOne error hierarchy: parsing an error answer, field errors, Retry-After, and text.

The status → class mapping itself is exercised over HTTP in ``test_client.py``; here the
answers are hand-built ``requests.Response`` objects so odd bodies can be fed in directly.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from candidates.exceptions import (
    FieldError,
    StackOneAuthError,
    StackOneBadResponse,
    StackOneError,
    StackOneNotFound,
    StackOneRateLimited,
    StackOneUnavailable,
    StackOneValidationError,
    error_from_response,
    error_row_text,
    error_text,
    parse_retry_after,
)
from candidates.stackone import StackOneClient, StackOneConfig

URL = "https://stackone.test/unified/ats/candidates/cand-1"


def _response(status: int, body: Any = None, *, text: bytes | None = None,
              headers: dict[str, str] | None = None, method: str = "PATCH",
              reason: str | None = "Reason Phrase") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = reason
    response._content = text if text is not None else json.dumps(body).encode()
    response.headers = CaseInsensitiveDict(headers or {})
    response.url = URL
    response.request = requests.Request(method, URL).prepare()
    return response


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("emails[0].value", FieldError(field="emails", message="m", index=0, column="value")),
        ("phone_numbers[12].phone", FieldError(field="phone_numbers", message="m", index=12, column="phone")),
        ("emails.1.value", FieldError(field="emails", message="m", index=1, column="value")),
        ("first_name", FieldError(field="first_name", message="m")),
        ("social_links[3]", FieldError(field="social_links", message="m", index=3)),
        ("custom_fields[0].value", FieldError(field="custom_fields", message="m", index=0, column="value")),
        ("", FieldError(field=None, message="m")),
        (None, FieldError(field=None, message="m")),
        ("[0]", FieldError(field=None, message="m")),
    ],
)
def test_field_error_reads_field_row_and_column_from_a_provider_path(
    path: str | None, expected: FieldError
) -> None:
    assert FieldError.from_path(path, "m") == expected


def test_it_parses_field_errors_from_list_shaped_raw_errors() -> None:
    error = error_from_response(_response(400, {
        "statusCode": 400,
        "message": "Bad Request",
        "errorCode": "PROVIDER_VALIDATION",
        "timestamp": "2023-05-30T00:00:00.000Z",
        "provider_errors": [{
            "status": 422,
            "url": "https://api.provider.example/v1/candidates/1",
            "raw": {
                "message": "Invalid input parameters",
                "errors": [
                    {"field": "emails[0].value", "message": "is not an email"},
                    {"field": "first_name", "message": "is too long"},
                    {"message": "record is locked"},
                    {"field": "title"},  # no message: nothing to show
                    "junk",
                ],
            },
            "headers": {},
        }],
    }))

    assert isinstance(error, StackOneValidationError)
    assert error.error_code == "PROVIDER_VALIDATION"
    assert error.field_errors == (
        FieldError(field="emails", message="is not an email", index=0, column="value"),
        FieldError(field="first_name", message="is too long"),
        FieldError(field=None, message="record is locked"),
    )
    assert error.provider_messages == ("Invalid input parameters", "record is locked")


def test_it_parses_field_errors_from_dict_shaped_raw_errors() -> None:
    error = error_from_response(_response(422, {
        "statusCode": 422,
        "message": "Unprocessable Entity",
        "provider_errors": [
            {"status": 422, "raw": {"errors": {"phone_numbers[1].phone": ["is invalid", "is too short"],
                                               "last_name": "can't be blank",
                                               "country": [7]}}},
            {"status": 422, "raw": None},
            "not-an-object",
        ],
    }))

    assert error.field_errors == (
        FieldError(field="phone_numbers", message="is invalid", index=1, column="phone"),
        FieldError(field="phone_numbers", message="is too short", index=1, column="phone"),
        FieldError(field="last_name", message="can't be blank"),
    )
    # Only the dict-shaped provider errors are kept: the rest cannot be read.
    assert len(error.provider_errors) == 2


def test_a_non_json_error_body_still_maps_by_status_with_the_reason_as_message() -> None:
    error = error_from_response(
        _response(404, text=b"<html>Not Found</html>", reason="Not Found", method="GET")
    )

    assert type(error) is StackOneNotFound
    assert (error.status_code, error.message, error.method, error.url) == (404, "Not Found", "GET", URL)
    assert error.provider_errors == () and error.field_errors == () and error.error_code is None


@pytest.mark.parametrize("body", [[{"message": "x"}], "plain string", 12, None])
def test_a_json_error_body_that_is_not_an_object_is_ignored(body: Any) -> None:
    error = error_from_response(_response(401, body, reason="Unauthorized"))

    assert type(error) is StackOneAuthError
    assert error.message == "Unauthorized"


def test_odd_message_error_code_and_provider_errors_types_are_ignored() -> None:
    body = {"message": ["a", "b"], "errorCode": 17, "provider_errors": {"x": 1}}
    error = error_from_response(_response(400, body, reason=None))

    assert error.message == StackOneValidationError.default_message
    assert error.error_code is None and error.provider_errors == ()


def test_a_rate_limit_error_carries_retry_after_and_the_retries_made() -> None:
    response = _response(429, {"message": "Too many requests"}, headers={"Retry-After": "12"})
    error = error_from_response(response, retries=3)

    assert type(error) is StackOneRateLimited
    assert (error.retry_after, error.retries) == (12.0, 3)


def test_an_unknown_status_is_the_base_error_and_an_unknown_5xx_is_unavailable() -> None:
    assert type(error_from_response(_response(418, {}))) is StackOneError
    assert type(error_from_response(_response(507, {}))) is StackOneUnavailable


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 3 ", 3.0),
        ("1.5", 1.5),
        ("0", 0.0),
        ("-5", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0),  # a date in the past: retry now
        (None, None),
        ("", None),
        ("   ", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
    ],
)
def test_parse_retry_after_reads_seconds_and_dates_and_refuses_garbage(
    value: str | None, expected: float | None
) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_reads_an_http_date_in_the_future() -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=90), usegmt=True)

    seconds = parse_retry_after(when)

    assert seconds is not None and 85 <= seconds <= 90


def test_str_names_status_message_method_and_url() -> None:
    error = error_from_response(_response(403, {"message": "Forbidden resource"}))

    assert str(error) == f"403 Forbidden resource (PATCH {URL})"
    assert str(StackOneBadResponse("odd body")) == "odd body"
    assert str(StackOneUnavailable()) == "StackOne did not answer"


def test_every_error_is_a_stackone_error_and_bad_response_counts_as_unavailable() -> None:
    # Callers catch StackOneUnavailable to say "outcome unknown": a garbled 2xx is exactly that.
    assert issubclass(StackOneBadResponse, StackOneUnavailable)
    for cls in (StackOneAuthError, StackOneNotFound, StackOneValidationError, StackOneRateLimited,
                StackOneUnavailable):
        assert issubclass(cls, StackOneError)


def test_a_key_echoed_back_by_stackone_is_redacted_everywhere(stackone) -> None:
    key = "sk-live-ECHOED-123"
    basic = "c2stbGl2ZS1FQ0hPRUQtMTIzOg=="
    stackone.get("https://stackone.test/unified/ats/candidates/c-1", status=400, json={
        "statusCode": 400, "message": f"Bad key {key}",
        "provider_errors": [{"status": 400, "raw": {"message": f"Authorization: Basic {basic}",
                                                    "errors": [{"field": "email", "message": key}]}}]})
    client = StackOneClient(
        StackOneConfig(api_key=key, base_url="https://stackone.test", timeout=2, max_retries=0)
    )
    with pytest.raises(StackOneValidationError) as caught:
        client.candidate_get(account_id="acc", candidate_id="c-1")
    error = caught.value
    seen = repr((str(error), error.message, error.provider_errors, error.field_errors,
                 error.provider_messages))
    assert key not in seen and basic not in seen
    assert error.message == "Bad key [redacted]"
    assert error.provider_messages[0] == "Authorization: Basic [redacted]"


# -- the error map ------------------------------------------------------------------------------

ERROR_MAP = [
    # status, on a read page, after a failed save, may have been applied, our page's status
    (401, "StackOne rejected the API key (401). Ask an administrator to check STACKONE_API_KEY.",
     "StackOne rejected the API key (401); nothing was saved. "
     "Ask an administrator to check STACKONE_API_KEY.",
     False, 502),
    (404, "StackOne answered with an error (404): gone.",
     "This candidate no longer exists in StackOne (404); nothing was saved.", False, 404),
    (409, "StackOne reported a conflict (409): gone.",
     "StackOne reported a conflict (409): gone; nothing was saved.", False, 502),
    (422, "StackOne: gone.", "StackOne: gone.", False, 400),
    (429, "StackOne is rate limiting requests (429). Try again in 3 seconds.",
     "StackOne is rate limiting requests (429); nothing was saved. Try again in 3 seconds.", False, 502),
    (501, "The ATS behind this account does not support this operation (501).",
     "The ATS behind this account does not support this operation (501); nothing was saved.", False, 502),
    (503, "StackOne did not answer in time or is unavailable. Try again in a moment.",
     "StackOne did not confirm the save; it may or may not have been applied.", True, 502),
]


@pytest.mark.parametrize(("status", "read", "write", "may_have_applied", "page_status"), ERROR_MAP)
def test_each_error_carries_its_sentence_whether_it_may_have_applied_and_its_page_status(
        status: int, read: str, write: str, may_have_applied: bool, page_status: int) -> None:
    error = error_from_response(_response(status, {"message": "gone."}, headers={"Retry-After": "3"}))
    assert error_text(error) == read
    assert error_text(error, write=True) == write
    assert (error.may_have_applied, error.page_status) == (may_have_applied, page_status)


def test_a_bulk_row_records_stackones_words_and_whether_it_may_have_landed() -> None:
    rejected = error_from_response(_response(422, {"message": "Invalid.", "provider_errors": [
        {"raw": {"errors": [{"field": "title", "message": "too long"}]}}]}))
    unknown = error_from_response(_response(500, {"message": "Boom"}))
    assert error_row_text(rejected) == "Invalid. (title: too long)"
    assert error_row_text(unknown) == "Boom — the outcome is unknown: it may or may not have been saved."
