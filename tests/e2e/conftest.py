"""Browser-test setup: Debian's Chromium through Playwright's sync API, against ``live_server``
with the seeded sandbox (the ``sandbox`` fixture in tests/conftest.py).

- ``browser_type_launch_args`` points pytest-playwright at /usr/bin/chromium (Playwright cannot
  download its own browser on this machine).
- ``DJANGO_ALLOW_ASYNC_UNSAFE``: Playwright's sync API runs an event loop in the test thread, so
  Django's ORM would otherwise refuse the test's own reads of the sandbox tables. Tests only.
- ``app``: a signed-in page with the helpers of tests/e2e/helpers.py; ``patch_log``: the PATCH
  bodies that reached the sandbox.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.e2e.helpers import TIMEOUT_MS, App, PatchLog  # noqa: E402

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (or set E2E_CHROMIUM).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """tests/e2e/artifacts/ (git-ignored): screenshots kept as CI artifacts."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"axe-core is missing at {AXE_JS}: run `npm install` in {PROJECT_ROOT}.")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def patch_log(monkeypatch: pytest.MonkeyPatch) -> PatchLog:
    """Record the JSON body of every PATCH the sandbox's update view receives.

    live_server runs in this process, so wrapping the view records what arrived over HTTP.
    Injected faults answer before the view: a faulted PATCH shows in ``stats()`` only.
    """
    import sandbox.views

    log = PatchLog()
    original = sandbox.views._update_candidate

    def recording(request, account, candidate_id):
        try:
            log.bodies.append(json.loads(request.body or b"null"))
        except ValueError:
            log.bodies.append({"<not JSON>": request.body.decode("utf-8", "replace")})
        return original(request, account, candidate_id)

    monkeypatch.setattr(sandbox.views, "_update_candidate", recording)
    return log


@pytest.fixture
def anonymous_app(
    page, sandbox, live_server, editor_user, axe_source
) -> Iterator[App]:
    """A page not signed in yet; the sandbox is seeded and the editor user exists.

    After the test, fails if a page threw an uncaught script error or the browser blocked
    something under the Content-Security-Policy (either would break the editor silently).
    """
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on("console", lambda message: problems.append(f"{page.url}: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield App(page=page, base_url=live_server.url, axe_js=axe_source)
    assert not problems, "\n".join(problems)


@pytest.fixture
def app(anonymous_app: App, editor_user) -> App:
    """A page signed in through the login form as the editor (``recruiter``)."""
    anonymous_app.sign_in(editor_user.username)
    return anonymous_app
