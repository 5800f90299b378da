"""Safe edits: review before save, conflict detection, read-back check, audit log, roles,
double submission. StackOne is mocked at the HTTP edge with ``responses``."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from responses import matchers

from candidates.models import AccessGrant, AuditEntry, UserPreference
from tests.candidates.form_data import add_row
from tests.candidates.view_helpers import (
    ACCOUNT,
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

HISTORY_PATH = f"/accounts/{ACCOUNT}/candidates/c-1/history/"


class _Inputs(HTMLParser):
    """Collects a page's form inputs (hidden ones included) as POST data."""

    def __init__(self) -> None:
        super().__init__()
        self.data: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name") and found.get("type") in ("hidden", "radio"):
            if found.get("type") == "radio" and "checked" not in found:
                return
            self.data.append((found["name"] or "", found.get("value") or ""))


def page_inputs(response, **overrides: str) -> dict[str, Any]:
    parser = _Inputs()
    parser.feed(response.content.decode())
    data: dict[str, Any] = {}
    for key, value in parser.data:
        data.setdefault(key, []).append(value)
    data.update({key: [value] for key, value in overrides.items()})
    return data


def patches(stackone) -> list:
    return [call for call in stackone.calls if call.request.method == "PATCH"]


# -- review step ------------------------------------------------------------------------------


def test_save_first_shows_the_review_page_and_sends_nothing(editor_client: Client, stackone) -> None:
    data = unedited_post(last_name="Byron", title="")
    add_row(data, "emails", {"type": "work", "value": "ada@work.example"})
    mock_definitions(stackone)  # read (and cached) to type custom field values
    response = post_step(editor_client, data, step="save")
    page = text_of(response)
    assert response.status_code == 200
    # The account's definitions and meta only: nothing sent.
    assert [call.request.method for call in stackone.calls] == ["GET", "GET"]
    assert not any(call.request.url.startswith(CANDIDATE_URL) for call in stackone.calls)
    assert "Review changes to Ada Lovelace" in page
    assert re.search(r'data-field="last_name">.*?<del class="old-value">Lovelace</del>'
                     r'.*?<ins class="new-value">Byron</ins>', page)
    assert re.search(r'data-field="title">.*?Mathematician.*?will be cleared', page)
    assert re.search(r'data-field="emails">.*?The whole list is replaced\.'
                     r'.*?unchanged</span> ada@example.com \(personal\)'
                     r'.*?added</span> <ins>ada@work.example \(work\)</ins>', page)
    assert "<details class=\"request-body\">" in page  # collapsed by default
    assert "&quot;title&quot;: null" in page and "&quot;last_name&quot;: &quot;Byron&quot;" in page


def test_confirm_on_the_review_page_sends_the_reviewed_body(editor_client: Client, stackone) -> None:
    review = post_step(editor_client, unedited_post(last_name="Byron", title=""), step="save")
    mock_reads(stackone, after=candidate_json(last_name="Byron", title=None))
    patch_ok(stackone, {"last_name": "Byron", "title": None})
    response = post_step(editor_client, page_inputs(review), step="confirm")
    assert response.status_code == 302
    assert len(patches(stackone)) == 1


def test_back_to_edit_keeps_everything_typed(editor_client: Client, stackone) -> None:
    review = post_step(editor_client, unedited_post(last_name="Byron", passthrough='{"a": 1}'), step="save")
    mock_definitions(stackone)
    page = text_of(post_step(editor_client, page_inputs(review), step="edit"))
    assert 'value="Byron"' in page and '{"a": 1}</textarea>' in html.unescape(page)
    assert "Nothing was saved" not in page
    assert len(patches(stackone)) == 0


def test_a_user_who_turns_review_off_saves_directly(
    editor_client: Client, editor_user: User, stackone
) -> None:
    response = editor_client.post("/preferences/review/", {"review_before_save": "off", "next": EDIT_PATH})
    assert response["Location"] == EDIT_PATH
    assert UserPreference.objects.get(user=editor_user).review_before_save is False
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    assert post_step(editor_client, unedited_post(last_name="Byron"), step="save").status_code == 302


