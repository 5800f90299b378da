"""Screenshots of the pages issue 13 changed, at 390 and 1280 px, light and dark, with axe-core
checked on each (no serious or critical violation) and no sideways scroll on phones.

Files: tests/e2e/artifacts/i13-<page>-<width>-<scheme>.png (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.models import AuditEntry
from candidates.worker import run_queued_tasks
from sandbox.faults import set_faults
from tests.conftest import grant
from tests.e2e.helpers import ACCOUNT, App, ada_record
from tests.health.conftest import index_sandbox, sandbox_set

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
    assert scroll_width <= width + 2, (
        f"the {label} page scrolls sideways at {width} px ({scroll_width} px): {wide}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_changed_pages_look_right_and_stay_accessible(anonymous_app: App, editor_user: User,
                                                      artifacts_dir: Path, width: int, scheme: str) -> None:
    app = anonymous_app
    page = app.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.emulate_media(color_scheme=scheme)
    grant(editor_user, "Ops")

    def shot(name: str) -> None:
        app.assert_accessible(f"{name} ({width} px, {scheme})")
        if width == 390:
            _fits(app, width, name)
        page.screenshot(path=str(artifacts_dir / f"i13-{name}-{width}-{scheme}.png"), full_page=True)

    app.goto(app.url("/login/"))
    expect(page.get_by_test_id("demo-login")).to_have_count(0)  # DEBUG is off in the tests
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
    who = page.locator("table.audit-table tbody tr").first.locator("td").nth(1)
    expect(who).to_have_text("recruiter")
    lines = who.evaluate("(td) => { const r = document.createRange(); r.selectNodeContents(td);"
                         " const tops = Array.from(r.getClientRects()).map((b) => Math.round(b.top));"
                         " return new Set(tops).size; }")
    assert lines == 1, "the user's name is split over lines"
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_the_other_pages_look_right_and_stay_accessible(anonymous_app: App, editor_user: User,
                                                        artifacts_dir: Path, width: int, scheme: str) -> None:
    """The pages the first test does not reach: directory search and its StackOne fallback, the
    accounts page's directory status, data health with a check open, a bulk job previewed and
    done, the conflict, error and not-found pages."""
    app = anonymous_app
    page = app.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.emulate_media(color_scheme=scheme)
    grant(editor_user, "Ops")

    def shot(name: str) -> None:
        app.assert_accessible(f"{name} ({width} px, {scheme})")
        if width == 390:
            _fits(app, width, name)
        page.screenshot(path=str(artifacts_dir / f"i13-{name}-{width}-{scheme}.png"), full_page=True)

    # Bad data for data health, then the directory and the findings as a full sync leaves them.
    sandbox_set("c-0002", country="United Kingdom",
                phone_numbers=[{"type": "mobile", "phone": "07700 900456"}])
    index_sandbox()
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status=DirectorySync.Status.DONE,
                                 started_at=timezone.now(), finished_at=timezone.now(), pages=1,
                                 fetched=DirectoryEntry.objects.filter(account_id=ACCOUNT).count())
    app.sign_in(editor_user.username)

    app.goto(app.url("/accounts/"))
    expect(page.locator(".directory-status").first).to_contain_text("indexed")
    shot("accounts-directory")

    app.goto(app.list_url())
    page.get_by_label("Search", exact=True).fill("lovel")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("1 candidate")
    shot("list-directory-search")

    app.goto(app.list_url("sbx-lever"))  # no directory yet: StackOne searches by exact email
    expect(page.get_by_text("StackOne can search by")).to_be_visible()
    # Dates read as dates (the browser's local time), the exact UTC value on hover, not raw ISO text.
    updated = page.locator("table.data-table tbody tr").first.locator("td").last
    expect(updated).not_to_contain_text("T08:00:00")
    exact_utc = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$")
    expect(updated.locator("time")).to_have_attribute("title", exact_utc)
    shot("list-stackone-fallback")

    app.goto(app.url(f"/accounts/{ACCOUNT}/health/"))
    page.get_by_role("link", name="Phone numbers not in E.164").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Phone numbers not in E.164")
    shot("health-check-open")

    app.goto(app.url("/bulk/"))
    page.get_by_label("Linked account", exact=True).select_option(ACCOUNT)
    page.get_by_label("CSV file").set_input_files(files=[{
        "name": "titles.csv", "mimeType": "text/csv",
        "buffer": b"id,title\nc-0003,Principal engineer\nc-0004,Staff engineer\n,missing id\n"}])
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    run_queued_tasks()
    expect(page.get_by_role("button", name="Start: send 2 rows")).to_be_visible()
    shot("bulk-job-previewed")
    page.get_by_role("button", name="Start: send 2 rows").click()
    run_queued_tasks()
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible()
    shot("bulk-job-done")

    # Conflict: the title changes in the ATS between loading the form and saving it.
    app.open_ada()
    page.get_by_label("Title", exact=True).fill("Analyst")
    record = ada_record()
    record.data["title"] = "Countess of Lovelace"
    record.save()
    app.save()
    expect(page.get_by_role("heading", level=1)).to_have_text("Someone else changed this candidate")
    for choice in ("mine", "theirs"):  # each radio on its label's line, at every width
        radio = page.locator(f"#choose-title-{choice}").bounding_box()
        label = page.locator(f"label[for=choose-title-{choice}]").bounding_box()
        middle = (radio["y"] + radio["height"] / 2, label["y"] + label["height"] / 2)
        assert abs(middle[0] - middle[1]) < 8, (radio, label)
    shot("conflict")

    assert page.goto(app.edit_url("c-9999")).status == 404
    app.expect_banner()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidate not found")
    shot("not-found")

    set_faults(fail_status=503, fail_count=20, fail_methods=["GET"])
    page.goto(app.edit_url("c-0003"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Could not load this page")
    app.expect_banner()
    shot("error")
