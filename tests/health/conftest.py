"""Data-health fixtures: the Ops user and browser fixtures of the bulk tests, and ``index_sandbox``
(what the directory sync will do: each sandbox candidate → its directory row and findings)."""

from __future__ import annotations

from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryEntry
from candidates.health.store import health_index
from candidates.types import Candidate, CustomFieldDefinition
from sandbox.models import SandboxAccount, SandboxCandidate
from sandbox.store import custom_field_definitions, serialize_candidate
from tests.bulk.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    ACCOUNT,
    anonymous_app,
    artifacts_dir,
    axe_source,
    browser_type_launch_args,
    ops_client,
    ops_user,
    patch_log,
)


def sandbox_candidates(account_id: str = ACCOUNT) -> list[Candidate]:
    return [
        Candidate.from_api(serialize_candidate(row, include_custom_fields=True))
        for row in SandboxCandidate.objects.filter(account_id=account_id).order_by("candidate_id")
    ]


def index_sandbox(account_id: str = ACCOUNT) -> list[Candidate]:
    """Fill the directory rows and the findings of the account's sandbox candidates."""
    candidates = sandbox_candidates(account_id)
    for candidate in candidates:
        DirectoryEntry.objects.update_or_create(
            account_id=account_id, candidate_id=candidate.id, defaults=entry_fields(candidate)
        )
    definitions = [
        CustomFieldDefinition.from_api(d)
        for d in custom_field_definitions(SandboxAccount.objects.get(pk=account_id))
    ]
    health_index(account_id=account_id, candidates=candidates, definitions=definitions)
    return candidates


def sandbox_set(candidate_id: str, account_id: str = ACCOUNT, **fields: object) -> None:
    """Change stored fields of a sandbox candidate (bad data to find)."""
    row = SandboxCandidate.objects.get(account_id=account_id, candidate_id=candidate_id)
    row.data = {**row.data, **fields}
    row.save(update_fields=["data"])
