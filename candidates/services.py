"""Use cases. Each takes keyword-only typed arguments and returns typed values.

Errors are the ``StackOneError`` family from ``candidates.exceptions``; views map them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache

from candidates.audit import audit_conflict, audit_failed, audit_saved, audit_start, audit_token_unused
from candidates.compare import changed_between, not_applied
from candidates.directory.sync import directory_after_save
from candidates.exceptions import StackOneError, StackOneUnavailable
from candidates.models import AuditEntry
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
READ_BACK_FAILED = "(read-back failed: could not verify)"


@dataclass(frozen=True)
class UpdateOutcome:
    """What a save did: the body sent (empty when nothing changed), StackOne's answer, the
    candidate as read back afterwards, fields it did not apply, and fields others changed."""

    body: dict[str, JSONValue]
    result: UpdateResult | None = None
    current: Candidate | None = None
    not_applied: tuple[str, ...] = ()
    others_changed: tuple[str, ...] = ()
    audit_entry: AuditEntry | None = None

    @property
    def changed(self) -> bool:
        return bool(self.body)


class CandidateNotSent(Exception):
    """The read before the save failed (no answer, 5xx): nothing was sent, so the outcome is known."""

    def __init__(self, error: StackOneError) -> None:
        self.error = error
        super().__init__(f"not sent: the check before the save failed: {error}")


class CandidateConflict(Exception):
    """Someone changed, in StackOne, a field the user also changed: nothing was sent."""

    def __init__(self, *, current: Candidate, fields: list[str], body: dict[str, JSONValue]) -> None:
        self.current = current
        self.fields = fields
        self.body = body  # what would have been sent
        super().__init__("changed meanwhile in StackOne: " + ", ".join(fields))


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
    user: Any,
    account_id: str,
    candidate_id: str,
    original: Candidate,
    edit: CandidateEdit,
    form_token: str | None = None,
) -> UpdateOutcome:
    """Save what ``edit`` changed against ``original`` (the candidate as the user loaded it).

    Reads the candidate again first: fields someone else changed that the user did not touch
    are left alone (only the user's fields are sent); a field both changed stops the save.
    The audit row is written before the PATCH and completed after it; after a success the
    candidate is read back and fields the ATS did not apply are reported.

    Returns the outcome (an empty body when nothing changed: nothing is sent). Raises
    CandidateConflict (nothing sent), CandidateNotSent (the read before the save got no
    answer: nothing sent), DuplicateSubmission (the form was already submitted),
    and StackOneError subclasses (StackOneUnavailable: the outcome is unknown).
    """
    body = candidate_patch_body(original, edit)
    if not body:
        return UpdateOutcome(body={})
    audit_token_unused(form_token)
    try:
        current = client.candidate_get(account_id=account_id, candidate_id=candidate_id)
    except StackOneUnavailable as error:
        # Unlike a failed PATCH, nothing was sent: the user must not be told it may have been saved.
        raise CandidateNotSent(error) from error
    others = changed_between(original, current)
    # Someone else having made the very same change is no conflict.
    differing = set(not_applied(body, current))
    clashes = [name for name in body if name in others and name in differing]
    if clashes:
        audit_conflict(user=user, account_id=account_id, candidate_id=candidate_id, original=original,
                       body=body, clashes=clashes)
        raise CandidateConflict(current=current, fields=clashes, body=body)
    entry = audit_start(user=user, account_id=account_id, candidate_id=candidate_id, original=original,
                        body=body, form_token=form_token)
    started = time.monotonic()
    logger.info("candidate_update account=%s candidate=%s fields=%s", account_id, candidate_id, sorted(body))
    try:
        result = client.candidate_update(account_id=account_id, candidate_id=candidate_id, body=body)
    except StackOneError as error:
        audit_failed(entry, error=error, started=started)
        raise
    read_back, missing = _read_back(client, account_id, candidate_id, body)
    directory_after_save(account_id=account_id, candidate_id=candidate_id, body=body, read_back=read_back,
                         base=current)
    audit_saved(entry, result=result, warnings=missing, started=started, others_changed=others)
    return UpdateOutcome(body=body, result=result, current=read_back, not_applied=tuple(missing),
                         others_changed=tuple(others), audit_entry=entry)


def _read_back(client: StackOneClient, account_id: str, candidate_id: str,
               body: dict[str, JSONValue]) -> tuple[Candidate | None, list[str]]:
    """Return the candidate as now held and the sent fields it does not hold.

    A failed read does not undo a confirmed save: it is reported as "could not verify".
    """
    try:
        now = client.candidate_get(account_id=account_id, candidate_id=candidate_id)
    except StackOneError as error:
        logger.warning("read-back after save failed for %s: %s", candidate_id, error)
        return None, [READ_BACK_FAILED]
    return now, not_applied(body, now)
