"""Sign-in with a real OpenID Provider: the npm package oidc-provider (tests/oidc/provider.mjs),
started on a loopback port with a test client and two users in different groups. Chromium goes
through the app's "Sign in with …" button, the provider's own login and consent pages, and back;
the user lands on the accounts page with exactly the accounts their groups grant. After a group
change in the provider, the next sign-in loses the account."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from candidates.models import AuditEntry, SignInIdentity
from sandbox.seed import GREENHOUSE, LEVER, WORKABLE
from stackone_admin.oidc import provider_metadata
from stackone_admin.oidc_grants import grants_mapping
from tests.e2e.helpers import TIMEOUT_MS

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PROVIDER = ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "candidate-admin", "test-only-client-secret"
GRANTS = {
    "ats-greenhouse": {"role": "Recruiter", "accounts": [GREENHOUSE]},
    "ats-lever": {"role": "Recruiter", "accounts": [LEVER]},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Provider:
    """The running oidc-provider and its users file."""

    def __init__(self, issuer: str, users: Path) -> None:
        self.issuer, self.users = issuer, users

    def set_groups(self, username: str, groups: list[str]) -> None:
        data = json.loads(self.users.read_text())
        data[username]["groups"] = groups
        self.users.write_text(json.dumps(data))


@pytest.fixture
def oidc_provider(live_server: Any, sandbox: str, settings: Any, tmp_path: Path) -> Iterator[Provider]:
    if not (ROOT / "node_modules" / "oidc-provider").is_dir() or shutil.which("node") is None:
        pytest.fail("oidc-provider is missing: run `npm install` (make test does) with Node.js installed.")
    port = _free_port()
    users = tmp_path / "users.json"
    users.write_text(json.dumps({
        "alice": {"name": "Alice Archer", "email": "alice@example.com",
                  "groups": ["ats-greenhouse", "ats-lever"]},
        "bob": {"name": "Bob Baker", "email": "bob@example.com", "groups": ["ats-lever"]},
    }))
    log = tmp_path / "provider.log"
    env = {"PATH": os.environ.get("PATH", ""), "OIDC_PORT": str(port), "OIDC_CLIENT_ID": CLIENT_ID,
           "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_USERS_FILE": str(users),
           "OIDC_REDIRECT_URI": f"{live_server.url}/login/oidc/callback/"}
    with log.open("w") as out:
        process = subprocess.Popen(["node", str(PROVIDER)], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while "ready" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"oidc-provider did not start:\n{log.read_text()}")
            time.sleep(0.05)
        issuer = f"http://127.0.0.1:{port}"
        settings.OIDC_ISSUER = issuer
        settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
        settings.OIDC_RP_SCOPES = "openid email profile groups"
        settings.OIDC_PROVIDER_NAME = "Test IdP"
        settings.OIDC_GRANTS = grants_mapping(GRANTS)
        provider_metadata.cache_clear()
        yield Provider(issuer, users)
    finally:
        process.terminate()
        process.wait(timeout=10)
        provider_metadata.cache_clear()


def _sign_in(page: Page, base_url: str, username: str, *, provider_pages: bool) -> None:
    """Through the app's button; the provider's login and consent pages when it shows them
    (its session and the consent given are remembered for the second sign-in)."""
    page.goto(f"{base_url}/login/")
    page.get_by_role("link", name="Sign in with Test IdP").click()
    if provider_pages:
        expect(page.get_by_role("heading", name="Sign-in")).to_be_visible()
        page.locator("input[name=login]").fill(username)
        page.locator("input[name=password]").fill("any password: devInteractions check none")
        page.get_by_role("button", name="Sign-in").click()
        expect(page.get_by_role("heading", name="Authorize")).to_be_visible()
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/accounts/")


def _accounts_listed(page: Page) -> list[str]:
    return sorted(page.locator("table.data-table tbody code").all_inner_texts())


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def test_signing_in_with_the_provider_grants_its_groups_accounts_and_a_group_change_takes_one_away(
        page: Page, live_server: Any, oidc_provider: Provider, browser: Any) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    base = live_server.url
    _sign_in(page, base, "alice", provider_pages=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Linked accounts")
    assert _accounts_listed(page) == sorted([GREENHOUSE, LEVER])  # not WORKABLE: no group grants it
    identity = SignInIdentity.objects.get(subject="alice")
    assert (identity.issuer, identity.user.username, identity.groups) == (
        oidc_provider.issuer, "alice", ["ats-greenhouse", "ats-lever"])

    # Removed from a group in the provider: gone at the next sign-in.
    oidc_provider.set_groups("alice", ["ats-greenhouse"])
    _sign_out(page)
    _sign_in(page, base, "alice", provider_pages=False)
    assert _accounts_listed(page) == [GREENHOUSE]
    assert page.goto(f"{base}/accounts/{LEVER}/candidates/").status == 404
    assert WORKABLE not in page.content()

    # Another user, other groups, in a browser of their own.
    context = browser.new_context()
    try:
        other = context.new_page()
        other.set_default_timeout(TIMEOUT_MS)
        _sign_in(other, base, "bob", provider_pages=True)
        assert _accounts_listed(other) == [LEVER]
    finally:
        context.close()
    assert not AuditEntry.objects.exists()
