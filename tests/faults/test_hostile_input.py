"""Hostile and malformed input on the edit page: oversized values and bodies, deep JSON,
duplicate rows, tampered management forms, a tampered conflict fingerprint, a forged one-time
token and ids with URL-special and control characters.

Each case asserts what a user would notice: no server error, a clear message, what they typed
still on the page (where the page is shown again), nothing sent to StackOne and no audit row.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from django.core import signing
from django.test import Client

from candidates.models import AuditEntry
from tests.candidates.form_data import add_row
from tests.candidates.view_helpers import (
    ACCOUNT,
    BASE_URL,
    EDIT_PATH,
    candidate_json,
    mock_definitions,
    post_step,
    text_of,
    unedited_post,
)

TAMPERED = "The form could not be verified (it was altered or is too old)."


def assert_nothing_sent(stackone) -> None:
    assert not any(call.request.method == "PATCH" for call in stackone.calls)
    assert not AuditEntry.objects.exists()


def refused(client: Client, stackone, data: dict) -> str:
    """POST ``data`` expecting the form to be shown again with errors; return the page text."""
    mock_definitions(stackone)
    response = post_step(client, data)
    assert response.status_code == 400
    page = text_of(response)
    assert "Nothing was saved." in page
    assert_nothing_sent(stackone)
    return page


# -- oversized values and bodies ----------------------------------------------------------------


def test_a_one_megabyte_passthrough_is_refused_and_kept(editor_client: Client, stackone) -> None:
    huge = '{"blob": "' + "x" * 1_000_000 + '"}'
    page = refused(editor_client, stackone, unedited_post(passthrough=huge, last_name="Byron"))
    assert "Passthrough is too long (at most 100,000 characters)." in page
    assert huge in html.unescape(page) and 'value="Byron"' in page


@pytest.mark.parametrize(
    ("key", "limit"), [("last_name", 255), ("email", 320), ("custom_fields-0-value", 10_000)]
)
def test_an_oversized_field_is_refused_beside_it_and_kept(editor_client: Client, stackone, key: str,
                                                          limit: int) -> None:
    typed = "B" * (limit + 1)
    page = refused(editor_client, stackone, unedited_post(**{key: typed}))
    assert re.search(rf'id="id_{key}_error">Ensure this value has at most {limit} characters '
                     rf'\(it has {limit + 1}\)\.', page)
    assert f'value="{typed}"' in page


def test_a_body_over_the_upload_limit_gets_a_400_not_a_server_error(
    editor_client: Client, stackone, settings
) -> None:
    data = unedited_post(passthrough='{"blob": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}')
    response = post_step(editor_client, data)
    assert response.status_code == 400  # Django refuses to read it (RequestDataTooBig)
    page = text_of(response)
    assert "Nothing was saved" in page
    assert "What you sent is larger than this app accepts (2.5 MB), so it was not read." in page
    assert "Use your browser's Back button: the form is still as you left it." in page
    assert_nothing_sent(stackone)


def test_too_many_fields_gets_a_400_not_a_server_error(editor_client: Client, stackone, settings) -> None:
    data = unedited_post() | {f"junk-{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = post_step(editor_client, data)
    assert response.status_code == 400
    assert (f"What you sent has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields, "
            "more than this app accepts") in text_of(response)
    assert_nothing_sent(stackone)


# -- deep JSON --------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@pytest.mark.parametrize("depth", [1_000, 12_000])  # 12,000 overflows json's recursion, under the size cap
@pytest.mark.parametrize(("key", "label"), [("passthrough", "Passthrough"),
                                            ("unified_custom_fields", "Unified custom fields")])
def test_json_nested_too_deep_is_refused_and_kept(editor_client: Client, stackone, key: str, label: str,
                                                  depth: int) -> None:
    typed = _nested(depth)
    page = refused(editor_client, stackone, unedited_post(**{key: typed}))
    assert f"{label} is nested too deeply (at most 100 levels of lists and objects)." in page
    assert typed in html.unescape(page)


def test_a_custom_field_json_value_nested_1000_deep_is_refused_and_kept(
    editor_client: Client, stackone
) -> None:
    typed = "[" * 1_000 + "]" * 1_000
    page = refused(editor_client, stackone, unedited_post(**{"custom_fields-0-value": typed,
                                                            "custom_fields-0-value_kind": "json"}))
    assert f'value="{typed}"' in page
    assert re.search(r'id="id_custom_fields-0-value_error">[^<]*nested too deeply', page)


# -- numbers that are not JSON (NaN, Infinity, 1e999) -------------------------------------------


@pytest.mark.parametrize(("key", "label"), [("passthrough", "Passthrough"),
                                            ("unified_custom_fields", "Unified custom fields")])
@pytest.mark.parametrize("typed", ['{"note": NaN}', '{"note": Infinity}', '{"note": 1e999}'])
def test_nan_and_infinity_in_json_are_refused_beside_the_field_and_kept(
        editor_client: Client, stackone, key: str, label: str, typed: str) -> None:
    page = refused(editor_client, stackone, unedited_post(**{key: typed}))
    assert re.search(rf'id="id_{key}_error">{label} is not valid JSON: [^<]*(not a JSON number|too large)',
                     page)
    assert typed in html.unescape(page)


def test_nan_in_a_json_custom_field_value_is_refused_and_kept(editor_client: Client, stackone) -> None:
    typed = '{"score": NaN}'
    page = refused(editor_client, stackone, unedited_post(**{"custom_fields-0-value": typed,
                                                            "custom_fields-0-value_kind": "json"}))
    assert re.search(r'id="id_custom_fields-0-value_error">Not valid JSON: NaN is not a JSON number', page)
    assert typed in html.unescape(page)


# -- duplicate rows and tampered management forms ---------------------------------------------


def test_duplicate_email_rows_are_flagged_not_sent(editor_client: Client, stackone) -> None:
    data = unedited_post()
    add_row(data, "emails", {"type": "personal", "value": "ADA@example.com"})
    page = refused(editor_client, stackone, data)
    assert "ADA@example.com" in page and "ada@example.com" in page
    assert re.search(r'id="id_emails-1-value_error">[^<]*(duplicate|already|twice)', page, re.IGNORECASE)


@pytest.mark.parametrize("formset", ["emails", "phone_numbers", "social_links", "custom_fields"])
@pytest.mark.parametrize("total", ["1000000", "-1", "abc", "", None])
def test_a_tampered_management_form_is_refused_and_keeps_the_input(editor_client: Client, stackone,
                                                                    formset: str, total: str | None) -> None:
    data = unedited_post(last_name="Byron")
    if total is None:
        del data[f"{formset}-TOTAL_FORMS"], data[f"{formset}-INITIAL_FORMS"]
    else:
        data[f"{formset}-TOTAL_FORMS"] = total
    page = refused(editor_client, stackone, data)
    assert 'value="Byron"' in page


@pytest.mark.parametrize("initial", ["1000000", "-5", "x"])
def test_a_tampered_initial_count_is_refused(editor_client: Client, stackone, initial: str) -> None:
    refused(editor_client, stackone, unedited_post(**{"emails-INITIAL_FORMS": initial, "last_name": "Byron"}))


# -- tampered fingerprint and forged token ------------------------------------------------------


def _flip(token: str) -> str:
    return token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]


@pytest.mark.parametrize("tamper", [
    lambda data: data.update(snapshot=_flip(data["snapshot"])),
    lambda data: data.update(snapshot=""),
    lambda data: data.pop("snapshot"),
    lambda data: data.update(
        snapshot=signing.dumps({"account": ACCOUNT, "candidate": candidate_json()}, salt="x")
    ),
    lambda data: data.update(form_token="forged"),
    lambda data: data.update(form_token=_flip(data["form_token"])),
    lambda data: data.pop("form_token"),
    lambda data: data.update(form_token=signing.dumps("nonce", salt="candidates.form-token.v0")),
], ids=["snapshot-flipped", "snapshot-empty", "snapshot-missing", "snapshot-wrong-salt",
        "token-forged", "token-flipped", "token-missing", "token-wrong-salt"])
def test_a_tampered_form_is_refused_before_anything_is_sent(editor_client: Client, stackone, tamper) -> None:
    data = unedited_post(last_name="Byron")
    tamper(data)
    response = post_step(editor_client, data)
    assert response.status_code == 302 and response["Location"] == EDIT_PATH
    assert len(stackone.calls) == 0
    assert not AuditEntry.objects.exists()
    stackone.get(f"{BASE_URL}/unified/ats/candidates/c-1", json={"data": candidate_json()})
    mock_definitions(stackone)
    assert TAMPERED in text_of(editor_client.get(EDIT_PATH))


@pytest.mark.parametrize("conflict_snapshot", ["", "garbage", "x" * 10_000])
def test_a_tampered_conflict_fingerprint_is_refused(
    editor_client: Client, stackone, conflict_snapshot: str
) -> None:
    data = unedited_post(last_name="Byron", conflict_snapshot=conflict_snapshot)
    data["choice-last_name"] = "mine"
    response = post_step(editor_client, data, step="resolve")
    assert response.status_code == 302 and response["Location"] == EDIT_PATH
    assert not [call for call in stackone.calls if "/unified/ats/candidates/" in call.request.url]
    assert not AuditEntry.objects.exists()


def test_a_conflict_fingerprint_of_another_candidate_is_refused(editor_client: Client, stackone) -> None:
    from candidates.editor.snapshot import snapshot_dumps
    from candidates.types import Candidate

    other = snapshot_dumps(Candidate.from_api(candidate_json(id="c-2")), account_id=ACCOUNT)
    response = post_step(editor_client, unedited_post(conflict_snapshot=other), step="resolve")
    assert response.status_code == 302
    assert not [call for call in stackone.calls if "/unified/ats/candidates/" in call.request.url]


# -- ids with URL-special and control characters ----------------------------------------------

# A newline cannot be in a candidate id of this app's URLs (Django's <path:> stops at it): see below.
HOSTILE_IDS = ["a/b", "a?b=1", "a#b", "a%2Fb", "50%", "a b", "a\rb", "a\x00b", "a\tb", "a\x7fb", "ü-✓"]


@pytest.mark.parametrize("candidate_id", HOSTILE_IDS)
def test_a_hostile_candidate_id_reaches_stackone_as_one_quoted_segment(editor_client: Client, stackone,
                                                                        candidate_id: str) -> None:
    url = f"{BASE_URL}/unified/ats/candidates/{quote(candidate_id, safe='')}"
    stackone.get(url, status=404, json={"statusCode": 404, "message": "Not found"})
    response = editor_client.get(f"/accounts/{ACCOUNT}/candidates/{quote(candidate_id, safe='')}/")
    assert response.status_code == 404
    assert "Candidate not found" in text_of(response)
    assert stackone.calls[0].request.url == url + "?include=custom_fields"


@pytest.mark.parametrize("candidate_id", HOSTILE_IDS)
def test_a_save_to_a_hostile_candidate_id_keeps_the_input(
    editor_client: Client, stackone, candidate_id: str
) -> None:
    from candidates.editor.candidate_editor import CandidateEditor
    from candidates.editor.snapshot import snapshot_dumps
    from candidates.types import Candidate
    from tests.candidates.form_data import editor_post_data

    candidate = Candidate.from_api(candidate_json(id=candidate_id))
    management = {k: v for k, v in editor_post_data(CandidateEditor(candidate)).items()
                  if k.endswith("FORMS")}
    data = unedited_post(last_name="Byron") | management
    data["snapshot"] = snapshot_dumps(candidate, account_id=ACCOUNT)
    url = f"{BASE_URL}/unified/ats/candidates/{quote(candidate_id, safe='')}"
    stackone.get(url, status=404, json={"statusCode": 404, "message": "Not found"})  # deleted meanwhile
    mock_definitions(stackone)
    path = f"/accounts/{ACCOUNT}/candidates/{quote(candidate_id, safe='')}/"
    response = post_step(editor_client, data, path)
    page = text_of(response)
    assert response.status_code == 404
    assert "This candidate no longer exists in StackOne (404); nothing was saved." in page
    assert 'value="Byron"' in page
    assert_nothing_sent(stackone)


@pytest.mark.parametrize(
    "account_id", ["acc%0A1", "acc%0D%0AX-Evil:%201", "acc%001", "acc%7F", "%20acc", "%C3%BC"]
)
@pytest.mark.parametrize("page", ["candidates/", "candidates/c-1/"])
def test_a_hostile_account_id_is_refused_before_any_request(editor_client: Client, stackone, account_id: str,
                                                            page: str) -> None:
    response = editor_client.get(f"/accounts/{account_id}/{page}")
    assert response.status_code == 404
    assert "The linked account id is empty, padded with spaces or contains characters" in text_of(response)
    assert len(stackone.calls) == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_candidate_id_with_a_newline_is_a_plain_not_found(
    editor_client: Client, stackone, method: str
) -> None:
    response = getattr(editor_client, method)(f"/accounts/{ACCOUNT}/candidates/a%0Ab/", unedited_post())
    assert response.status_code == 404
    assert_nothing_sent(stackone)


@pytest.mark.parametrize("account_id", ["acc%0A1", "acc%001", "%20acc"])
def test_a_save_with_a_hostile_account_id_sends_nothing(
    editor_client: Client, stackone, account_id: str
) -> None:
    response = post_step(editor_client, unedited_post(last_name="Byron"),
                         f"/accounts/{account_id}/candidates/c-1/")
    assert response.status_code < 500
    assert_nothing_sent(stackone)
