"""The candidate as it was loaded, carried in the edit form as a signed, tamper-proof token.

The diff is taken against this snapshot, not against a fresh read, so that a field someone
else changed meanwhile is never overwritten with the stale value shown in the form.
"""

from __future__ import annotations

from django.core import signing

from candidates.types import Candidate

_SALT = "candidates.editor.snapshot.v1"
MAX_AGE_SECONDS = 7 * 24 * 60 * 60


class SnapshotInvalid(Exception):
    """The token was altered, belongs to another candidate, or is too old."""


def snapshot_dumps(candidate: Candidate, *, account_id: str) -> str:
    """Return a signed token holding ``candidate`` as StackOne returned it."""
    return signing.dumps({"account": account_id, "candidate": candidate.raw}, salt=_SALT, compress=True)


def snapshot_loads(token: str, *, account_id: str, candidate_id: str) -> Candidate:
    """Return the candidate signed into ``token``. Raises SnapshotInvalid."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
        candidate = Candidate.from_api(data["candidate"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise SnapshotInvalid(str(exc)) from exc
    if data.get("account") != account_id or candidate.id not in (None, candidate_id):
        raise SnapshotInvalid("the snapshot belongs to another candidate")
    return candidate
