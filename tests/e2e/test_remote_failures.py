"""When StackOne fails during a save, the recruiter is told the outcome is unknown and loses nothing.

A PATCH is never retried after a 5xx or a timeout (it may have been applied), so the sandbox
sees exactly one PATCH in both cases.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from sandbox.faults import set_faults
from tests.e2e.helpers import (
    UNKNOWN_OUTCOME,
    App,
    PatchLog,
    ada_record,
    patch_count,
    wait_until,
)

pytestmark = pytest.mark.e2e

ADDED_EMAIL = "ada.king@example.org"


def _type_changes(app: App) -> None:
    """Edit a scalar, a script-added list row and a custom field value."""
    page = app.page
    page.get_by_label("Last name", exact=True).fill("King")
    added = app.add_row("emails")
    added.get_by_label("Type").fill("other")
    added.get_by_label("Value").fill(ADDED_EMAIL)
    app.custom_field_row("cf_notice_period").get_by_label("Notice period (days)").fill("45")


def _expect_unknown_outcome_with_values_kept(app: App) -> None:
    page = app.page
    alert = page.get_by_role("alert").filter(has_text=UNKNOWN_OUTCOME)
    expect(alert).to_be_visible()
    expect(alert.get_by_role("link", name="Reload the candidate")).to_have_attribute(
        "href", app.edit_url().removeprefix(app.base_url)
    )
    expect(page.locator("section.confirmation")).to_have_count(0)
    app.expect_banner()
    expect(page.get_by_label("Last name", exact=True)).to_have_value("King")
    expect(app.rows("emails").last.get_by_label("Value")).to_have_value(ADDED_EMAIL)
    expect(app.custom_field_row("cf_notice_period").get_by_label("Notice period (days)")).to_have_value("45")
    expect(app.save_button()).to_be_enabled()


def test_remote_500_on_save_says_outcome_unknown_and_keeps_the_form(app: App, patch_log: PatchLog) -> None:
    app.open_ada()
    set_faults(fail_status=500, fail_count=1, fail_methods=["PATCH"])
    _type_changes(app)
    app.save()

    _expect_unknown_outcome_with_values_kept(app)
    assert patch_count() == 1, "a PATCH answered 500 must not be retried"
    assert patch_log.bodies == [], "the fault answered before the sandbox applied anything"
    assert ada_record().data["last_name"] == "Lovelace"


def test_remote_timeout_on_save_says_outcome_unknown_and_keeps_the_form(
    app: App, patch_log: PatchLog, settings
) -> None:
    app.open_ada()
    settings.STACKONE_TIMEOUT = 1.0  # the client's read timeout; its cached config clears on change
    set_faults(timeout_count=1, timeout_seconds=2.0, fail_methods=["PATCH"])
    _type_changes(app)
    app.save()

    _expect_unknown_outcome_with_values_kept(app)
    assert patch_count() == 1, "a PATCH that timed out must not be retried"
    # The slow sandbox applies the change after the app gave up: "may or may not have been
    # applied" is the truth. Wait for it so no request is still running at teardown.
    assert wait_until(lambda: ada_record().data["last_name"] == "King", timeout=5), (
        "the sandbox should apply the PATCH once its injected delay is over"
    )
    assert len(patch_log.bodies) == 1
