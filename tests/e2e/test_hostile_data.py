"""Hostile data from the API renders as inert text in a real browser.

A candidate whose name is markup and whose social links use ``javascript:`` and ``data:`` URLs is
created in the sandbox (so it arrives through the real client, as it would from an ATS). The
pages that show it — list, edit, review, confirmation, history, audit log — must run no script
and offer no clickable link with an unsafe scheme. These pages bypass the CSP (see
tests/conftest.py), so what is tested here is the escaping itself; tests/e2e/test_csp.py checks
the policy on top.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from sandbox.factories import make_candidate
from sandbox.models import SandboxAccount
from tests.conftest import grant
from tests.e2e.helpers import ACCOUNT, App

pytestmark = pytest.mark.e2e

HOSTILE_ID = "c-hostile"
SCRIPT_NAME = "<script>alert(1)</script>"
IMG_TITLE = '<img src=x onerror="window.__xss=1;alert(2)">'
RENAMED = '"><svg onload=alert(3)>'
UNSAFE_LINKS = [
    {"type": "website", "url": "javascript:alert(4)"},
    {"type": "other", "url": "  JaVaScRiPt:window.__xss=1"},
    {"type": "github", "url": "data:text/html,<script>alert(5)</script>"},
]
SAFE_LINK = {"type": "linkedin", "url": "https://www.linkedin.com/in/hostile"}


@pytest.fixture
def hostile(sandbox: str) -> str:
    """A candidate with markup in its name and title and unsafe-scheme social links."""
    make_candidate(
        SandboxAccount.objects.get(id=ACCOUNT), HOSTILE_ID, name=SCRIPT_NAME, first_name=SCRIPT_NAME,
        last_name="Hostile", title=IMG_TITLE, email="hostile@example.com",
        emails=[{"type": "personal", "value": "hostile@example.com"}],
        social_links=[*UNSAFE_LINKS, SAFE_LINK],
    )
    return HOSTILE_ID


@pytest.fixture
def dialogs(app: App) -> list[str]:
    """Messages of any alert/confirm/prompt the page opens (each dismissed); none is expected."""
    opened: list[str] = []

    def record(dialog: Any) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    app.page.on("dialog", record)
    return opened


def assert_inert(app: App, dialogs: list[str]) -> None:
    page = app.page
    assert dialogs == []
    assert page.evaluate("() => window.__xss") is None
    # Only our own external scripts exist: nothing from the data became a <script>, <img> or <svg>.
    assert page.locator("script:not([src])").count() == 0
    assert page.locator("main img, main svg, main iframe").count() == 0
    unsafe = page.locator("a[href]").evaluate_all(
        "links => links.map(a => a.href).filter(h => !/^https?:/i.test(h))")
    assert unsafe == []


def test_markup_in_a_candidate_is_shown_as_text_on_the_list_and_edit_pages(
    app: App, hostile: str, dialogs: list[str]
) -> None:
    page = app.page
    app.goto(app.list_url() + "?email=hostile%40example.com")
    expect(page.locator("table.data-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name=SCRIPT_NAME)).to_be_visible()
    assert_inert(app, dialogs)

    page.get_by_role("link", name=SCRIPT_NAME).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(SCRIPT_NAME)
    expect(page.get_by_label("First name")).to_have_value(SCRIPT_NAME)
    expect(page.get_by_label("Title")).to_have_value(IMG_TITLE)
    assert_inert(app, dialogs)


def test_unsafe_social_links_are_editable_text_never_clickable_links(
    app: App, hostile: str, dialogs: list[str]
) -> None:
    page = app.page
    app.goto(app.edit_url(HOSTILE_ID))

    urls = app.rows("social_links").get_by_label("URL")
    expect(urls).to_have_count(len(UNSAFE_LINKS) + 1)  # each link (with JavaScript, no blank extra row)
    for index, link in enumerate([*UNSAFE_LINKS, SAFE_LINK]):
        expect(urls.nth(index)).to_have_value(link["url"].strip())  # <input type=url> trims
    for link in UNSAFE_LINKS:
        expect(page.locator(f'a[href="{link["url"]}"]')).to_have_count(0)
    assert_inert(app, dialogs)


def test_a_hostile_save_stays_inert_on_the_review_confirmation_history_and_audit_pages(
    app: App, hostile: str, dialogs: list[str], editor_user: User
) -> None:
    grant(editor_user, "Auditor")
    page = app.page
    app.goto(app.edit_url(HOSTILE_ID))

    page.get_by_label("Last name", exact=True).fill(RENAMED)
    app.review()
    expect(page.locator('tr[data-field="last_name"]')).to_contain_text(RENAMED)
    assert_inert(app, dialogs)
    app.confirm()
    app.expect_saved()
    assert_inert(app, dialogs)

    app.goto(app.url(f"/accounts/{ACCOUNT}/candidates/{HOSTILE_ID}/history/"))
    expect(page.locator("main")).to_contain_text(RENAMED)
    assert_inert(app, dialogs)

    app.goto(app.url(f"/audit/?candidate={HOSTILE_ID}"))
    expect(page.locator("main")).to_contain_text(HOSTILE_ID)
    assert_inert(app, dialogs)
