"""Directory sync fixtures: the sandbox with a full budget, small pages (64 Greenhouse
candidates = 7 pages of 10), and helpers to change the sandbox's candidates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.bulk.conftest import OPS_PASSWORD, ops_client, ops_user  # noqa: F401  (fixtures by name)
from tests.e2e.conftest import (  # noqa: F401  (the browser test's fixtures, found by name)
    anonymous_app,
    artifacts_dir,
    axe_source,
    browser_type_launch_args,
)

ACCOUNT = "sbx-greenhouse"
PAGE_SIZE = 10
PAGES = 7  # 64 candidates


@pytest.fixture
def synced_sandbox(sandbox, settings) -> Iterator[str]:
    """The sandbox, pages of 10, a full StackOne budget, the directory on. Yields the base URL."""
    from candidates.budget import budget_reset

    settings.STACKONE_SYNC_PAGE_SIZE = PAGE_SIZE
    settings.CANDIDATE_DIRECTORY = True
    budget_reset()
    yield sandbox
    budget_reset()


def sandbox_change(candidate_id: str, *, account_id: str = ACCOUNT, when: datetime | None = None,
                   **data: Any) -> None:
    """Change a sandbox candidate's fields as someone in the ATS would (updated_at moves on)."""
    from sandbox.models import SandboxCandidate

    row = SandboxCandidate.objects.get(account_id=account_id, candidate_id=candidate_id)
    row.data = {**row.data, **data}
    row.updated_at = when or timezone.now()
    row.save()


def list_calls() -> int:
    """How many candidate list requests the sandbox has answered since its stats were reset."""
    from sandbox.faults import stats

    return stats()["by_route"].get("list_candidates", 0)
