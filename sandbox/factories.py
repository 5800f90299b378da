"""Tiny factories for tests that want their own sandbox rows instead of (or beside) the seed."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox.models import SandboxAccount, SandboxCandidate, SandboxCustomFieldDefinition

_sequence = itertools.count(1)
_BASE = datetime(2023, 6, 1, 12, 0, tzinfo=UTC)


def make_account(account_id: str | None = None, *, status: str = "active", **fields: Any) -> SandboxAccount:
    n = next(_sequence)
    values = {
        "id": account_id or f"acc-test-{n}",
        "provider": "greenhouse",
        "provider_name": "Greenhouse",
        "status": status,
        "label": f"Test account {n}",
        "origin_owner_id": "org-test",
        "origin_owner_name": "Test Org",
        "created_at": _BASE,
        "updated_at": _BASE,
    }
    values.update(fields)
    return SandboxAccount.objects.create(**values)


def candidate_data(**fields: Any) -> dict[str, Any]:
    """A Candidate body with every writable field present (override any of them)."""
    n = next(_sequence)
    data: dict[str, Any] = {
        "name": f"Test Person{n}",
        "first_name": "Test",
        "last_name": f"Person{n}",
        "email": f"test.person{n}@example.com",
        "emails": [{"type": "personal", "value": f"test.person{n}@example.com"}],
        "social_links": [],
        "phone": None,
        "phone_numbers": [],
        "company": None,
        "title": None,
        "application_ids": [],
        "remote_application_ids": [],
        "hired_at": None,
        "country": None,
        "custom_fields": [],
        "tags": [],
        "unified_custom_fields": None,
    }
    data.update(fields)
    return data


def make_candidate(
    account: SandboxAccount | None = None,
    candidate_id: str | None = None,
    *,
    remote_id: str | None = None,
    created_at: datetime | None = None,
    updated_at: datetime | None = None,
    **fields: Any,
) -> SandboxCandidate:
    """Create a candidate (and an account if none is given); ``fields`` override the body."""
    n = next(_sequence)
    account = account or make_account()
    created_at = created_at or _BASE + timedelta(minutes=n)
    candidate = SandboxCandidate(
        account=account,
        candidate_id=candidate_id or f"cand-test-{n}",
        remote_id=remote_id if remote_id is not None else f"remote-{n}",
        data=candidate_data(**fields),
        created_at=created_at,
        updated_at=updated_at or created_at,
    )
    candidate.save()
    return candidate


def make_custom_field_definition(account: SandboxAccount, definition_id: str, **fields: Any):
    data = {
        "id": definition_id,
        "remote_id": f"r_{definition_id}",
        "name": definition_id.replace("_", " ").title(),
        "description": None,
        "type": {"value": "text", "source_value": "text"},
        "options": None,
    }
    data.update(fields)
    position = account.custom_field_definitions.count()
    return SandboxCustomFieldDefinition.objects.create(
        account=account, definition_id=definition_id, position=position, data=data
    )


def list_rows(count: int) -> dict[str, list[dict[str, Any]]]:
    """``count`` distinct, valid rows for each of a candidate's four lists (emails, phone
    numbers, social links, custom fields): a large ATS record, for scale tests and benchmarks."""
    return {
        "emails": [{"type": "work", "value": f"person.{k}@example.com"} for k in range(count)],
        "phone_numbers": [{"type": "mobile", "phone": f"+4477009{k:05d}"} for k in range(count)],
        "social_links": [{"type": "website", "url": f"https://example.com/p/{k}"} for k in range(count)],
        "custom_fields": [
            {"id": f"cf_{k}", "remote_id": f"r_cf_{k}", "name": f"Field {k}", "value": f"value {k}",
             "value_id": None, "remote_value_id": None}
            for k in range(count)
        ],
    }
