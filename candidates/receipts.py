"""A save's receipt, kept in the session for the page shown after the redirect (PRG): what
StackOne answered, the fields sent, those it did not apply or others changed meanwhile."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from candidates.services import UpdateOutcome
from candidates.types import Candidate


@dataclass(frozen=True)
class SaveReceipt:
    """What the page after a save shows: StackOne's answer, the fields sent, those it did not
    apply or others changed meanwhile, and the candidate read back (None if that read failed)."""

    id: str | None
    remote_id: str | None
    id_echoed: bool
    message: str | None
    timestamp: str | None
    fields: list[str]
    not_applied: list[str]
    others_changed: list[str]
    candidate: Candidate | None


def _receipt_key(account_id: str, candidate_id: str) -> str:
    return f"saved:{account_id}:{candidate_id}"


def receipt_keep(session: Any, outcome: UpdateOutcome, *, account_id: str, candidate_id: str) -> SaveReceipt:
    """Keep the receipt of a save for the next page of this candidate. Returns it."""
    assert outcome.result is not None
    result = outcome.result
    receipt = SaveReceipt(id=result.id, remote_id=result.remote_id, id_echoed=result.id_echoed,
                          message=result.message, timestamp=result.timestamp, fields=list(outcome.body),
                          not_applied=list(outcome.not_applied), others_changed=list(outcome.others_changed),
                          candidate=outcome.current)
    stored = {item.name: getattr(receipt, item.name) for item in fields(receipt)}
    stored["candidate"] = outcome.current.raw if outcome.current else None
    session[_receipt_key(account_id, candidate_id)] = stored  # the session holds JSON
    return receipt


def receipt_take(session: Any, *, account_id: str, candidate_id: str) -> SaveReceipt | None:
    """Return (and forget) the receipt kept for this candidate, None when there is none or it
    cannot be read (a session written by an older release)."""
    stored = session.pop(_receipt_key(account_id, candidate_id), None)
    if not isinstance(stored, dict):
        return None
    try:
        raw = stored.get("candidate")
        return SaveReceipt(**(stored | {"candidate": Candidate.from_api(raw) if raw else None}))
    except (TypeError, ValueError):
        return None