def test_the_preference_never_redirects_off_site(editor_client: Client) -> None:
    response = editor_client.post("/preferences/review/", {"review_before_save": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


# -- conflicts --------------------------------------------------------------------------------


def test_a_concurrent_change_in_another_field_is_kept_and_reported(editor_client: Client, stackone) -> None:
    mock_reads(stackone, before=candidate_json(title="Countess"),
               after=candidate_json(title="Countess", last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 302
    mock_definitions(stackone)
    page = text_of(editor_client.get(EDIT_PATH))
    assert ("Meanwhile someone else changed: Title. Their changes were kept; only your fields were sent."
            in page)
    assert 'value="Countess"' in page
    entry = AuditEntry.objects.get()
    assert entry.outcome == "saved" and entry.others_changed == ["title"]


def test_a_concurrent_change_in_the_same_field_blocks_and_offers_the_three_values(
    editor_client: Client, stackone
) -> None:
    mock_reads(stackone, before=candidate_json(last_name="King"))
    response = post_step(editor_client, unedited_post(last_name="Byron"))
    page = text_of(response)
    assert response.status_code == 409
    assert len(patches(stackone)) == 0
    assert re.search(r"<legend>Last name</legend>.*?When you loaded it</dt><dd>Lovelace</dd>.*?"
                     r"Now in StackOne</dt><dd>King</dd>.*?Yours</dt><dd>Byron</dd>", page)
    entry = AuditEntry.objects.get()
    assert entry.outcome == "conflict" and entry.others_changed == ["last_name"]
    assert entry.changes == [{"field": "last_name", "old": "Lovelace", "new": "Byron"}]


@pytest.mark.parametrize(("pick", "expected_body"), [
    ("mine", {"last_name": "Byron", "title": "Engineer"}),
    ("theirs", {"title": "Engineer"}),
])
def test_resolving_a_conflict_reviews_again_against_stackones_values(
    editor_client: Client, stackone, pick: str, expected_body: dict
) -> None:
    mock_reads(stackone, before=candidate_json(last_name="King"))
    conflict = post_step(editor_client, unedited_post(last_name="Byron", title="Engineer"))
    review = post_step(editor_client, page_inputs(conflict, choose_last_name=pick), step="resolve")
    page = text_of(review)
    assert review.status_code == 200 and "Review changes" in page
    if pick == "mine":
        assert re.search(r'data-field="last_name">.*?<del class="old-value">King</del>.*?Byron', page)
    else:
        assert 'data-field="last_name"' not in page
    mock_reads(stackone, before=candidate_json(last_name="King"),
               after=candidate_json(last_name=expected_body.get("last_name", "King"), title="Engineer"))
    patch_ok(stackone, expected_body)
    assert post_step(editor_client, page_inputs(review), step="confirm").status_code == 302


# -- read-back and audit ------------------------------------------------------------------------


def test_a_field_the_ats_ignored_is_a_warning_and_recorded(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron"))  # title not applied
    patch_ok(stackone, {"last_name": "Byron", "title": "Engineer"})
    post_step(editor_client, unedited_post(last_name="Byron", title="Engineer"))
    mock_definitions(stackone)
    page = text_of(editor_client.get(EDIT_PATH))
    assert "the ATS does not hold the values sent for: <strong>Title</strong>." in page
    # The warning is a panel of its own, after the (green) confirmation, not inside it.
    confirmation = page.index('<section class="confirmation"')
    assert page.index("</section>", confirmation) < page.index('<section class="warning-panel"')
    entry = AuditEntry.objects.get()
    assert entry.outcome == "saved_with_warnings" and entry.warnings == ["title"]


def test_a_saved_row_records_who_what_and_what_stackone_returned(
    editor_client: Client, editor_user: User, stackone
) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron", title=None))
    patch_ok(stackone, {"last_name": "Byron", "title": None})
    post_step(editor_client, unedited_post(last_name="Byron", title=""))
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.username, entry.account_id, entry.candidate_id) == (
        editor_user, "recruiter", ACCOUNT, "c-1"
    )
    assert (entry.returned_id, entry.returned_remote_id, entry.outcome, entry.status_code) == (
        "c-1", "r-1", "saved", 200
    )
    assert entry.message == "Record updated successfully."
    assert entry.changes == [{"field": "last_name", "old": "Lovelace", "new": "Byron"},
                             {"field": "title", "old": "Mathematician", "new": None}]
    assert entry.request_body == {"last_name": "Byron", "title": None}
    assert entry.completed_at is not None and entry.duration_ms is not None and entry.retries == 0


def test_a_rejected_save_records_status_and_message(editor_client: Client, stackone) -> None:
    mock_reads(stackone)
    mock_definitions(stackone)
    stackone.patch(CANDIDATE_URL, status=422, json={"statusCode": 422, "message": "Validation error."})
    post_step(editor_client, unedited_post(last_name="Byron"))
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.status_code, entry.message) == ("rejected", 422, "Validation error.")


def test_a_rate_limited_save_records_the_retries(editor_client: Client, stackone) -> None:
    mock_reads(stackone)
    mock_definitions(stackone)
    for _ in range(4):
        stackone.patch(CANDIDATE_URL, status=429, headers={"Retry-After": "0"},
                       json={"statusCode": 429, "message": "x"})
    post_step(editor_client, unedited_post(last_name="Byron"))
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.status_code) == ("rejected", 429)


def test_a_5xx_save_is_recorded_as_unknown(editor_client: Client, stackone) -> None:
    mock_reads(stackone)
    mock_definitions(stackone)
    stackone.patch(CANDIDATE_URL, status=500, json={"statusCode": 500, "message": "Internal"})
    post_step(editor_client, unedited_post(last_name="Byron"))
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.status_code) == ("unknown", 500)


def test_a_crash_between_row_written_and_response_leaves_unknown(editor_client: Client, stackone) -> None:
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, body=RuntimeError("worker killed mid-request"))
    with pytest.raises(RuntimeError):
        post_step(editor_client, unedited_post(last_name="Byron"))
    entry = AuditEntry.objects.get()
    assert entry.outcome == "unknown" and entry.completed_at is None
    assert entry.request_body == {"last_name": "Byron"}


