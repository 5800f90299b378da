"""History's "Revert this change" (issue 19, part 4): the inverse of one save opens the review
step, goes through the editor's conflict rule (a field changed since the save: the conflict
page), sends exactly the fields set back, and the audit links the two saves both ways."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from candidates.models import AuditEntry
from tests.candidates.test_safe_edits import HISTORY_PATH, page_inputs, patches
from tests.candidates.view_helpers import (
    ACCOUNT,
    candidate_json,
    mock_get,
    mock_reads,
    patch_ok,
    post_step,
    text_of,
)
from tests.conftest import grant


def saved(changes: list[dict[str, Any]], outcome: str = "saved", candidate_id: str = "c-1") -> AuditEntry:
    """A save recorded by the write path: Bob changed these fields."""
    return AuditEntry.objects.create(
        username="bob", account_id=ACCOUNT, candidate_id=candidate_id, outcome=outcome, changes=changes,
        request_body={change["field"]: change["new"] for change in changes})


TITLE = [{"field": "title", "old": "Mathematician", "new": "Engineer"}]


def revert_path(entry: AuditEntry) -> str:
    return f"/accounts/{ACCOUNT}/candidates/{entry.candidate_id}/revert/{entry.pk}/"


def test_history_offers_revert_this_change_for_saves_that_changed_something(
        editor_client: Client, auditor_client: Client) -> None:
    entry = saved(TITLE)
    saved(TITLE, outcome="rejected")
    saved([{"field": "passthrough", "old": None, "new": {"a": 1}}])  # write-only: nothing to set back
    page = text_of(editor_client.get(HISTORY_PATH))
    assert page.count("Revert this change") == 1
    assert f'href="{revert_path(entry)}">Revert this change</a>' in page
    assert "Revert this change" not in text_of(auditor_client.get(HISTORY_PATH))  # may not edit


def test_history_offers_no_revert_on_an_account_the_reader_may_only_audit(django_user_model) -> None:
    saved(TITLE)
    user = django_user_model.objects.create_user(username="ines", password="pw-for-tests-1")
    grant(user, "Auditor", ACCOUNT)
    grant(user, "Recruiter", "another-account")  # edits there, not here
    client = Client()
    client.force_login(user)
    page = text_of(client.get(HISTORY_PATH))
    assert "Bob" in page or "bob" in page
    assert "Revert this change" not in page


def test_the_inverse_change_is_reviewed_then_sent_and_linked_both_ways(
        editor_client: Client, stackone) -> None:
    entry = saved(TITLE)
    mock_get(stackone, candidate_json(title="Engineer"))  # as the save left it
    review = editor_client.get(revert_path(entry))
    page = text_of(review)
    assert review.status_code == 200 and len(patches(stackone)) == 0
    assert "Review changes to Ada Lovelace" in page and "Reverting the change saved by bob on" in page
    assert re.search(r'data-field="title">.*?<del class="old-value">Engineer</del>.*?'
                     r'<ins class="new-value">Mathematician</ins>', page)
    assert page.count("<tr data-field=") == 1  # only what the save changed

    mock_reads(stackone, before=candidate_json(title="Engineer"), after=candidate_json(title="Mathematician"))
    patch_ok(stackone, {"title": "Mathematician"})
    response = post_step(editor_client, page_inputs(review), step="confirm")
    assert response.status_code == 302 and len(patches(stackone)) == 1
    revert = AuditEntry.objects.get(reverts=entry)
    assert revert.outcome == "saved" and revert.username == "recruiter"
    assert revert.changes == [{"field": "title", "old": "Engineer", "new": "Mathematician"}]
    history = text_of(editor_client.get(HISTORY_PATH))
    assert re.search(rf'Reverts <a href="{HISTORY_PATH}#entry-{entry.pk}">the change by bob on', history)
    assert re.search(rf'Reverted by <a href="{HISTORY_PATH}#entry-{revert.pk}">recruiter on .*?\(saved\)',
                     history)
    assert f'id="entry-{entry.pk}"' in history


def test_the_audit_log_links_a_revert_and_what_it_reverts(client: Client, django_user_model) -> None:
    auditor = django_user_model.objects.create_user(username="auditor", password="pw-for-tests-1")
    grant(auditor, "Auditor")
    client.force_login(auditor)
    entry = saved(TITLE)
    revert = AuditEntry.objects.create(
        username="ann", account_id=ACCOUNT, candidate_id="c-1", outcome="saved", reverts=entry,
        changes=[{"field": "title", "old": "Engineer", "new": "Mathematician"}])
    page = text_of(client.get("/audit/"))
    assert f'Reverts <a href="{HISTORY_PATH}#entry-{entry.pk}">the change by bob on' in page
    assert f'Reverted by <a href="{HISTORY_PATH}#entry-{revert.pk}">ann on' in page
    exported = b"".join(client.get("/audit/export.csv").streaming_content).decode()
    assert exported.splitlines()[0].endswith(",id,reverts")
    assert exported.splitlines()[1].endswith(f",{revert.pk},{entry.pk}")


def test_a_field_changed_since_the_save_opens_the_conflict_page(editor_client: Client, stackone) -> None:
    entry = saved(TITLE)
    mock_get(stackone, candidate_json(title="Director"))  # someone changed it since
    conflict = editor_client.get(revert_path(entry))
    page = text_of(conflict)
    assert conflict.status_code == 409 and len(patches(stackone)) == 0
    assert "Since the change you are reverting was saved, these fields were changed in StackOne." in page
    assert re.search(r"<legend>Title</legend>.*?As the change you are reverting saved it</dt>"
                     r"<dd>Engineer</dd>.*?Now in StackOne</dt><dd>Director</dd>.*?"
                     r"Before that change \(yours\)</dt><dd>Mathematician</dd>", page)
    # "Set it back to before that change": reviewed again over the value now held, then sent.
    review = post_step(editor_client, page_inputs(conflict, choose_title="mine"), step="resolve")
    assert re.search(r'data-field="title">.*?<del class="old-value">Director</del>.*?Mathematician',
                     text_of(review))
    mock_reads(stackone, before=candidate_json(title="Director"), after=candidate_json(title="Mathematician"))
    patch_ok(stackone, {"title": "Mathematician"})
    assert post_step(editor_client, page_inputs(review), step="confirm").status_code == 302
    assert AuditEntry.objects.get(reverts=entry).request_body == {"title": "Mathematician"}


def test_a_change_made_at_confirm_time_is_the_editors_conflict(editor_client: Client, stackone) -> None:
    entry = saved(TITLE)
    mock_get(stackone, candidate_json(title="Engineer"))
    review = editor_client.get(revert_path(entry))
    mock_reads(stackone, before=candidate_json(title="Director"))  # changed between review and confirm
    response = post_step(editor_client, page_inputs(review), step="confirm")
    assert response.status_code == 409 and len(patches(stackone)) == 0
    recorded = AuditEntry.objects.get(reverts=entry)
    assert recorded.outcome == "conflict" and recorded.others_changed == ["title"]


def test_a_whole_list_goes_back_as_it_was(editor_client: Client, stackone) -> None:
    before = [{"type": "personal", "value": "ada@example.com"}]
    after = [{"type": "personal", "value": "ada@example.com"}, {"type": "work", "value": "ada@work.example"}]
    entry = saved([{"field": "emails", "old": before, "new": after}])
    mock_get(stackone, candidate_json(emails=after))
    review = editor_client.get(revert_path(entry))
    assert re.search(r'data-field="emails">.*?removed</span> <del>ada@work.example \(work\)</del>',
                     text_of(review))
    mock_reads(stackone, before=candidate_json(emails=after), after=candidate_json(emails=before))
    patch_ok(stackone, {"emails": before})
    assert post_step(editor_client, page_inputs(review), step="confirm").status_code == 302


def test_nothing_to_revert_when_the_candidate_already_holds_the_old_values(
        editor_client: Client, stackone) -> None:
    entry = saved(TITLE)
    mock_get(stackone, candidate_json(title="Mathematician"))
    response = editor_client.get(revert_path(entry))
    assert response.status_code == 302 and response["Location"] == HISTORY_PATH
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Nothing to revert: the candidate already holds the values it had before this change."]


def test_a_forged_revert_marker_sends_nothing(editor_client: Client, stackone) -> None:
    entry = saved(TITLE)
    other = saved(TITLE, candidate_id="c-2")
    mock_get(stackone, candidate_json(title="Engineer"))
    review = editor_client.get(revert_path(entry))
    forged = page_inputs(review)
    from candidates.editor.revert_flow import revert_marker

    forged["reverts"] = [revert_marker(other)]  # another candidate's save
    response = post_step(editor_client, forged, step="confirm")
    assert response.status_code == 302 and len(patches(stackone)) == 0
    assert "could not be verified" in str(list(get_messages(response.wsgi_request))[0])


@pytest.mark.parametrize("case", ["other candidate", "rejected", "auditor"])
def test_only_an_editor_reverts_a_save_of_this_candidate_that_changed_something(
        editor_client: Client, auditor_client: Client, case: str) -> None:
    entry = saved(TITLE, candidate_id="c-2" if case == "other candidate" else "c-1",
                  outcome="rejected" if case == "rejected" else "saved")
    path = f"/accounts/{ACCOUNT}/candidates/c-1/revert/{entry.pk}/"
    response = (auditor_client if case == "auditor" else editor_client).get(path)
    assert response.status_code == (403 if case == "auditor" else 404)
