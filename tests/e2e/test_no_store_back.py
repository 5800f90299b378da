"""``Cache-Control: no-store`` keeps the edit page out of the browser's cache; Back from the
"too large" page (the 400 page) still shows the form as the user left it
(docs/decisions/0004-nothing-typed-is-lost.md)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e


def test_back_from_a_refused_oversized_form_still_shows_what_was_typed(app: App) -> None:
    page = app.page
    app.open_ada()
    response = page.request.get(app.edit_url())
    assert "no-store" in response.headers["cache-control"]

    page.get_by_label("Last name", exact=True).fill("King")
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): Django refuses to read the form.
    page.locator("#id_passthrough").evaluate('(el) => { el.value = "x".repeat(2700000); }')
    app.save_button().click(no_wait_after=True)
    expect(page.get_by_text("larger than this app accepts")).to_be_visible(timeout=30_000)

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.get_by_label("Last name", exact=True)).to_have_value("King")
