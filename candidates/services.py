"""Use cases. Each takes keyword-only typed arguments and returns typed values.

Errors are the ``StackOneError`` family from ``candidates.exceptions``; views map them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache

from candidates.exceptions import StackOneError
from candidates.payloads import CandidateEdit, candidate_patch_body
from candidates.stackone import StackOneClient
from candidates.types import (
    Candidate,
    CandidatePage,
    CustomFieldDefinition,
    JSONValue,
    LinkedAccount,
    UpdateResult,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateOutcome:
    """What a save did: the body sent (empty when nothing changed) and StackOne's answer."""

    body: dict[str, JSONValue]
    result: UpdateResult | None

    @property
    def changed(self) -> bool:
        return bool(self.body)


def account_list(*, client: StackOneClient) -> list[LinkedAccount]:
    """Return the linked accounts, active ones first. Raises StackOneError."""
    accounts = client.accounts_list()
    return sorted(accounts, key=lambda account: (not account.is_active, account.display_name.casefold()))


def candidate_list(
    *,
    client: StackOneClient,
    account_id: str,
    email: str | None = None,
    updated_after: date | None = None,
    page_size: int = 25,
    cursor: str | None = None,
) -> CandidatePage:
    """Return one page of candidates matching the filters. Raises StackOneError."""
    return client.candidate_list(
        account_id=account_id,
        email=email or None,
        updated_after=f"{updated_after.isoformat()}T00:00:00.000Z" if updated_after else None,
        page_size=page_size,
        cursor=cursor,
    )


DEFINITIONS_CACHE_SECONDS = 300


def custom_field_definitions(*, client: StackOneClient, account_id: str) -> list[CustomFieldDefinition]:
    """Return the account's candidate custom field definitions, cached for five minutes.

    They only feed suggestions on the edit page, so a StackOne failure returns [] rather than
    blocking the page.
    """
    key = f"stackone:cfdefs:{account_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        definitions = client.custom_field_definitions_list(account_id=account_id)
    except StackOneError as error:
        logger.warning("custom field definitions unavailable for account %s: %s", account_id, error)
        return []
    cache.set(key, definitions, DEFINITIONS_CACHE_SECONDS)
    return definitions


def candidate_get(*, client: StackOneClient, account_id: str, candidate_id: str) -> Candidate:
    """Return the candidate as StackOne holds it now. Raises StackOneNotFound, StackOneError."""
    return client.candidate_get(account_id=account_id, candidate_id=candidate_id)


def candidate_update(
    *,
    client: StackOneClient,
    account_id: str,
    candidate_id: str,
    original: Candidate,
    edit: CandidateEdit,
) -> UpdateOutcome:
    """PATCH only what ``edit`` changed against ``original``; send nothing when nothing changed.

    Returns the body sent and StackOne's result. Raises StackOneError subclasses; a
    StackOneUnavailable means the outcome of the write is unknown.
    """
    body = candidate_patch_body(original, edit)
    if not body:
        return UpdateOutcome(body={}, result=None)
    logger.info("candidate_update account=%s candidate=%s fields=%s", account_id, candidate_id, sorted(body))
    result = client.candidate_update(account_id=account_id, candidate_id=candidate_id, body=body)
    return UpdateOutcome(body=body, result=result)
