"""The edit page's rules the issue names (issue 25 item 7): a duplicate social link (same type
and address) is refused beside it; the error summary lists problems in the order the page shows
the fields; the deprecated Phone's help points up at Phone numbers. (Layout: tests/e2e/
test_product_pages.py at 390 and 1280 px.)"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.display import EditorGroups
from candidates.editor.forms import PAGE_ORDER
from candidates.templatetags.form_html import editor_error_links
from candidates.types import Candidate
from tests.candidates.form_data import add_row, editor_post_data
from tests.candidates.view_helpers import candidate_json, mock_definitions, post_step, text_of, unedited_post


def _editor(**changes: object) -> CandidateEditor:
    candidate = Candidate.from_api(candidate_json())
    data = editor_post_data(CandidateEditor(candidate))
    data.update(changes)
    return CandidateEditor(candidate, data)


@pytest.mark.parametrize("url", ["https://www.linkedin.com/in/ada", "HTTPS://WWW.LINKEDIN.COM/in/ada/"])
def test_a_duplicate_social_link_is_refused_beside_its_address(url: str) -> None:
    candidate = Candidate.from_api(candidate_json())
    data = editor_post_data(CandidateEditor(candidate))
    add_row(data, "social_links", {"type": "linkedin", "url": url})
    editor = CandidateEditor(candidate, data)
    assert not editor.is_valid()
    errors = editor.formsets["social_links"].forms[1].errors
    assert errors == {"url": ["This link is already listed with this type."]}


def test_the_same_address_under_another_type_is_no_duplicate() -> None:
    candidate = Candidate.from_api(candidate_json())
    data = editor_post_data(CandidateEditor(candidate))
    add_row(data, "social_links", {"type": "website", "url": "https://www.linkedin.com/in/ada"})
    assert CandidateEditor(candidate, data).is_valid()


def test_stored_duplicate_links_left_alone_never_block_saving() -> None:
    link = {"type": "github", "url": "https://github.com/ada"}
    candidate = Candidate.from_api(candidate_json(social_links=[link, link]))
    data = editor_post_data(CandidateEditor(candidate))
    data["title"] = "Engineer"
    assert CandidateEditor(candidate, data).is_valid()


def test_the_error_summary_follows_the_page_order() -> None:
    editor = _editor(passthrough="{oops", email="not an address", phone="call me", title="x" * 300,
                     **{"phone_numbers-0-phone": "also not", "emails-0-value": "nope"})
    assert not editor.is_valid()
    where = [label for _, label, _ in editor_error_links(editor)]
    assert where == ["Email", "Emails, row 1, Value", "Phone numbers, row 1, Phone", "Phone", "Title",
                     "Passthrough"]


def test_the_page_order_is_the_order_the_page_draws_the_fields() -> None:
    html = str(EditorGroups(CandidateEditor(Candidate.from_api(candidate_json()))))
    drawn = []
    for match in re.finditer(r'name="([a-z_]+)(?:-\d+-[a-z_]+)?"|id="formset-([a-z_]+)"', html):
        name = match.group(2) or match.group(1)
        if name in PAGE_ORDER and name not in drawn:
            drawn.append(name)
    assert drawn == list(PAGE_ORDER)


def test_the_deprecated_phone_points_up_at_phone_numbers(editor_client: Client, stackone) -> None:
    mock_definitions(stackone)
    page = text_of(post_step(editor_client, unedited_post(email="not an address"), step="save"))
    assert "Deprecated by StackOne: use Phone numbers above." in page and "Phone numbers below" not in page
