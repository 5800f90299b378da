"""View tests: Django's test client against StackOne mocked at the HTTP edge (``responses``)."""

from __future__ import annotations

import base64
import html
import re

import pytest
import requests
from django.test import Client
from responses import matchers

from tests.candidates.form_data import add_row
from tests.candidates.view_helpers import (
    ACCOUNT,
    CANDIDATE_URL,
    DEFINITIONS_URL,
    EDIT_PATH,
    LIST_FIELDS,
    candidate_json,
    mock_definitions,
    mock_get,
    mock_reads,
    patch_ok,
    post_step,
    text_of,
    unedited_post,
)
from tests.conftest import BASE_URL, grant

# -- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/accounts/", f"/accounts/{ACCOUNT}/candidates/", EDIT_PATH])
def test_it_requires_sign_in(client: Client, db: None, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_it_refuses_a_save_without_the_edit_role(client: Client, django_user_model, stackone) -> None:
    # An Auditor of the account knows it exists (403, not 404) but edits nothing; no role views a
    # candidate without editing, so the read-only edit page has no user any more.
    auditor = django_user_model.objects.create_user("auditor")
    grant(auditor, "Auditor", ACCOUNT)
    client.force_login(auditor)
    response = post_step(client, unedited_post(last_name="Byron"))
    assert response.status_code == 403
    assert len(stackone.calls) == 0


def test_the_login_page_uses_username_and_password_labels(client: Client, db: None) -> None:
    page = text_of(client.get("/login/"))
    assert '<label for="id_username">Username' in page
    assert '<label for="id_password">Password' in page


# -- accounts and list ----------------------------------------------------------------------


def test_home_goes_to_the_account_picker_without_a_default(editor_client: Client) -> None:
    assert editor_client.get("/")["Location"] == "/accounts/"


def test_home_goes_to_the_default_account(editor_client: Client, settings) -> None:
    settings.STACKONE_ACCOUNT_ID = "acc-default"
    assert editor_client.get("/")["Location"] == "/accounts/acc-default/candidates/"


@pytest.mark.parametrize("envelope", [False, True])
def test_it_lists_linked_accounts_from_either_shape(editor_client: Client, stackone, envelope: bool) -> None:
    accounts = [
        {"id": "acc-2", "provider": "lever", "provider_name": "Lever", "status": "inactive"},
        {"id": "acc-1", "provider": "greenhouse", "provider_name": "Greenhouse", "status": "active",
         "label": "Main ATS"},
    ]
    stackone.get(f"{BASE_URL}/accounts", json={"data": accounts} if envelope else accounts)
    page = text_of(editor_client.get("/accounts/"))
    assert '<a href="/accounts/acc-1/candidates/">Main ATS</a>' in page
    assert "Lever" in page and "inactive" in page
    assert '<a href="/accounts/acc-2/candidates/">' not in page
    assert page.index("Main ATS") < page.index("Lever")
    assert "x-account-id" not in stackone.calls[0].request.headers


def test_it_searches_by_email_and_date_and_links_the_next_page(editor_client: Client, stackone) -> None:
    stackone.get(
        f"{BASE_URL}/unified/ats/candidates",
        json={"next": "cursor-2", "data": [candidate_json()]},
        match=[matchers.query_param_matcher({
            "filter[email]": "ada@example.com", "filter[updated_after]": "2024-01-01T00:00:00.000Z",
            "page_size": "10",
            "fields": LIST_FIELDS})],
    )
    response = editor_client.get(
        f"/accounts/{ACCOUNT}/candidates/",
        {"email": "ada@example.com", "updated_after": "2024-01-01", "page_size": "10"},
    )
    page = text_of(response)
    assert f'href="/accounts/{ACCOUNT}/candidates/c-1/">Ada Lovelace</a>' in page
    assert "cursor=cursor-2" in page and "prev=" in page
    assert "Previous page" not in page


def test_the_previous_link_walks_back_through_the_cursor_trail(editor_client: Client, stackone) -> None:
    stackone.get(f"{BASE_URL}/unified/ats/candidates", json={"next": "cursor-4", "data": [candidate_json()]},
                 match=[matchers.query_param_matcher({"page_size": "25", "next": "cursor-3",
                                                      "fields": LIST_FIELDS})])
    page = text_of(editor_client.get(f"/accounts/{ACCOUNT}/candidates/?cursor=cursor-3&prev=&prev=cursor-2"))
    assert 'rel="prev" href="?cursor=cursor-2&amp;prev="' in page
    assert "Page 3" in page


def test_the_list_asks_stackone_only_for_the_columns_it_shows(editor_client: Client, stackone) -> None:
    # The first visit asks whether the account is active (only then does its directory's first sync start).
    stackone.get(f"{BASE_URL}/accounts/{ACCOUNT}",
                 json={"id": ACCOUNT, "status": "active", "provider": "greenhouse"})
    stackone.get(f"{BASE_URL}/unified/ats/candidates", json={"next": None, "data": [
        {"id": "c-1", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
         "title": "Countess", "company": "Analytical Engines Ltd",
         "updated_at": "2024-05-01T10:00:00.000Z"}]})
    page = text_of(editor_client.get(f"/accounts/{ACCOUNT}/candidates/"))
    assert stackone.calls[1].request.url == (
        f"{BASE_URL}/unified/ats/candidates?page_size=25"
        "&fields=id%2Cname%2Cfirst_name%2Clast_name%2Cemail%2Ctitle%2Ccompany%2Cupdated_at")
    # The time reads as a date (the browser turns it local); the exact UTC value is on hover.
    for shown in ("Ada Lovelace", "ada@example.com", "Countess", "Analytical Engines Ltd",
                  "1 May 2024, 10:00 UTC", 'title="2024-05-01 10:00:00 UTC"'):
        assert shown in page
    assert "2024-05-01T10:00:00.000Z" not in page


def test_loading_the_list_again_does_not_rewrite_the_session(editor_client: Client, stackone) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        stackone.get(f"{BASE_URL}/unified/ats/candidates", json={"next": None, "data": [candidate_json()]})
    first = editor_client.get(f"/accounts/{ACCOUNT}/candidates/")
    assert editor_client.session["account_id"] == ACCOUNT and "sessionid" in first.cookies
    with CaptureQueriesContext(connection) as queries:
        again = editor_client.get(f"/accounts/{ACCOUNT}/candidates/")
    assert again.status_code == 200 and "sessionid" not in again.cookies
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []
    other = editor_client.get("/accounts/acc-2/candidates/")  # another account: remembered
    assert "sessionid" in other.cookies and editor_client.session["account_id"] == "acc-2"


def test_a_failing_list_shows_a_message_not_a_server_error(editor_client: Client, stackone) -> None:
    for _ in range(4):  # the first try and three retries
        stackone.get(f"{BASE_URL}/unified/ats/candidates", status=503,
                     json={"statusCode": 503, "message": "down"})
    response = editor_client.get(f"/accounts/{ACCOUNT}/candidates/")
    assert response.status_code == 502
    assert "StackOne did not answer in time or is unavailable" in text_of(response)


# -- edit page --------------------------------------------------------------------------------


def test_the_edit_page_prefills_every_current_value(editor_client: Client, stackone) -> None:
    mock_get(stackone)
    mock_definitions(stackone)
    page = text_of(editor_client.get(EDIT_PATH))
    for expected in ['value="Ada"', 'value="Lovelace"', 'value="ada@example.com"', 'value="+447700900123"',
                     'value="https://www.linkedin.com/in/ada"', 'value="Analytical Engines Ltd"',
                     'value="2021-01-01T01:01:01"', "app-1</textarea>", 'value="cf_notice"', 'value="30"',
                     "remote-app-1", "Python", "r-1"]:
        assert expected in page, expected
    assert '"ref": "REF-1"' in html.unescape(page)
    for label in ["First name", "Hired at", "Application IDs", "Unified custom fields", "Passthrough",
                  "Remote value ID", "Phone numbers", "Social links", "Custom fields"]:
        assert label in page, label


def test_it_patches_exactly_the_changed_field_and_shows_the_returned_ids(
    editor_client: Client, stackone
) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    assert response.status_code == 302 and response["Location"] == EDIT_PATH

    mock_definitions(stackone)
    page = text_of(editor_client.get(EDIT_PATH))  # shows the read-back: no further GET
    assert "Saved in StackOne" in page
    assert '<code data-testid="saved-id">c-1</code>' in page
    assert '<code data-testid="saved-remote-id">r-1</code>' in page
    assert "Record updated successfully." in page
    # Readable, in UTC until the page's script shows it in the reader's time zone; exact on hover.
    assert ('<time datetime="2026-11-28T10:00:00Z" title="2026-11-28 10:00:00 UTC" data-local>'
            "28 Nov 2026, 10:00 UTC</time>") in page
    assert 'value="Byron"' in page


def test_it_sends_null_for_an_emptied_field_and_whole_lists(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json())
    patch_ok(stackone, {
        "title": None,
        "emails": [{"type": "personal", "value": "ada@example.com"},
                   {"type": "work", "value": "ada@work.example"}],
        "custom_fields": [{"id": "cf_notice", "remote_id": None, "name": "Notice period", "value": 45,
                           "value_id": None, "remote_value_id": None}],
    })
    data = unedited_post(title="")
    add_row(data, "emails", {"type": "work", "value": "ada@work.example"})
    data["custom_fields-0-value"] = "45"
    assert post_step(editor_client, data).status_code == 302


def test_it_sends_nothing_when_nothing_changed(editor_client: Client, stackone) -> None:
    mock_definitions(stackone)  # read (and cached) to type custom field values
    response = post_step(editor_client, unedited_post(), follow=False)
    assert response.status_code == 302
    # Only the account's metadata was read (definitions, meta); no candidate read, no PATCH.
    assert [call.request.url.split("?")[0] for call in stackone.calls] == [
        DEFINITIONS_URL, f"{BASE_URL}/accounts/{ACCOUNT}/meta"]
    mock_get(stackone)
    assert "No changes to save." in text_of(editor_client.get(EDIT_PATH))


def test_invalid_input_is_shown_beside_the_field_and_nothing_is_sent(editor_client: Client, stackone) -> None:
    mock_definitions(stackone)
    data = unedited_post(first_name="Augusta", passthrough="{not json")
    add_row(data, "emails", {"value": "not-an-email"})
    response = post_step(editor_client, data)
    page = text_of(response)
    assert response.status_code == 400
    assert "Passthrough is not valid JSON" in page
    assert "Enter an email address like name@example.com" in page
    assert 'value="Augusta"' in page and 'value="not-an-email"' in page and "{not json</textarea>" in page
    assert "<p><strong>Nothing was saved.</strong> Please correct the 2 problems below.</p>" in page
    assert ('<li><a href="#id_emails-1-value">Emails, row 2, Value: Enter an email address like '
            'name@example.com.</a></li>') in page


def test_a_provider_validation_error_lands_on_its_field_and_keeps_input(
    editor_client: Client, stackone
) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, status=400, json={
        "statusCode": 400, "message": "Invalid request.", "timestamp": "2026-11-28T10:00:00.000Z",
        "provider_errors": [{"status": 422, "url": "https://ats.example/v1/c/1",
                             "raw": {"errors": [{"field": "email", "message": "is already taken"}]}}]})
    response = post_step(editor_client, unedited_post(email="taken@example.com"))
    page = text_of(response)
    assert response.status_code == 400
    assert re.search(r'value="taken@example.com"'
                     r'.*?<p class="field-error" id="id_email_error">is already taken</p>', page)
    assert "StackOne: Invalid request." in page


