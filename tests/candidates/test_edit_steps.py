"""The edit flow's steps after the edit form's Save: one view behind one URL per step, the styled
403 page for someone who may not edit, and a list's "Add row" (its new row fetched, or without
JavaScript)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import resolve, reverse

from candidates.models import AuditEntry
from candidates.views import EDIT_STEPS, candidate_edit_step
from tests.candidates.view_helpers import (
    ACCOUNT,
    BASE_URL,
    EDIT_PATH,
    mock_definitions,
    mock_get,
    post_step,
    text_of,
    unedited_post,
)

STEPS = {"confirm": "confirm/", "review": "review/", "back": "back/", "resolve": "resolve/",
         "add-row": "add-row/"}


def test_every_step_has_its_documented_url_served_by_the_one_step_view() -> None:
    assert set(EDIT_STEPS) == set(STEPS)
    for step, tail in STEPS.items():
        url = reverse("candidates:edit_step",
                      kwargs={"account_id": ACCOUNT, "candidate_id": "c-1", "step": step})
        assert url == f"{EDIT_PATH}{tail}"
        match = resolve(url)
        assert match.func is candidate_edit_step
        assert match.kwargs == {"account_id": ACCOUNT, "candidate_id": "c-1", "step": step}


def test_a_candidate_id_with_slashes_keeps_its_step() -> None:
    match = resolve(f"/accounts/{ACCOUNT}/candidates/a/b/confirm/")
    assert match.kwargs == {"account_id": ACCOUNT, "candidate_id": "a/b", "step": "confirm"}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_step_is_post_only(editor_client: Client, stackone, step: str) -> None:
    assert editor_client.get(f"{EDIT_PATH}{STEPS[step]}").status_code == 405


@pytest.mark.parametrize("step", ["save", *STEPS])
def test_someone_who_may_not_edit_gets_the_styled_403_page_and_nothing_is_sent(
    auditor_client: Client, stackone, step: str
) -> None:
    response = post_step(auditor_client, unedited_post(last_name="Byron"), step=step)
    page = text_of(response)
    assert response.status_code == 403
    assert "<h1>Not allowed</h1>" in page  # the app's 403 page, inside its layout
    assert ("Your account does not have permission for this page. Ask an administrator for the role "
            "you need (Recruiter, Ops or Auditor).") in page
    assert "Sign out" in page
    assert not stackone.calls and not AuditEntry.objects.exists()


def test_add_row_without_javascript_shows_the_form_as_typed_with_one_more_row(
    editor_client: Client, stackone
) -> None:
    mock_definitions(stackone)
    data = unedited_post(last_name="Byron", add_row="emails")
    response = post_step(editor_client, data, step="add-row")
    page = text_of(response)
    assert response.status_code == 200
    assert 'value="Byron"' in page  # what was typed stays
    assert 'name="emails-TOTAL_FORMS" value="2"' in page and 'name="emails-INITIAL_FORMS" value="1"' in page
    assert '<input type="email" name="emails-1-value"' in page  # the new row, blank, numbered by Django
    assert 'name="phone_numbers-TOTAL_FORMS" value="1"' in page  # the other lists as they were
    assert "Nothing was saved" not in page
    # Only the account's metadata was read: nothing about the candidate, nothing sent.
    assert not [call for call in stackone.calls if "/unified/ats/candidates/" in call.request.url]
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("named", ["", "passthrough", "emails-TOTAL_FORMS"])
def test_add_row_naming_no_list_adds_nothing(editor_client: Client, stackone, named: str) -> None:
    mock_definitions(stackone)
    page = text_of(post_step(editor_client, unedited_post(add_row=named), step="add-row"))
    assert 'name="emails-TOTAL_FORMS" value="1"' in page
    assert 'name="custom_fields-TOTAL_FORMS" value="1"' in page


def test_add_row_with_a_row_count_that_is_no_number_adds_nothing_and_says_so(
    editor_client: Client, stackone
) -> None:
    mock_definitions(stackone)
    data = unedited_post(add_row="emails", **{"emails-TOTAL_FORMS": "²"})
    response = post_step(editor_client, data, step="add-row")
    assert response.status_code == 400
    assert "Nothing was saved" in text_of(response)


def test_the_edit_page_offers_add_row_without_javascript_after_save(editor_client: Client, stackone) -> None:
    mock_get(stackone)
    mock_definitions(stackone)
    page = text_of(editor_client.get(EDIT_PATH))
    noscript = re.search(r"<noscript>(.*?)</noscript>", page)
    assert noscript, "the no-JavaScript buttons"
    buttons = re.findall(
        r'<button type="submit" formaction="([^"]+)" name="add_row" value="(\w+)">([^<]+)</button>',
        noscript.group(1))
    assert buttons == [
        (f"{EDIT_PATH}add-row/#formset-emails", "emails", "Add emails row"),
        (f"{EDIT_PATH}add-row/#formset-phone_numbers", "phone_numbers", "Add phone numbers row"),
        (f"{EDIT_PATH}add-row/#formset-social_links", "social_links", "Add social links row"),
        (f"{EDIT_PATH}add-row/#formset-custom_fields", "custom_fields", "Add custom fields row"),
    ]
    # With JavaScript, "Add row" fetches the list's new row, or falls back to the add-row step.
    # Its new phone row is read in the candidate's country, as the page's rows are.
    assert (f'data-editor data-new-row-url="/accounts/{ACCOUNT}/editor/new-row/?country=United+Kingdom" '
            f'data-add-row-url="{EDIT_PATH}add-row/"') in page
    # Save is the edit form's first submit button: Enter in a field saves (the default button).
    editor_form = re.search(rf'<form method="post" action="{EDIT_PATH}" class="editor".*?</form>', page)
    assert editor_form
    first = re.search(r'<button type="submit"[^>]*>', editor_form.group(0))
    assert first and 'id="save-button"' in first.group(0)


# -- a list's new row, fetched by "Add row" ------------------------------------------------------

NEW_ROW = f"/accounts/{ACCOUNT}/editor/new-row/?list="


@pytest.mark.parametrize(("list_field", "columns"), [
    ("emails", ["type", "value", "DELETE"]),
    ("phone_numbers", ["type", "phone", "DELETE"]),
    ("social_links", ["type", "url", "DELETE"]),
    ("custom_fields", ["definition", "value", "DELETE",  # then the technical columns, behind "Advanced"
                       "id", "remote_id", "name", "value_kind", "value_id", "remote_value_id"]),
])
def test_add_row_fetches_the_lists_empty_form_drawn_by_django(
    editor_client: Client, stackone, list_field: str, columns: list[str]
) -> None:
    mock_definitions(stackone)
    response = editor_client.get(f"{NEW_ROW}{list_field}")
    row = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert row.startswith('<div class="formset-row" data-formset-row>') and row.endswith("</div>")
    assert re.findall(rf'name="{list_field}-__prefix__-(\w+)"', row) == columns
    assert not [call for call in stackone.calls if "/unified/ats/candidates" in call.request.url]


def test_a_new_custom_field_row_picks_the_accounts_fields_by_name(editor_client: Client, stackone) -> None:
    mock_definitions(stackone)
    row = text_of(editor_client.get(f"{NEW_ROW}custom_fields"))
    assert ('<option value="" selected>Choose a field…</option> '
            '<option value="cf_notice">Notice period</option> </select>') in row


def test_a_new_phone_row_reads_a_national_number_where_the_page_does(editor_client: Client, stackone,
                                                                      settings) -> None:
    settings.PHONE_DEFAULT_REGION = "DE"
    in_country = text_of(editor_client.get(f"{NEW_ROW}phone_numbers&country=United+Kingdom"))
    assert "without +, read as United Kingdom (the candidate&#39;s country)." in in_country
    by_account = text_of(editor_client.get(f"{NEW_ROW}phone_numbers"))
    assert "without +, read as Germany (this account&#39;s default region)." in by_account


def test_a_new_row_is_for_editors_only_and_only_of_a_list_that_is_sent(
    auditor_client: Client, editor_client: Client, stackone
) -> None:
    refused = auditor_client.get(f"{NEW_ROW}emails")
    assert refused.status_code == 403 and "<h1>Not allowed</h1>" in text_of(refused)
    assert editor_client.post(f"{NEW_ROW}emails").status_code == 405
    assert editor_client.get(f"{NEW_ROW}passthrough").status_code == 404
    assert editor_client.get(f"/accounts/{ACCOUNT}/editor/new-row/").status_code == 404
    mock_definitions(stackone)
    models = {"candidates": {"update": {"input": {"defaultFields": [{"name": "emails"}]}}}}
    stackone.get(f"{BASE_URL}/accounts/{ACCOUNT}/meta", json={"provider": "lever", "category": "ats",
                                                              "models": models})
    assert editor_client.get(f"{NEW_ROW}social_links").status_code == 404  # Lever takes no social links
    assert editor_client.get(f"{NEW_ROW}emails").status_code == 200
