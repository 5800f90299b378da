"""Every page of the app as issue 25 left it, at 390 and 1280 px, light and dark: axe-core on
each (no serious or critical violation), no sideways scroll on phones, and a full-page screenshot
to look at.

Files: tests/e2e/artifacts/i25-<nn>-<page>-<width>-<scheme>.png (git-ignored).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from candidates.directory.models import DirectoryEntry, DirectorySync
from candidates.worker import run_queued_tasks
from sandbox.faults import set_faults
from tests.conftest import grant
from tests.e2e.helpers import ACCOUNT, App, ada_record
from tests.e2e.test_trusted_editor_screens import HEIGHTS, _fits
from tests.health.conftest import index_sandbox, sandbox_set

pytestmark = pytest.mark.e2e

SKILLS = {"id": "cf_skills", "remote_id": "r_cf_skills", "name": "Skills", "value": ["Python", "Cobol"],
          "value_id": None, "remote_value_id": None}


def _bad_data() -> None:
    """Data health has something to show; Ada has Skills (one outside the options)."""
    sandbox_set("c-0002", country="United Kingdom", email="shared@example.com",
                phone_numbers=[{"type": "mobile", "phone": "07400 100456"}])
    sandbox_set("c-0003", email="Shared@Example.com", title="Head  of Research")
    record = ada_record()
    record.data["custom_fields"] = [*record.data["custom_fields"], SKILLS]
    record.save()
    index_sandbox()
    DirectorySync.objects.create(account_id=ACCOUNT, full=True, status=DirectorySync.Status.DONE,
                                 started_at=timezone.now(), finished_at=timezone.now(), pages=1,
                                 fetched=DirectoryEntry.objects.filter(account_id=ACCOUNT).count())


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_looks_right_and_stays_accessible(anonymous_app: App, editor_user: User,
                                                     artifacts_dir: Path, width: int, scheme: str) -> None:
    app = anonymous_app
    page = app.page
    page.set_viewport_size({"width": width, "height": HEIGHTS[width]})
    page.emulate_media(color_scheme=scheme)
    grant(editor_user, "Ops")
    _bad_data()
    shots: list[str] = []

    def shot(name: str) -> None:
        app.assert_accessible(f"{name} ({width} px, {scheme})")
        if width == 390:
            _fits(app, width, name)
        shots.append(name)
        page.screenshot(path=str(artifacts_dir / f"i25-{len(shots):02d}-{name}-{width}-{scheme}.png"),
                        full_page=True)

    # Signing in, and a sign-in page left open too long.
    app.goto(app.url("/login/"))
    shot("login")
    page.locator("input[name=csrfmiddlewaretoken]").evaluate("(input) => { input.value = 'x'.repeat(64); }")
    page.get_by_label("Username").fill(editor_user.username)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in again")
    shot("sign-in-again")
    app.sign_in(editor_user.username)

    # Accounts and candidates.
    app.goto(app.url("/accounts/"))
    shot("accounts")
    app.goto(app.list_url())
    page.get_by_label("Search", exact=True).fill("lovel")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("result-count")).to_contain_text("1 candidate")
    shot("list-directory")
    app.goto(app.list_url("sbx-lever"))
    expect(page.locator("[data-directory-pending]")).to_be_visible()
    shot("list-directory-pending")

    # The edit page: Skills as checkboxes, a national number, then its errors.
    app.open_ada()
    expect(page.get_by_role("group", name="Skills")).to_be_visible()
    shot("edit")
    page.get_by_role("group", name="Skills").get_by_label("Go", exact=True).check()
    app.add_row("phone_numbers").get_by_label("Phone").fill("020 7946 0099")
    page.get_by_label("Passthrough").fill("{'a': 1}")
    app.save_button().click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_text("Will be saved as")).to_be_visible()
    shot("edit-errors")
    page.get_by_label("Passthrough").fill("")
    app.review()
    expect(page.locator("tr[data-field=phone_numbers]")).to_contain_text("+442079460099")
    shot("review")
    app.confirm()
    app.expect_saved()
    shot("confirmation")
    page.get_by_role("link", name="History").click()
    expect(page.locator(".audit-changes").first).to_be_visible()
    shot("history")
    app.goto(app.url("/audit/?candidate=lovelace"))
    expect(page.locator("table.audit-table .candidate-name").first).to_have_text("Ada Lovelace")
    shot("audit-by-name")

    # Someone else changed the title meanwhile.
    app.open_ada()
    page.get_by_label("Title", exact=True).fill("Analyst")
    record = ada_record()
    record.data["title"] = "Countess of Lovelace"
    record.save()
    app.save()
    expect(page.get_by_role("heading", level=1)).to_have_text("Someone else changed this candidate")
    shot("conflict")

    # Data health: every account, one account's check, the shared addresses.
    app.goto(app.url("/health/"))
    expect(page.locator("table.health-accounts")).to_contain_text("Greenhouse (sandbox)")
    shot("health-accounts")
    app.goto(app.url(f"/accounts/{ACCOUNT}/health/?check=phone_format"))
    expect(page.get_by_label("Linked account")).to_be_visible()
    shot("health-phone-check")
    app.goto(app.url(f"/accounts/{ACCOUNT}/health/?check=duplicate_email"))
    expect(page.locator(".group-members").first).to_be_visible()
    shot("health-shared-addresses")
    app.goto(app.url(f"/accounts/{ACCOUNT}/health/?check=phone_format"))
    page.get_by_role("button", name="Apply all 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bulk job #")
    run_queued_tasks()
    page.reload()
    expect(page.get_by_text("Not started: nothing has been sent.")).to_be_visible()
    shot("bulk-job-from-data-health")

    # Bulk: the upload page, a job not started, a job done.
    app.goto(app.url("/bulk/"))
    page.get_by_label("Linked account", exact=True).select_option(ACCOUNT)
    page.get_by_label("CSV file").set_input_files(files=[{
        "name": "titles.csv", "mimeType": "text/csv",
        "buffer": b"id,title,add_phone_number\nc-0004,Staff engineer,+44 20 7946 0123\n"}])
    shot("bulk-upload")
    page.get_by_role("button", name="Check and preview").click()
    run_queued_tasks()
    page.reload()
    expect(page.get_by_role("button", name="Start: send 1 row")).to_be_visible()
    shot("bulk-job-ready")
    page.get_by_role("button", name="Start: send 1 row").click()
    run_queued_tasks()
    expect(page.get_by_role("heading", name="Status: done")).to_be_visible()
    shot("bulk-job-done")

    # Pages that say something went wrong.
    assert page.goto(app.edit_url("c-9999")).status == 404
    shot("candidate-not-found")
    assert page.goto(app.list_url("no-such-account")).status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Linked account not found")
    shot("account-not-found")
    app.open_ada()
    page.evaluate("""() => {
        const form = document.querySelector('form[data-editor]');
        const big = document.createElement('textarea');
        big.name = 'passthrough_too';
        big.value = 'x'.repeat(3 * 1024 * 1024);
        form.appendChild(big);
        HTMLFormElement.prototype.submit.call(form);
    }""")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nothing was saved")
    expect(page.get_by_text("larger than this app accepts")).to_be_visible()
    shot("too-large")
    set_faults(fail_status=503, fail_count=20, fail_methods=["GET"])
    page.goto(app.edit_url("c-0003"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Could not load this page")
    shot("stackone-error")
    assert len(shots) == 23
