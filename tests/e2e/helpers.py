"""Helpers shared by the browser tests: URLs, sign-in, the sandbox banner, axe-core, sandbox reads."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import expect

from sandbox.faults import stats
from sandbox.models import SandboxCandidate

ACCOUNT = "sbx-greenhouse"
ADA = "c-0001"
PASSWORD = "pw-for-tests-1"  # tests/conftest.py creates editor_user with it
BANNER = "Sandbox — not connected to StackOne"
UNKNOWN_OUTCOME = "StackOne did not confirm the save; it may or may not have been applied"
# Playwright waits at most this long for an element or a navigation (its default is 30 s).
TIMEOUT_MS = 10_000


@dataclass
class PatchLog:
    """The JSON bodies of the PATCH requests that reached the sandbox's update view, in order."""

    bodies: list[Any] = field(default_factory=list)


@dataclass
class App:
    page: Any
    base_url: str
    axe_js: str

    # -- URLs ---------------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def list_url(self, account: str = ACCOUNT) -> str:
        return self.url(f"/accounts/{account}/candidates/")

    def edit_url(self, candidate: str = ADA, account: str = ACCOUNT) -> str:
        return self.url(f"/accounts/{account}/candidates/{candidate}/")

    # -- actions ------------------------------------------------------------------------------

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"GET {url} answered {response and response.status}"
        self.expect_banner()

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.goto(self.url("/login/"))
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page, "sign-in failed: still on the login page").not_to_have_url(re.compile(r"/login/"))
        self.expect_banner()

    def open_ada(self) -> None:
        self.goto(self.edit_url())
        expect(self.page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")

    def expect_banner(self) -> None:
        """The sandbox banner is on every page, so nobody mistakes the demo for the real ATS."""
        expect(self.page.get_by_text(BANNER)).to_be_visible()

    # -- the edit page ------------------------------------------------------------------------

    def formset(self, name: str) -> Any:
        """The fieldset of one list field: emails, phone_numbers, social_links, custom_fields."""
        return self.page.locator(f"#formset-{name}")

    def rows(self, name: str) -> Any:
        return self.formset(name).locator("[data-formset-row]")

    def add_row(self, name: str) -> Any:
        """Press the list's "Add row" and return the row it added, once it is there (the page
        fetches the list's new row the first time)."""
        rows = self.rows(name)
        count = rows.count()
        legend = {"phone_numbers": "phone numbers", "social_links": "social links",
                  "custom_fields": "custom fields"}.get(name, name)
        self.formset(name).get_by_role("button", name=f"Add {legend} row").click()
        expect(rows).to_have_count(count + 1)
        return rows.nth(count)

    def custom_field_row(self, field_id: str) -> Any:
        # A stored row of a defined field names it in data-custom-field (its ids are text there).
        fixed = self.page.locator(
            f'#formset-custom_fields [data-formset-row][data-custom-field="{field_id}"]'
        )
        return fixed.or_(self.rows("custom_fields").filter(
            has=self.page.locator(f'input[name$="-id"][value="{field_id}"]')))

    def field_errors(self, input_id: str) -> Any:
        """The error messages shown in the same field box as the input ``#input_id``."""
        return self.page.locator(".field", has=self.page.locator(f"#{input_id}")).locator(".field-error")

    def save_button(self) -> Any:
        """The button that submits the current form: "Review changes" / "Save changes" on the
        edit page, "Confirm and save" on the review page."""
        return self.page.locator("button[data-save]")

    # -- saving: edit → review → confirm (the review step is on by default, per user) ---------

    def review(self) -> None:
        """Press "Review changes" on the edit page and land on the review page (nothing sent yet)."""
        expect(self.save_button()).to_have_text("Review changes")
        self.save_button().click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Review changes to "))
        self.expect_banner()

    def reviewed_fields(self) -> list[str]:
        """The API field names the review page says will change, in its order."""
        return self.page.locator("table.review-table tbody tr[data-field]").evaluate_all(
            "rows => rows.map((row) => row.dataset.field)"
        )

    def confirm(self) -> None:
        """Press "Confirm and save" on the review page (does not wait for the outcome)."""
        self.page.get_by_role("button", name="Confirm and save").click()

    def save(self) -> None:
        """Review, then confirm: the whole save as a recruiter does it."""
        self.review()
        self.confirm()

    def expect_saved(self) -> None:
        expect(self.page.get_by_role("heading", name="Saved in StackOne")).to_be_visible()
        self.expect_banner()

    def set_review_step(self, on: bool) -> None:
        """Switch the user's "review before saving" preference from the edit page's side panel."""
        name = "Turn on the review step" if on else "Turn off the review step"
        self.page.get_by_role("button", name=name).click()
        expect(self.save_button()).to_have_text("Review changes" if on else "Save changes")
        self.expect_banner()

    # -- accessibility ------------------------------------------------------------------------

    def axe_violations(self, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict[str, Any]]:
        if not self.page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the DevTools protocol: the app's Content-Security-Policy
            # (script-src 'self') rightly blocks an injected inline <script>, and stays on.
            self.page.evaluate(self.axe_js)
        results = self.page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        return [v for v in results["violations"] if v.get("impact") in impacts]

    def assert_accessible(self, label: str) -> None:
        violations = self.axe_violations()
        assert not violations, f"axe-core on the {label} page ({self.page.url}):\n" + describe_violations(
            violations
        )


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})"
        )
        for node in violation["nodes"][:8]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(violation["nodes"]) > 8:
            lines.append(f"    … and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def ada_record() -> Any:
    """Ada as the sandbox stores her now (read straight from the sandbox's table)."""
    return SandboxCandidate.objects.get(account_id=ACCOUNT, candidate_id=ADA)


def patch_count() -> int:
    """PATCH requests the sandbox received since the fixture reset its statistics (faulted or not)."""
    return stats()["by_method"].get("PATCH", 0)


def wait_until(predicate: Any, *, timeout: float = 5.0, interval: float = 0.1) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds have passed; return its last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return bool(value)
        time.sleep(interval)