def _crashed_save(editor_client: Client, stackone, data: dict) -> AuditEntry:
    mock_reads(stackone)
    stackone.patch(CANDIDATE_URL, body=RuntimeError("worker killed mid-request"))
    with pytest.raises(RuntimeError):
        post_step(editor_client, data)
    return AuditEntry.objects.get()


def test_resubmitting_within_the_clients_total_timeout_says_the_save_is_in_progress(
        editor_client: Client, stackone, settings) -> None:
    settings.STACKONE_TIMEOUT, settings.STACKONE_CONNECT_TIMEOUT, settings.STACKONE_MAX_RETRIES = 10.0, 2.0, 1
    settings.STACKONE_RETRY_AFTER_CAP = 3.0
    settings.STACKONE_INTERACTIVE_MAX_WAIT = 4.0
    # total: (4 s for the budget + 2 + 10) × 2 attempts + 3 s of retry wait = 35 s
    data = unedited_post(last_name="Byron")
    entry = _crashed_save(editor_client, stackone, data)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(seconds=33))

    second = post_step(editor_client, data)

    assert second.status_code == 302
    [message] = [str(m) for m in get_messages(second.wsgi_request)]
    assert message.endswith("and that save is still in progress; nothing more was sent.")
    assert len(patches(stackone)) == 1


def test_resubmitting_after_a_crash_mid_save_says_the_outcome_is_unknown_and_links_to_history(
        editor_client: Client, stackone, settings) -> None:
    settings.STACKONE_TIMEOUT, settings.STACKONE_CONNECT_TIMEOUT, settings.STACKONE_MAX_RETRIES = 10.0, 2.0, 1
    settings.STACKONE_RETRY_AFTER_CAP = 3.0
    settings.STACKONE_INTERACTIVE_MAX_WAIT = 4.0  # total 35 s (above)
    data = unedited_post(last_name="Byron")
    entry = _crashed_save(editor_client, stackone, data)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(seconds=36))
    mock_get(stackone)
    mock_definitions(stackone)

    page = text_of(post_step(editor_client, data, follow=True))

    assert "and that save never finished: whether StackOne applied it is unknown. Nothing more was sent. " \
           f'Check the candidate as loaded below and its <a href="{HISTORY_PATH}">History</a> ' \
           "before making the change again." in page
    assert "still in progress" not in page
    assert len(patches(stackone)) == 1 and AuditEntry.objects.count() == 1


