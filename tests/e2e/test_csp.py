"""The Content-Security-Policy as Chromium enforces it: no page of ours or of Django admin triggers a
violation, and the editor's script still works under it.

Unlike the other browser tests (whose pages bypass the CSP so axe-core can be injected), this
one opens its own browser context with the policy enforced.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import ACCOUNT, ADA, TIMEOUT_MS

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `in ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def enforced(browser, sandbox, live_server, admin_user) -> Iterator[tuple[Any, list[str]]]:
    """A signed-in superuser's page with the CSP enforced; yields it and the console's CSP errors."""
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto("/login/")
    page.get_by_label("Username").fill(admin_user.username)
    page.get_by_label("Password").fill("password")  # pytest-django's admin_user
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/")
    try:
        yield page, console
    finally:
        context.close()


PAGES = [
    "/accounts/",
    f"/accounts/{ACCOUNT}/candidates/",
    f"/accounts/{ACCOUNT}/candidates/{ADA}/",
    f"/accounts/{ACCOUNT}/candidates/{ADA}/history/",
    "/audit/",
    "/admin/",
    "/admin/auth/user/",
    "/admin/auth/user/add/",
    "/admin/auth/group/add/",
    "/admin/candidates/auditentry/",
]


def test_no_page_triggers_a_csp_violation(enforced: tuple[Any, list[str]]) -> None:
    page, console = enforced
    seen: dict[str, list[str]] = {}
    for path in PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        seen[path] = page.evaluate("() => window.__cspViolations || []")

    assert {path: found for path, found in seen.items() if found} == {}
    assert console == []


def test_the_editor_script_runs_under_the_csp(enforced: tuple[Any, list[str]]) -> None:
    page, console = enforced
    page.goto(f"/accounts/{ACCOUNT}/candidates/{ADA}/")
    emails = page.locator("#formset-emails [data-formset-row]")
    before = emails.count()

    page.locator("#formset-emails").get_by_role("button", name="Add emails row").click()

    expect(emails).to_have_count(before + 1)
    assert page.evaluate("() => window.__cspViolations || []") == []
    assert console == []


def test_an_inline_script_is_refused_by_the_browser(enforced: tuple[Any, list[str]]) -> None:
    """The policy is really enforced: what an injection would add does not run."""
    page, _console = enforced
    page.goto("/accounts/")

    page.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.appendChild(script);
    }""")

    # The violation report is queued as an event; wait for it, then check the script never ran.
    page.wait_for_function("() => (window.__cspViolations || []).length > 0")
    assert page.evaluate("() => window.__ran === true") is False
    assert any(v.startswith("script-src") for v in page.evaluate("() => window.__cspViolations"))
