"""The edit page's own "Keep <old address> in Emails" choice: with the review step off, Save
sends at once, so the page itself offers to keep the Emails row that a changed Email would take
along (issue 13's closing note). The server reads the checkbox: no JavaScript needed.

Against the sandbox (Ada: Email ada@example.com, also her personal Emails row); the PATCH bodies
are the ones that reached it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tests.e2e.helpers import ADA, PatchLog
from tests.faults.sandbox_forms import sandbox_post

ACCOUNT = "sbx-greenhouse"
EDIT_PATH = f"/accounts/{ACCOUNT}/candidates/{ADA}/"
OLD, NEW = "ada@example.com", "ada.byron@example.com"
WORK = {"type": "work", "value": "ada.lovelace@analytical.example"}
KEEP_TEXT = "Keep ada@example.com in Emails when Email changes"


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def keep_box(response: Any) -> str:
    """The checkbox's block as the page renders it."""
    match = re.search(r'<div class="keep-old-email"[^>]*>.*?</div>', response.content.decode(), re.S)
    assert match, "no Keep choice on the page"
    return match.group(0)


def review_step(client: Client, on: bool) -> None:
    client.post("/preferences/review/", {"review_before_save": "on" if on else "off", "next": EDIT_PATH})


@pytest.fixture
def sending(sandbox, editor_client: Client) -> Client:
    """The editor's client with the review step off: Save sends at once."""
    review_step(editor_client, on=False)
    return editor_client


def test_with_the_review_step_off_the_choice_is_shown_beside_email(sending: Client) -> None:
    response = sending.get(EDIT_PATH)
    assert KEEP_TEXT in text_of(response)
    box = keep_box(response)
    assert " hidden" not in box.split(">", 1)[0]
    assert ('<input type="checkbox" name="keep_old_email" value="on" id="id_keep_old_email" '
            'aria-describedby="id_keep_old_email_helptext">') in box
    # Beside Email: right after its input, inside the same field box.
    page = response.content.decode()
    assert page.index('name="email"') < page.index('name="keep_old_email"') < page.index("emails-TOTAL_FORMS")


def test_with_the_review_step_on_it_waits_for_email_to_change(sandbox, editor_client: Client) -> None:
    box = keep_box(editor_client.get(EDIT_PATH))
    assert box.startswith('<div class="keep-old-email" data-keep-old-email="ada@example.com" hidden>')


def test_saving_a_new_email_without_the_choice_takes_the_row_along(
        sending: Client, patch_log: PatchLog) -> None:
    assert sending.post(EDIT_PATH, sandbox_post(email=NEW)).status_code == 302
    assert patch_log.bodies == [{"email": NEW, "emails": [{"type": "personal", "value": NEW}, WORK]}]


def test_keeping_the_old_address_sends_email_only(sending: Client, patch_log: PatchLog) -> None:
    response = sending.post(EDIT_PATH, sandbox_post(email=NEW, keep_old_email="on"), follow=True)
    assert "Saved in StackOne" in text_of(response)
    assert patch_log.bodies == [{"email": NEW}]


def test_the_choice_survives_a_form_shown_again_with_an_error(
        sending: Client, patch_log: PatchLog) -> None:
    response = sending.post(EDIT_PATH, sandbox_post(email=NEW, keep_old_email="on", first_name="A" * 300))
    assert response.status_code == 400
    assert 'aria-describedby="id_keep_old_email_helptext" checked>' in keep_box(response)
    assert patch_log.bodies == []


def test_no_choice_when_no_emails_row_holds_email(sending: Client) -> None:
    from tests.e2e.helpers import ada_record

    record = ada_record()
    record.data["emails"] = [WORK]
    record.save()
    page = sending.get(EDIT_PATH).content.decode()
    assert "keep_old_email" not in page and "Keep ada@example.com" not in page
