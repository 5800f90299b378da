"""Fixtures shared by the whole suite.

- ``stackone``: a strict ``responses`` mock at the HTTP edge (unused mocks fail the test).
- ``editor_user`` / ``viewer_user`` (Recruiters on every account) and signed-in Django test
  clients for each, ``auditor_client`` (an Auditor on every account: edits nothing);
  ``grant(holder, role, account_id)`` for other roles.
- ``sandbox``: the built-in sandbox served over real HTTP by ``live_server``, seeded, with the
  app's StackOne base URL pointed at it, so the same client code as production is exercised.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses
from django.contrib.auth.models import User
from django.test import Client

BASE_URL = "https://stackone.test"


@pytest.fixture
def stackone() -> Iterator[responses.RequestsMock]:
    """Strict HTTP mock for StackOne at ``https://stackone.test`` (the test settings' base URL)."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def grant(holder: Any, role: str, account_id: str = "") -> None:
    """Give ``holder`` (a user or a group) ``role`` on ``account_id`` ("": all accounts)."""
    from candidates.access import grant_add

    grant_add(holder=holder, role=role, account_id=account_id)


def _user(username: str, *, role: str) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-1")
    grant(user, role)
    return user


@pytest.fixture
def roles(db: None) -> None:
    """The role groups (a browser test's table flush removes what the migration created)."""
    from candidates.roles import roles_ensure

    roles_ensure()


@pytest.fixture
def editor_user(db: None) -> User:
    return _user("recruiter", role="Recruiter")


@pytest.fixture
def viewer_user(db: None) -> User:
    # No role views without editing: a Recruiter, who finds and views candidates (and edits).
    return _user("viewer", role="Recruiter")


@pytest.fixture
def editor_client(editor_user: User) -> Client:
    client = Client()
    client.force_login(editor_user)
    return client


@pytest.fixture
def viewer_client(viewer_user: User) -> Client:
    client = Client()
    client.force_login(viewer_user)
    return client


@pytest.fixture
def auditor_client(db: None) -> Client:
    """An Auditor on every account: reads History and the audit log, edits nothing."""
    client = Client()
    client.force_login(_user("auditor", role="Auditor"))
    return client


@pytest.fixture
def sandbox(live_server, settings, transactional_db):
    """Seed the sandbox and point the app at it over real HTTP. Yields the sandbox base URL."""
    from sandbox.faults import reset_faults, reset_stats
    from sandbox.seed import seed_sandbox

    seed_sandbox(reset=True)
    reset_faults()
    reset_stats()
    settings.STACKONE_BASE_URL = f"{live_server.url}/sandbox"
    yield settings.STACKONE_BASE_URL
    reset_faults()


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache (cached custom field definitions, rate counters)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """Browser tests inject axe-core as an inline script, which the app's CSP rightly refuses.

    So their pages bypass the CSP; tests/e2e/test_csp.py checks the policy itself in a browser
    context without the bypass.
    """
    return {**browser_context_args, "bypass_csp": True}
