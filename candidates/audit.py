"""The audit trail of save attempts: written before the request, completed after it."""

from __future__ import annotations

import time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from candidates.editor.compare import body_changes
from candidates.exceptions import StackOneError
from candidates.models import AuditEntry, SignInIdentity
from candidates.request_ids import request_id_get
from candidates.stackone_config import stackone_config
from candidates.types import Candidate, JSONValue, UpdateResult

ID_NOT_ECHOED = "StackOne did not echo the candidate id; recorded with the id the request was sent to."


class DuplicateSubmission(Exception):
    """The form's one-time token was already used; ``entry`` is the first attempt."""

    def __init__(self, entry: AuditEntry) -> None:
        self.entry = entry
        super().__init__(f"form already submitted (audit entry {entry.pk})")


def audit_actor(user: Any, username: str = "") -> tuple[Any, str]:
    """Return the user row to link (None for anonymous or none) and the name kept with it
    (``username`` when there is no user: a command-line job's "cli:<login>")."""
    if not getattr(user, "pk", None):
        return None, username
    return user, getattr(user, "username", "") or username


def audit_identity(user: Any) -> tuple[str, str]:
    """Return the identity provider's (issuer, subject) of a user who signs in with OpenID
    Connect, ("", "") for anyone else. Read once per user object (the relation caches it)."""
    if user is None:
        return "", ""
    try:
        identity = user.sign_in_identity
    except SignInIdentity.DoesNotExist:
        return "", ""
    return identity.issuer, identity.subject


def audit_attempt_lost(entry: AuditEntry) -> bool:
    """Return True when ``entry`` never completed and is older than the client's total timeout:
    the process stopped mid-save (a crash, a restart), so it cannot still be running."""
    if entry.completed_at is not None:
        return False
    return (timezone.now() - entry.created_at).total_seconds() > stackone_config().total_timeout


def audit_token_unused(form_token: str | None) -> None:
    """Raise DuplicateSubmission when a save was already attempted with ``form_token``."""
    if form_token:
        first = AuditEntry.objects.filter(form_token=form_token).first()
        if first is not None:
            raise DuplicateSubmission(first)


def audit_start(
    *,
    user: Any,
    account_id: str,
    candidate_id: str,
    original: Candidate | None,
    body: dict[str, JSONValue],
    source: str = "edit",
    form_token: str | None = None,
    username: str = "",
    reverts: int | None = None,
) -> AuditEntry:
    """Write the ``unknown`` row before the request goes out (``original`` None: never read, so
    no old values). ``username``: the name when there is no user; ``reverts``: the id of the
    entry this write reverts (linked both ways: ``reverts`` / ``reverted_by``).

    Raises DuplicateSubmission when ``form_token`` was used already (also when another request
    took it a moment before), IntegrityError for any other constraint the row breaks.
    """
    audit_token_unused(form_token)
    user, username = audit_actor(user, username)
    issuer, subject = audit_identity(user)
    try:
        with transaction.atomic():
            return AuditEntry.objects.create(
                user=user,
                username=username,
                identity_issuer=issuer,
                identity_subject=subject,
                source=source,
                account_id=account_id,
                candidate_id=candidate_id,
                changes=body_changes(original, body),
                request_body=body,
                outcome=AuditEntry.Outcome.UNKNOWN,
                form_token=form_token,
                reverts_id=reverts,
                request_id=request_id_get(),
            )
    except IntegrityError:
        # Only the form_token unique constraint means "already submitted": any other violation
        # is a real fault and must not be reported to the user as a second click.
        first = AuditEntry.objects.filter(form_token=form_token).first() if form_token else None
        if first is None:
            raise
        raise DuplicateSubmission(first) from None


def audit_saved(entry: AuditEntry, *, result: UpdateResult, warnings: list[str], started: float,
                others_changed: list[str]) -> None:
    """Complete ``entry`` after StackOne confirmed the save."""
    entry.outcome = AuditEntry.Outcome.SAVED_WITH_WARNINGS if warnings else AuditEntry.Outcome.SAVED
    entry.returned_id = result.id or ""
    entry.returned_remote_id = result.remote_id or ""
    entry.status_code = result.http_status
    entry.message = result.message or ""
    if not result.id_echoed:
        entry.message = (entry.message + " " if entry.message else "") + ID_NOT_ECHOED
    entry.warnings = warnings
    entry.others_changed = others_changed
    entry.retries = result.retries
    _complete(entry, started)


def audit_failed(entry: AuditEntry, *, error: StackOneError, started: float) -> None:
    """Complete ``entry`` after a failure: ``unknown`` when the write may have happened."""
    entry.outcome = AuditEntry.Outcome.UNKNOWN if error.may_have_applied else AuditEntry.Outcome.REJECTED
    entry.status_code = error.status_code
    entry.message = error.message
    entry.retries = error.retries
    _complete(entry, started)


def audit_conflict(*, user: Any, account_id: str, candidate_id: str, original: Candidate,
                   body: dict[str, JSONValue], clashes: list[str], reverts: int | None = None) -> AuditEntry:
    """Record a save that was stopped because someone else changed the same fields
    (``reverts``: the entry it would have reverted)."""
    user, username = audit_actor(user)
    return AuditEntry.objects.create(
        reverts_id=reverts,
        user=user,
        username=username,
        account_id=account_id,
        candidate_id=candidate_id,
        changes=body_changes(original, body),
        request_body=body,
        outcome=AuditEntry.Outcome.CONFLICT,
        message="Not sent: changed in StackOne meanwhile: " + ", ".join(clashes),
        others_changed=clashes,
        completed_at=timezone.now(),
        duration_ms=0,
        request_id=request_id_get(),
    )


def _complete(entry: AuditEntry, started: float) -> None:
    entry.completed_at = timezone.now()
    entry.duration_ms = int((time.monotonic() - started) * 1000)
    entry.save()