def test_a_double_post_sends_one_patch_and_shows_the_first_outcome(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    data = unedited_post(last_name="Byron")
    first = post_step(editor_client, data)
    second = post_step(editor_client, data, follow=True)
    assert first.status_code == 302
    assert len(patches(stackone)) == 1
    assert AuditEntry.objects.count() == 1
    assert "This form was already submitted at" in text_of(second)
    assert "(outcome: saved); nothing more was sent." in text_of(second)


def test_a_forged_one_time_token_sends_nothing(editor_client: Client, stackone) -> None:
    data = unedited_post(last_name="Byron")
    data["form_token"] = "forged-token"
    response = post_step(editor_client, data, follow=True)
    assert "The form could not be verified" in text_of(response)
    assert len(patches(stackone)) == 0 and AuditEntry.objects.count() == 0


def test_the_api_key_never_reaches_an_audit_row(editor_client: Client, stackone, settings) -> None:
    settings.SANDBOX_MODE = False
    settings.STACKONE_API_KEY = "sk-live-RECOGNISABLE-KEY-123"
    basic = "c2stbGl2ZS1SRUNPR05JU0FCTEUtS0VZLTEyMzo"  # base64 of the key and ":", unpadded
    mock_reads(stackone)
    mock_definitions(stackone)
    stackone.patch(CANDIDATE_URL, status=401, json={"statusCode": 401, "message": "Unauthorized"},
                   match=[matchers.header_matcher({"Authorization": f"Basic {basic}="})])
    post_step(editor_client, unedited_post(last_name="Byron"))
    rows = list(AuditEntry.objects.values())
    assert rows and "RECOGNISABLE" not in repr(rows) and basic not in repr(rows)


# -- history, audit page, export ------------------------------------------------------------------


def _entry(**fields: Any) -> AuditEntry:
    defaults: dict[str, Any] = {"username": "recruiter", "account_id": ACCOUNT, "candidate_id": "c-1",
                                "outcome": "saved",
                                "changes": [{"field": "last_name", "old": "Lovelace", "new": "Byron"}],
                                "request_body": {"last_name": "Byron"}, "returned_id": "c-1",
                                "returned_remote_id": "r-1"}
    defaults.update(fields)
    return AuditEntry.objects.create(**defaults)


def test_the_history_tab_lists_old_and_new_values(editor_client: Client) -> None:
    _entry()
    _entry(candidate_id="c-2", changes=[{"field": "title", "old": "X", "new": "Y"}])
    page = text_of(editor_client.get(HISTORY_PATH))
    assert "<strong>Last name</strong>: <del>Lovelace</del> → <ins>Byron</ins>" in page
    assert "Title" not in page.split("History of")[1].split("</table>")[0]
    assert 'aria-current="page">History</a>' in page


@pytest.mark.parametrize(("candidate_id", "quoted"), [("a?b#c", "a%3Fb%23c"), ("x/y?z=1", "x/y%3Fz=1")])
def test_the_history_tabs_link_to_themselves_with_the_id_quoted(editor_client: Client, candidate_id: str,
                                                                  quoted: str) -> None:
    _entry(candidate_id=candidate_id)
    response = editor_client.get(f"/accounts/{ACCOUNT}/candidates/{quoted}/history/")

    page = text_of(response)
    link = f'<a href="/accounts/{ACCOUNT}/candidates/{quoted}/history/" aria-current="page">History</a>'
    assert link in page
    assert f'href="/accounts/{ACCOUNT}/candidates/{quoted}/"' in page  # the Edit tab
    assert "<strong>Last name</strong>: <del>Lovelace</del>" in page  # the entry of that very id


@pytest.fixture
def auditor_client(roles: None) -> Client:
    user = User.objects.create_user("auditor", password="pw-for-tests-1")
    user.groups.add(Group.objects.get(name="Auditor"))
    client = Client()
    client.force_login(user)
    return client


def test_the_audit_page_filters_by_user_outcome_candidate_and_date(auditor_client: Client) -> None:
    _entry(username="alice", outcome="saved")
    _entry(username="bob", outcome="rejected", candidate_id="c-9", message="Validation error.")
    old = _entry(username="alice", outcome="unknown")
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))
    assert text_of(auditor_client.get("/audit/")).count("<tr data-outcome=") == 3
    assert text_of(auditor_client.get("/audit/?user=bob")).count("<tr data-outcome=") == 1
    assert text_of(auditor_client.get("/audit/?outcome=rejected")).count('data-outcome="rejected"') == 1
    assert text_of(auditor_client.get("/audit/?candidate=c-9")).count("<tr data-outcome=") == 1
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    assert text_of(auditor_client.get(f"/audit/?date_from={since}")).count("<tr data-outcome=") == 2
    assert text_of(auditor_client.get(f"/audit/?date_to={since}")).count("<tr data-outcome=") == 1


