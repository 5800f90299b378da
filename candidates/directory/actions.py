"""Who asked for what of an account's directory: "Sync now", "Full sync" and purges (the command
and retention), recorded with the time and what came of it, and the latest of each shown on the
accounts page (``status.DirectoryStatus.actions``)."""

from __future__ import annotations

from typing import Any

from candidates.audit import audit_actor
from candidates.directory.models import DirectoryAction

K = DirectoryAction.Kind


def directory_action_record(*, account_id: str, kind: str, user: Any = None, username: str = "",
                            outcome: str) -> DirectoryAction:
    """Record that ``user`` (or ``username`` without one: "cli:<login>", "retention") asked for
    ``kind`` on ``account_id``, and ``outcome``. Returns the record."""
    user, username = audit_actor(user, username)
    return DirectoryAction.objects.create(account_id=account_id, kind=kind, user=user,
                                          username=username[:150], outcome=outcome[:255])


def directory_actions_latest(*, account_id: str) -> tuple[DirectoryAction, ...]:
    """Return the account's latest sync request (Sync now or Full sync) and latest purge, newest first."""
    actions = DirectoryAction.objects.filter(account_id=account_id).order_by("-created_at", "-pk")
    latest = [actions.filter(kind__in=[K.SYNC, K.FULL_SYNC]).first(), actions.filter(kind=K.PURGE).first()]
    return tuple(sorted((action for action in latest if action is not None),
                        key=lambda action: action.created_at, reverse=True))
