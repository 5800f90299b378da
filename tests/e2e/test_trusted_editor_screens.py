"""Screenshots of the pages issue 13 changed, at 390 and 1280 px, light and dark, with axe-core
checked on each (no serious or critical violation) and no sideways scroll on phones.

Files: tests/e2e/artifacts/i13-<page>-<width>-<scheme>.png (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from playwright.sync_api import expect

from candidates.models import AuditEntry
from tests.e2e.helpers import App

pytestmark = pytest.mark.e2e

HEIGHTS = {390: 844, 1280: 900}


def _fits(app: App, width: int, label: str) -> None:
    scroll_width = app.page.evaluate("() => document.documentElement.scrollWidth")
    wide = app.page.evaluate(
        """(width) => Array.from(document.querySelectorAll('body *'))
            .filter((el) => el.getBoundingClientRect().right > width + 2).slice(0, 6)
            .map((el) => el.tagName.toLowerCase() + ' .' + el.className + ' '
                         + Math.round(el.getBoundingClientRect().right))""",
        width)
    assert scroll_width <= width + 2, f"the {label} page scrolls sideways at {width} px ({scroll_width} px): {wide}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_changed_pages_look_right_and_stay_accessible(anonymous_app: App, editor_user: User,
                                                      artifacts_dir: Path, width: int, scheme: str) -> None:
    app = anonymous_app
    page = app.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.emulate_media(color_scheme=scheme)
    editor_user.user_permissions.add(*Permission.objects.filter(codename__in=["view_audit", "bulk_update"]))

    def shot(name: str) -> None:
        app.assert_accessible(f"{name} ({width} px, {scheme})")
        if width == 390:
            _fits(app, width, name)
        page.screenshot(path=str(artifacts_dir / f"i13-{name}-{width}-{scheme}.png"), full_page=True)

    app.goto(app.url("/login/"))
    expect(page.get_by_test_id("demo-login")).to_contain_text("demo / demo")
    shot("login")
    app.sign_in(editor_user.username)
    app.goto(app.url("/accounts/"))
    shot("accounts")

    app.open_ada()
    page.get_by_label("Email", exact=True).fill("ada.king@example.com")
    shot("edit-changed")
    app.review()
    shot("review-email-follow")
    app.confirm()
    app.expect_saved()
    shot("confirmation")

    page.get_by_role("link", name="History").click()
    expect(page.locator(".audit-changes").first).to_be_visible()
    shot("history")
    app.goto(app.url("/audit/"))
    assert AuditEntry.objects.exists()
    shot("audit")

    app.goto(app.url("/bulk/"))
    expect(page.get_by_label("Linked account", exact=True)).to_be_visible()
    page.get_by_text("Column reference").click()
    shot("bulk-upload")

    app.goto(app.edit_url("lv-0001", account="sbx-lever"))
    expect(page.get_by_label("Hired at")).to_be_disabled()
    shot("edit-lever-read-only")
