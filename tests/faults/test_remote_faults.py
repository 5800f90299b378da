"""Remote faults during a save: every StackOne failure mode the edit page can meet.

Each case asserts what the recruiter would notice: no server error page, what they typed still
in the form, the right sentence, and the audit row recording the right outcome (``rejected``
when StackOne definitely did not apply the change, ``unknown`` when it may have, no row when
nothing was sent). StackOne is mocked at the HTTP edge with ``responses``; faults it cannot
imitate (a reset in the middle of a body, a refused connection) use a local socket server.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import requests
from django.test import Client

from candidates.models import AuditEntry
from tests.candidates.view_helpers import (
    CANDIDATE_URL,
    EDIT_PATH,
    candidate_json,
    mock_definitions,
    mock_get,
    mock_reads,
    patch_ok,
    post_step,
    text_of,
    unedited_post,
)
from tests.faults.local_server import resetting_server, unused_port
from tests.faults.sandbox_forms import sandbox_edit_path, sandbox_post

UNKNOWN = "StackOne did not confirm the save; it may or may not have been applied."
NOT_SAVED = "Nothing was saved."
TYPED = 'value="Byron"'


def _status(status: int, *, headers: dict[str, str] | None = None, **extra: object) -> Callable:
    def mock(stackone) -> None:
        stackone.patch(CANDIDATE_URL, status=status, headers=headers or {},
                       json={"statusCode": status, "message": "refused by the test", **extra})
    return mock


def _body(body: object) -> Callable:
    def mock(stackone) -> None:
        stackone.patch(CANDIDATE_URL, body=body, status=200, content_type="application/json")
    return mock


def _rate_limited_forever(stackone) -> None:
    for _ in range(4):  # the first try and STACKONE_MAX_RETRIES (3) retries
        _status(429, headers={"Retry-After": "7"})(stackone)


PROVIDER_422 = {"provider_errors": [{
    "status": 422, "url": "https://ats.example/v1/candidates/1",
    "raw": {"errors": [{"field": "last_name", "message": "is on a block list"}]},
}]}


@dataclass(frozen=True)
class Fault:
    patch: Callable
    http_status: int
    outcome: str
    says: str
    patches: int = 1


FAULTS = {
    "timeout": Fault(_body(requests.exceptions.ReadTimeout("read timed out")), 502, "unknown", UNKNOWN),
    "401": Fault(_status(401), 502, "rejected", "StackOne rejected the API key (401)"),
    "403": Fault(_status(403), 502, "rejected", "StackOne refused this request (403)"),
    "404": Fault(_status(404), 404, "rejected", "no longer exists in StackOne (404)"),
    "408 with Retry-After": Fault(_status(408, headers={"Retry-After": "5"}), 502, "unknown", UNKNOWN),
    "409": Fault(_status(409), 502, "rejected", "StackOne reported a conflict (409): refused by the test"),
    "412": Fault(_status(412), 502, "rejected", "This linked account is not active in StackOne (412"),
    "422 with provider errors": Fault(_status(422, **PROVIDER_422), 400, "rejected", "is on a block list"),
    "429 forever": Fault(_rate_limited_forever, 502, "rejected",
                         "rate limiting requests (429); nothing was saved. Try again in 7 seconds.",
                         patches=4),
    "500": Fault(_status(500), 502, "unknown", UNKNOWN),
    "501": Fault(_status(501), 502, "rejected", "does not support this operation (501)"),
    "502": Fault(_status(502), 502, "unknown", UNKNOWN),
    "200 not JSON": Fault(_body("<html>upstream error</html>"), 502, "unknown", UNKNOWN),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_failed_save_keeps_the_input_and_audits_the_outcome(
    editor_client: Client, stackone, name: str
) -> None:
    fault = FAULTS[name]
    mock_definitions(stackone)
    mock_reads(stackone)
    fault.patch(stackone)
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == fault.http_status
    assert fault.says in page
    assert TYPED in page
    assert sum(call.request.method == "PATCH" for call in stackone.calls) == fault.patches
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.request_body) == (fault.outcome, {"last_name": "Byron"})
    assert entry.completed_at is not None
    if fault.outcome == "unknown":
        assert NOT_SAVED not in page
    else:
        assert UNKNOWN not in page


@pytest.mark.parametrize("data", ['{"remote_id": "r-9"}', '{"id": null, "remote_id": "r-9"}'])
def test_a_200_without_data_id_is_saved_under_the_id_in_the_path_and_says_so(
        editor_client: Client, stackone, data: str) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron", name="Ada Byron"))
    _body(f'{{"statusCode": 200, "message": "ok", "data": {data}}}')(stackone)
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.returned_id, entry.returned_remote_id) == ("saved", "c-1", "r-9")
    assert "StackOne did not echo the candidate id" in entry.message
    page = text_of(editor_client.get(EDIT_PATH))
    # The confirmation panel states the ids once: the id the save was sent to, the remote_id returned.
    assert '<code data-testid="saved-id">c-1</code>' in page
    assert '<code data-testid="saved-remote-id">r-9</code>' in page
    assert "StackOne did not echo the candidate id in its answer" in page and UNKNOWN not in page


def test_a_save_whose_answer_has_no_remote_id_shows_a_dash_not_none(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron", name="Ada Byron"))
    _body('{"statusCode": 200, "message": "ok", "data": {"id": "c-1", "remote_id": null}}')(stackone)
    assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 302
    page = text_of(editor_client.get(EDIT_PATH))
    assert '<code data-testid="saved-remote-id">—</code>' in page and "None" not in page


@pytest.mark.parametrize("status", [401, 403, 409, 412, 429, 501])
def test_a_save_refused_for_a_reason_other_than_the_form_says_what_happened(
        editor_client: Client, stackone, status: int) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    for _ in range(4 if status == 429 else 1):  # a 429 is retried 3 times
        _status(status, headers={"Retry-After": "7"} if status == 429 else None)(stackone)
    page = text_of(post_step(editor_client, unedited_post(last_name="Byron")))
    assert "Please correct" not in page and "problem below" not in page
    assert f"({status}" in page and "nothing was saved" in page and TYPED in page


def test_a_provider_error_lands_beside_its_field(editor_client: Client, stackone) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    _status(422, **PROVIDER_422)(stackone)
    page = text_of(post_step(editor_client, unedited_post(last_name="Byron")))
    assert '<p class="field-error" id="id_last_name_error">is on a block list</p>' in page


def test_429_then_success_saves_once_and_records_the_retry(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron", name="Ada Byron"))
    _status(429, headers={"Retry-After": "0"})(stackone)
    patch_ok(stackone, {"last_name": "Byron"})
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    assert response.status_code == 302
    assert sum(call.request.method == "PATCH" for call in stackone.calls) == 2
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.returned_id, entry.returned_remote_id) == ("saved", "c-1", "r-1")
    page = text_of(editor_client.get(EDIT_PATH))  # the read-back is shown, no further GET
    assert "Saved in StackOne" in page and TYPED in page


def test_a_change_someone_else_made_meanwhile_is_a_conflict_not_a_send(
    editor_client: Client, stackone
) -> None:
    mock_get(stackone, candidate_json(last_name="Lovelace-King"))
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 409
    assert "Lovelace-King" in page and TYPED in page  # theirs and mine side by side
    assert not any(call.request.method == "PATCH" for call in stackone.calls)
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.others_changed) == ("conflict", ["last_name"])


@pytest.mark.parametrize("failure", ["timeout", "503"])
def test_when_the_check_before_the_save_fails_nothing_is_sent_and_it_says_so(editor_client: Client, stackone,
                                                                             failure: str) -> None:
    mock_definitions(stackone)
    if failure == "timeout":
        stackone.get(CANDIDATE_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    else:
        for _ in range(4):  # a read is retried on 503
            mock_get(stackone, status=503)
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 502
    assert NOT_SAVED in page and "StackOne did not answer in time or is unavailable" in page
    assert UNKNOWN not in page
    assert TYPED in page
    assert not any(call.request.method == "PATCH" for call in stackone.calls)
    assert not AuditEntry.objects.exists()


def test_a_refused_connection_sends_nothing_and_keeps_the_input(editor_client: Client, settings) -> None:
    settings.STACKONE_BASE_URL = f"http://127.0.0.1:{unused_port()}"
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 502
    assert NOT_SAVED in page and UNKNOWN not in page
    assert TYPED in page
    assert not AuditEntry.objects.exists()


def test_a_refused_connection_on_the_edit_page_shows_a_message(editor_client: Client, settings) -> None:
    settings.STACKONE_BASE_URL = f"http://127.0.0.1:{unused_port()}"
    response = editor_client.get(EDIT_PATH)
    assert response.status_code == 502
    assert "StackOne did not answer in time or is unavailable" in text_of(response)


def test_a_connection_reset_in_the_middle_of_the_answer_is_an_unknown_outcome(
    editor_client: Client, settings
) -> None:
    with resetting_server(candidate_json()) as (base_url, methods_seen):
        settings.STACKONE_BASE_URL = base_url
        response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 502
    assert UNKNOWN in page and TYPED in page
    assert methods_seen.count("PATCH") == 1  # a write whose answer was cut off is never resent
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.request_body) == ("unknown", {"last_name": "Byron"})


def test_429_then_success_over_real_http_records_one_retry(editor_client: Client, sandbox) -> None:
    from sandbox.faults import set_faults, stats

    set_faults(fail_status=429, fail_count=1, fail_methods=["PATCH"], retry_after_seconds=0)
    response = post_step(editor_client, sandbox_post(last_name="Byron"), sandbox_edit_path())
    assert response.status_code == 302
    assert stats()["by_method"]["PATCH"] == 2
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.retries, entry.status_code) == ("saved", 1, 200)
