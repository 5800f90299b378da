"""Use cases. Each takes keyword-only typed arguments and returns typed values.

``client`` defaults to this thread's StackOne client, so views never build one. Errors are
the ``StackOneError`` family from ``candidates.exceptions``, whose error map views read.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache

from candidates.audit import audit_conflict, audit_token_unused
from candidates.editor.compare import changed_between, clashing_fields, field_values
from candidates.editor.field_meta import read_only_fields
from candidates.editor.payloads import CandidateEdit, candidate_patch_body
from candidates.exceptions import StackOneError, StackOneNotFound, StackOneUnavailable
from candidates.metrics import save_observed
from candidates.signals import announce, candidate_gone
from candidates.stackone import StackOneClient, stackone_client
from candidates.types import (
    AccountMeta,
    Candidate,
    CandidatePage,
    CustomFieldDefinition,
    JSONValue,
    LinkedAccount,
    UpdateResult,
)
from candidates.writes import candidate_write

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateOutcome:
    """What a save did: the body sent (empty when nothing changed), StackOne's answer, the
    candidate as read back afterwards, fields it did not apply, and fields others changed."""

    body: dict[str, JSONValue]
    result: UpdateResult | None = None
    current: Candidate | None = None
    not_applied: tuple[str, ...] = ()
    others_changed: tuple[str, ...] = ()


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


def account_list(*, client: StackOneClient | None = None) -> list[LinkedAccount]:
    """Return the linked accounts, active ones first (their status is remembered for
    ``account_active``). Raises StackOneError."""
    accounts = (client or stackone_client()).accounts_list()
    cache.set_many({_active_key(account.id): account.is_active for account in accounts}, ACTIVE_CACHE_SECONDS)
    return sorted(accounts, key=lambda account: (not account.is_active, account.display_name.casefold()))


ACTIVE_CACHE_SECONDS = 60
UNKNOWN = "unknown"
ACCOUNTS_KEY = "stackone:accounts"


def account_list_recent(*, client: StackOneClient | None = None) -> list[LinkedAccount]:
    """Return the linked accounts as ``account_list`` does, read from StackOne at most once a
    minute (for pages that only name accounts: data health's overview and switcher). Raises
    StackOneError."""
    accounts = cache.get(ACCOUNTS_KEY)
    if accounts is None:
        accounts = account_list(client=client)
        cache.set(ACCOUNTS_KEY, accounts, ACTIVE_CACHE_SECONDS)
    return list(accounts)


def _account_key(kind: str, account_id: str) -> str:
    """Return the cache key of ``kind`` for an account: its id hashed, since an id may hold what a
    cache key must not (a control character from a hostile URL, or 255 characters, past memcached's
    250)."""
    return f"stackone:{kind}:{hashlib.sha256(account_id.encode()).hexdigest()[:32]}"


def _active_key(account_id: str) -> str:
    return _account_key("active", account_id)


def account_active(*, client: StackOneClient | None = None, account_id: str) -> bool | None:
    """Return whether the linked account is active (only an active one can be synced; one
    StackOne no longer lists is not), cached for a minute; None when StackOne cannot say
    (callers then act as if it were)."""
    cached = cache.get(_active_key(account_id))
    if cached is not None:
        return None if cached == UNKNOWN else bool(cached)
    try:
        active = (client or stackone_client()).account_get(account_id=account_id).is_active
    except StackOneNotFound:
        active = False  # no longer linked: nothing to sync either
    except StackOneError as error:
        logger.warning("linked account %s unavailable: %s", account_id, error.log_text)
        cache.set(_active_key(account_id), UNKNOWN, ACTIVE_CACHE_SECONDS)  # one try a minute, not a page
        return None
    cache.set(_active_key(account_id), active, ACTIVE_CACHE_SECONDS)
    return active


def account_known(*, client: StackOneClient | None = None, account_id: str) -> bool | None:
    """Return False when StackOne has no linked account ``account_id`` (404), True when it has
    one (active or not), None when it cannot say. Read on the way to a "not found" page only."""
    try:
        (client or stackone_client()).account_get(account_id=account_id)
    except StackOneNotFound:
        return False
    except StackOneError as error:
        logger.warning("linked account %s unavailable: %s", account_id, error.log_text)
        return None
    return True


# What the candidate list shows (its link, name, email, title, company and last update): a page
# of whole candidates with their custom fields is about 7 times larger (docs/benchmarks.md).
LIST_PAGE_FIELDS = ("id", "name", "first_name", "last_name", "email", "title", "company", "updated_at")


def candidate_list(
    *,
    client: StackOneClient | None = None,
    account_id: str,
    email: str | None = None,
    updated_after: date | None = None,
    page_size: int = 25,
    cursor: str | None = None,
) -> CandidatePage:
    """Return one page of candidates matching the filters, holding only what the list shows
    (``LIST_PAGE_FIELDS``). Raises StackOneError."""
    return (client or stackone_client()).candidate_list(
        account_id=account_id,
        email=email or None,
        updated_after=f"{updated_after.isoformat()}T00:00:00.000Z" if updated_after else None,
        page_size=page_size,
        cursor=cursor,
        fields=LIST_PAGE_FIELDS,
    )


DEFINITIONS_CACHE_SECONDS = 300


def custom_field_definitions(*, client: StackOneClient | None = None, account_id: str,
                             strict: bool = False) -> list[CustomFieldDefinition]:
    """Return the account's candidate custom field definitions, cached for five minutes.

    On the edit page they only feed its field pickers, so a StackOne failure returns [] rather
    than blocking the page; ``strict`` (a bulk file naming custom fields) raises StackOneError
    instead.
    """
    key = _definitions_key(account_id)
    cached = cache.get(key)
    if cached is not None:
        return cached
    try:
        definitions = (client or stackone_client()).custom_field_definitions_list(account_id=account_id)
    except StackOneError as error:
        logger.warning("custom field definitions unavailable for account %s: %s", account_id, error.log_text)
        if strict:
            raise
        return []
    cache.set(key, definitions, DEFINITIONS_CACHE_SECONDS)
    return definitions


def _definitions_key(account_id: str) -> str:
    return _account_key("cfdefs", account_id)


def custom_field_definitions_cached(*, account_id: str) -> list[CustomFieldDefinition]:
    """Return the account's definitions when a page read them in the last five minutes, else []:
    for pages that only name custom fields (History, the audit log) and must not wait on StackOne."""
    return cache.get(_definitions_key(account_id)) or []


META_UNAVAILABLE_SECONDS = 60


def account_meta(*, client: StackOneClient | None = None, account_id: str) -> AccountMeta | None:
    """Return the account's meta (which candidate fields its connector accepts), cached for five
    minutes; None when StackOne cannot say (then every field stays editable).

    An unavailable meta is remembered for a minute, so an API without it costs one request a
    minute rather than one a page.
    """
    key = _account_key("meta", account_id)
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # False: remembered as unavailable
    try:
        meta = (client or stackone_client()).account_meta_get(account_id=account_id)
    except StackOneError as error:
        logger.warning("account meta unavailable for account %s: %s", account_id, error.log_text)
        cache.set(key, False, META_UNAVAILABLE_SECONDS)
        return None
    cache.set(key, meta, DEFINITIONS_CACHE_SECONDS)
    return meta


def editor_options(*, account_id: str) -> dict[str, Any]:
    """Return the CandidateEditor keyword arguments for an account: its custom field definitions
    and the fields its ATS does not accept (both cached; unavailable means none), and its id (its
    default phone region)."""
    return {
        "definitions": custom_field_definitions(account_id=account_id),
        "read_only": read_only_fields(account_meta(account_id=account_id)),
        "account_id": account_id,
    }


def candidate_get(*, client: StackOneClient | None = None, account_id: str, candidate_id: str) -> Candidate:
    """Return the candidate as StackOne holds it now. Raises StackOneNotFound (and the candidate
    leaves the directory at once), StackOneError."""
    try:
        return (client or stackone_client()).candidate_get(account_id=account_id, candidate_id=candidate_id)
    except StackOneNotFound:
        announce(candidate_gone, account_id=account_id, candidate_id=candidate_id)  # gone from search too
        raise


def candidate_update(
    *,
    client: StackOneClient | None = None,
    user: Any,
    account_id: str,
    candidate_id: str,
    original: Candidate,
    edit: CandidateEdit,
    form_token: str | None = None,
    reverts: int | None = None,
) -> UpdateOutcome:
    """Save what ``edit`` changed against ``original`` (the candidate as the user loaded it).
    ``reverts``: the audit entry this save reverts (History's "Revert this change"), linked in
    the audit.

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
    client = client or stackone_client()
    audit_token_unused(form_token)
    try:
        current = client.candidate_get(account_id=account_id, candidate_id=candidate_id)
    except StackOneUnavailable as error:
        # Unlike a failed PATCH, nothing was sent: the user must not be told it may have been saved.
        raise CandidateNotSent(error) from error
    others = changed_between(original, current)
    clashes = clashing_fields(body, before=field_values(original), current=current)
    if clashes:
        entry = audit_conflict(user=user, account_id=account_id, candidate_id=candidate_id, original=original,
                               body=body, clashes=clashes, reverts=reverts)
        save_observed(source=entry.source, outcome=entry.outcome)
        raise CandidateConflict(current=current, fields=clashes, body=body)
    written = candidate_write(client=client, user=user, account_id=account_id, candidate_id=candidate_id,
                              original=original, body=body, form_token=form_token, others_changed=others,
                              reverts=reverts)
    if written.error is not None:
        raise written.error
    return UpdateOutcome(body=body, result=written.result, current=written.current,
                         not_applied=written.not_applied, others_changed=tuple(others))
