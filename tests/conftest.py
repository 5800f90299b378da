"""Fixtures shared by the whole suite.

- ``stackone``: a strict ``responses`` mock at the HTTP edge (unused mocks fail the test).
- ``editor_user`` / ``viewer_user`` and signed-in Django test clients for each.
- ``sandbox``: the built-in sandbox served over real HTTP by ``live_server``, seeded, with the
  app's StackOne base URL pointed at it, so the same client code as production is exercised.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses
from django.contrib.auth.models import Permission, User
from django.test import Client

BASE_URL = "https://stackone.test"


@pytest.fixture
def stackone() -> Iterator[responses.RequestsMock]:
    """Strict HTTP mock for StackOne at ``https://stackone.test`` (the test settings' base URL)."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def _user(username: str, *, can_edit: bool) -> User:
    user = User.objects.create_user(username=username, password="pw-for-tests-1")
    codenames = ["view_candidates", "edit_candidates"] if can_edit else ["view_candidates"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def roles(db: None) -> None:
    """The role groups (a browser test's table flush removes what the migration created)."""
    from candidates.roles import roles_ensure

    roles_ensure()


@pytest.fixture
def editor_user(db: None) -> User:
    return _user("recruiter", can_edit=True)


@pytest.fixture
def viewer_user(db: None) -> User:
    return _user("viewer", can_edit=False)


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
