"""Email and Emails kept together (issue 13, item 2): the PATCH bodies sent and the review page.

StackOne mocked at the HTTP edge (``responses``); ``patch_ok`` matches the exact JSON body.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.types import Candidate
from tests.candidates.form_data import editor_post_data
from tests.candidates.view_helpers import (
    ACCOUNT,
    candidate_json,
    mock_reads,
    patch_ok,
    post_step,
    text_of,
    unedited_post,
)

OLD = "ada@example.com"
NEW = "ada.lovelace@example.com"


def test_a_changed_email_takes_its_emails_row_along(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(email=NEW, emails=[{"type": "personal", "value": NEW}]))
    patch_ok(stackone, {"email": NEW, "emails": [{"type": "personal", "value": NEW}]})
    assert post_step(editor_client, unedited_post(email=NEW)).status_code == 302


def test_the_user_can_keep_the_old_row(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(email=NEW))
    patch_ok(stackone, {"email": NEW})
    assert post_step(editor_client, unedited_post(email=NEW, keep_old_email="on")).status_code == 302


def test_a_changed_emails_row_that_held_email_takes_email_along(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(email=NEW, emails=[{"type": "personal", "value": NEW}]))
    patch_ok(stackone, {"email": NEW, "emails": [{"type": "personal", "value": NEW}]})
    assert post_step(editor_client, unedited_post(**{"emails-0-value": NEW})).status_code == 302


def test_keeping_email_when_its_row_changes_sends_the_row_only(editor_client: Client, stackone) -> None:
    mock_reads(stackone, after=candidate_json(emails=[{"type": "personal", "value": NEW}]))
    patch_ok(stackone, {"emails": [{"type": "personal", "value": NEW}]})
    data = unedited_post(**{"emails-0-value": NEW, "keep_old_email": "on"})
    assert post_step(editor_client, data).status_code == 302


def post_for(before: dict[str, Any], **changes: str) -> dict[str, Any]:
    """The edit page's POST data for the candidate ``before``, with ``changes``, sent directly."""
    candidate = Candidate.from_api(before)
    data = editor_post_data(CandidateEditor(candidate))
    data.update(snapshot=snapshot_dumps(candidate, account_id=ACCOUNT), form_token=token_new(), **changes)
    return data


def test_an_address_matching_but_for_case_follows(editor_client: Client, stackone) -> None:
    before = candidate_json(email="Ada@Example.com", emails=[{"type": "work", "value": "ada@example.com"}])
    followed = [{"type": "work", "value": NEW}]
    mock_reads(stackone, before=before, after=candidate_json(email=NEW, emails=followed))
    patch_ok(stackone, {"email": NEW, "emails": followed})
    assert post_step(editor_client, post_for(before, email=NEW)).status_code == 302


def test_a_new_address_already_listed_is_not_duplicated(editor_client: Client, stackone) -> None:
    before = candidate_json(emails=[{"type": "work", "value": OLD}, {"type": "other", "value": NEW}])
    mock_reads(stackone, before=before, after={**before, "email": NEW})
    patch_ok(stackone, {"email": NEW})
    assert post_step(editor_client, post_for(before, email=NEW)).status_code == 302


def test_the_review_shows_the_row_following_and_offers_to_keep_it(editor_client: Client, stackone) -> None:
    page = text_of(post_step(editor_client, unedited_post(email=NEW), step="review"))
    assert 'data-field="email"' in page and 'data-field="emails"' in page
    assert f"Email changes, so the Emails row <del>{OLD}</del> becomes <ins>{NEW}</ins> too" in page
    assert '<input type="checkbox" name="keep_old_email" value="on">' in page
    # The exact JSON body shown holds the followed row.
    assert f'&quot;value&quot;: &quot;{NEW}&quot;' in page

    kept = text_of(post_step(editor_client, unedited_post(email=NEW, keep_old_email="on"), step="review"))
    assert 'data-field="emails"' not in kept
    assert '<input type="checkbox" name="keep_old_email" value="on" checked>' in kept
    assert f"the Emails row <strong>{OLD}</strong> stays as it is" in kept
    # The choice is the checkbox's alone: it is not carried again as a hidden input.
    assert 'type="hidden" name="keep_old_email"' not in kept


def test_nothing_follows_when_email_is_cleared_or_not_listed(editor_client: Client, stackone) -> None:
    page = text_of(post_step(editor_client, unedited_post(email=""), step="review"))
    assert 'data-field="emails"' not in page and "keep_old_email" not in page
    before = candidate_json(emails=[])
    mock_reads(stackone, before=before, after={**before, "email": NEW})
    patch_ok(stackone, {"email": NEW})
    assert post_step(editor_client, post_for(before, email=NEW)).status_code == 302
