"""axe-core (node_modules/axe-core, pinned in package.json) on every page a recruiter goes through.

Fails on violations of impact "serious" or "critical", listed readably (rule, help link, the
offending elements).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e


def test_pages_have_no_serious_accessibility_violations(anonymous_app: App, editor_user: User) -> None:
    app = anonymous_app
    page = app.page

    app.goto(app.url("/login/"))
    app.assert_accessible("login")

    app.sign_in(editor_user.username)
    app.goto(app.url("/accounts/"))
    app.assert_accessible("linked accounts")

    app.goto(app.list_url())
    app.assert_accessible("candidate list")

    app.open_ada()
    app.assert_accessible("edit")

    # The edit page showing validation errors.
    page.get_by_label("Passthrough").fill("[1, 2")
    app.save_button().click()
    expect(page.locator("#error-summary")).to_be_visible()
    app.expect_banner()
    app.assert_accessible("edit (with errors)")

    # The review page, then the confirmation after the save.
    app.open_ada()
    page.get_by_label("Title").fill("Mathematician and writer")
    app.review()
    app.assert_accessible("review")
    app.confirm()
    app.expect_saved()
    app.assert_accessible("confirmation")