@pytest.mark.parametrize(("status", "expected"), [
    (401, "StackOne rejected the API key (401)"),
    (403, "StackOne refused this request (403)"),
    (412, "This linked account is not active in StackOne (412"),
    (409, "StackOne reported a conflict (409)"),
    (501, "does not support this operation (501)"),
])
def test_a_definite_rejection_keeps_the_input_and_says_why(editor_client: Client, stackone, status: int,
                                                           expected: str) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, status=status, json={"statusCode": status, "message": "nope"})
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 502
    assert expected in page and 'value="Byron"' in page


@pytest.mark.parametrize("failure", [500, 502, 503, 408, "timeout", "connection", "not-json"])
def test_an_unconfirmed_save_says_the_outcome_is_unknown(editor_client: Client, stackone, failure) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    if failure == "timeout":
        stackone.patch(CANDIDATE_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    elif failure == "connection":
        stackone.patch(CANDIDATE_URL, body=requests.exceptions.ConnectionError("refused"))
    elif failure == "not-json":
        stackone.patch(CANDIDATE_URL, body="<html>gateway</html>", status=200)
    else:
        stackone.patch(CANDIDATE_URL, status=failure, json={"statusCode": failure, "message": "boom"})
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 502
    assert "StackOne did not confirm the save; it may or may not have been applied." in page
    assert f'<a href="{EDIT_PATH}">Reload the candidate</a>' in page
    assert 'value="Byron"' in page
    assert sum(call.request.method == "PATCH" for call in stackone.calls) == 1


def test_a_rate_limited_save_is_retried_once_the_limit_lifts(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    stackone.patch(CANDIDATE_URL, status=429, headers={"Retry-After": "0"},
                   json={"statusCode": 429, "message": "slow"})
    patch_ok(stackone, {"last_name": "Byron"})
    assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 302


def test_a_save_still_rate_limited_says_nothing_was_saved(editor_client: Client, stackone) -> None:
    mock_definitions(stackone)
    mock_reads(stackone)
    for _ in range(4):
        stackone.patch(CANDIDATE_URL, status=429, headers={"Retry-After": "7"},
                       json={"statusCode": 429, "message": "x"})
    page = text_of(post_step(editor_client, unedited_post(last_name="Byron")))
    assert "rate limiting requests (429); nothing was saved. Try again in 7 seconds." in page


def test_a_missing_candidate_offers_the_way_back(editor_client: Client, stackone) -> None:
    mock_get(stackone, status=404)
    response = editor_client.get(EDIT_PATH)
    assert response.status_code == 404
    page = text_of(response)
    assert "Candidate not found" in page
    assert f'<a href="/accounts/{ACCOUNT}/candidates/">Back to the candidate list</a>' in page


def test_a_tampered_snapshot_sends_nothing(editor_client: Client, stackone) -> None:
    data = unedited_post(last_name="Byron")
    data["snapshot"] = data["snapshot"][:-3] + "AAA"
    response = post_step(editor_client, data)
    assert response.status_code == 302 and len(stackone.calls) == 0


def test_a_hostile_candidate_id_stays_one_path_segment(editor_client: Client, stackone) -> None:
    stackone.get(f"{BASE_URL}/unified/ats/candidates/a%2F..%2Fb%3Fx%3D1%23y",
                 json={"data": candidate_json(id="a/../b?x=1#y")},
                 match=[matchers.query_param_matcher({"include": "custom_fields"})])
    mock_definitions(stackone)
    response = editor_client.get(f"/accounts/{ACCOUNT}/candidates/a%2F..%2Fb%3Fx%3D1%23y/")
    assert response.status_code == 200
    assert stackone.calls[0].request.url == (
        f"{BASE_URL}/unified/ats/candidates/a%2F..%2Fb%3Fx%3D1%23y?include=custom_fields")


def test_an_account_id_with_a_control_character_is_refused_before_any_request(
    editor_client: Client, stackone
) -> None:
    response = editor_client.get("/accounts/acc%0Aevil/candidates/")
    assert response.status_code == 404
    assert "The linked account id is" in text_of(response)
    assert len(stackone.calls) == 0


def test_the_api_key_never_reaches_the_page(editor_client: Client, stackone, settings) -> None:
    settings.SANDBOX_MODE = False
    settings.STACKONE_API_KEY = "sk-live-RECOGNISABLE-KEY-123"
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, status=401, json={"statusCode": 401, "message": "Unauthorized"})
    mock_definitions(stackone)
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    assert "RECOGNISABLE" not in response.content.decode()
    # The key was in play: every request StackOne saw carried it (Basic auth, key as username).
    token = base64.b64encode(b"sk-live-RECOGNISABLE-KEY-123:").decode()
    assert stackone.calls and {call.request.headers["Authorization"] for call in stackone.calls} == {
        f"Basic {token}"}


@pytest.mark.parametrize(("status", "says"), [
    (409, "StackOne reported a conflict (409): x."),
    (429, "StackOne is rate limiting requests (429). Try again in 7 seconds."),
    (501, "The ATS behind this account does not support this operation (501)."),
])
def test_a_read_only_page_that_fails_never_says_nothing_was_saved(
        editor_client: Client, stackone, status: int, says: str) -> None:
    for _ in range(4 if status == 429 else 1):  # a read is retried on 429
        stackone.get(CANDIDATE_URL, status=status, headers={"Retry-After": "7"},
                     json={"statusCode": status, "message": "x"})
    response = editor_client.get(EDIT_PATH)
    page = text_of(response)
    assert response.status_code == 502
    assert says in page
    assert "saved" not in page.lower()


def test_each_step_of_the_edit_flow_has_its_own_url_and_the_review_page_posts_there(
        editor_client: Client, stackone) -> None:
    # Posted to the edit page itself, a form is the edit form's Save: with the review step on
    # (the default) it only shows the review, whatever else it carries.
    review = editor_client.post(EDIT_PATH, unedited_post(last_name="Byron"))
    page = text_of(review)
    assert review.status_code == 200 and "Review changes to" in page
    assert f'<form method="post" action="{EDIT_PATH}confirm/" class="review-actions" data-review>' in page
    assert f'<button type="submit" formaction="{EDIT_PATH}back/">Back to edit</button>' in page
    # Only the account's metadata (custom field definitions, meta) may be read: no candidate call.
    assert not [call for call in stackone.calls if "/unified/ats/candidates/" in call.request.url]
    for step in ("confirm/", "back/", "resolve/"):
        assert editor_client.get(f"{EDIT_PATH}{step}").status_code == 405