def test_the_csv_export_has_one_row_per_entry_with_the_filters(auditor_client: Client) -> None:
    _entry(username="alice")
    _entry(username="=HYPERLINK(evil)", outcome="rejected")
    response = auditor_client.get("/audit/export.csv?outcome=rejected")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["username"] == "'=HYPERLINK(evil)"  # never a live formula in a spreadsheet
    # The changes as the pages read them; the exact values stay in request_body.
    assert rows[0]["fields"] == "last_name" and rows[0]["changes"] == "Last name: Lovelace → Byron"


@pytest.mark.parametrize("path", ["/audit/", "/audit/export.csv"])
def test_an_invalid_filter_shows_the_error_and_lists_or_exports_nothing(auditor_client: Client,
                                                                       path: str) -> None:
    _entry(username="recruiter")
    _entry(username="alice")

    response = auditor_client.get(f"{path}?user=rec&date_from=2026-13-45")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    page = text_of(response)
    assert re.search(r'id="id_date_from_error">Enter a valid date\.', page)
    assert 'value="2026-13-45"' in page and 'value="rec"' in page  # what was typed stays
    assert "Correct the filters marked above: no entries are listed or exported until they are valid." in page
    assert "<tr data-outcome=" not in page and "Download these entries as CSV" not in page


def test_valid_filters_still_export_only_their_entries(auditor_client: Client) -> None:
    _entry(username="alice")
    _entry(username="bob")
    response = auditor_client.get("/audit/export.csv?user=bob&date_from=2020-01-01")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["username"] for row in rows] == ["bob"]


def test_roles_gate_pages_and_actions(
    auditor_client: Client, editor_client: Client, viewer_client: Client
) -> None:
    assert auditor_client.get("/audit/").status_code == 200
    assert auditor_client.get("/accounts/").status_code == 403
    assert post_step(auditor_client, {}).status_code == 403
    assert editor_client.get("/audit/").status_code == 403
    assert viewer_client.get("/audit/export.csv").status_code == 403
    # Each role group holds the all-accounts grant of its role (and the Auditor the admin's audit log).
    assert sorted((g.group.name, g.role, g.all_accounts)
                  for g in AccessGrant.objects.filter(group__isnull=False).select_related("group")) == [
        ("Auditor", "Auditor", True), ("Ops", "Ops", True), ("Recruiter", "Recruiter", True)]
    assert {g.name: sorted(p.codename for p in g.permissions.all()) for g in Group.objects.all()} == {
        "Recruiter": [], "Ops": [], "Auditor": ["view_auditentry"]}


def test_django_admin_shows_audit_entries_read_only(admin_client: Client) -> None:
    entry = _entry()
    page = text_of(admin_client.get(f"/admin/candidates/auditentry/{entry.pk}/change/"))
    assert "Lovelace" in page and 'name="_save"' not in page
    assert admin_client.get("/admin/candidates/auditentry/add/").status_code == 403
    delete = admin_client.post(f"/admin/candidates/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert delete.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_same_change_made_meanwhile_by_someone_else_is_no_conflict(
    editor_client: Client, stackone
) -> None:
    mock_reads(stackone, before=candidate_json(last_name="Byron"), after=candidate_json(last_name="Byron"))
    patch_ok(stackone, {"last_name": "Byron"})
    assert post_step(editor_client, unedited_post(last_name="Byron")).status_code == 302
