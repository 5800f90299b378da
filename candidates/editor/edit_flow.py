"""The edit flow's steps as services: edit → review → confirm, and conflict → resolve.

Each step binds what the page posted (the signed snapshot of the candidate as loaded, the
one-time form token and the user's input) into an ``EditPost``; the send goes through
``services.candidate_update``; a save's receipt is kept in the session as a typed value for
the page shown after the redirect.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.http import QueryDict

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.form_state import CHOICE_PREFIX, editor_initial_data, with_fields_from
from candidates.editor.snapshot import SnapshotInvalid, snapshot_loads
from candidates.editor.tokens import TokenInvalid, token_nonce
from candidates.field_meta import editor_options
from candidates.services import UpdateOutcome
from candidates.types import Candidate


class FormUnverifiable(Exception):
    """The posted snapshot or form token was altered or is too old: nothing can be trusted."""


@dataclass(frozen=True)
class EditPost:
    """A posted edit page: the editor bound to the input over the candidate as loaded, and
    the form token's nonce (what the audit row records)."""

    editor: CandidateEditor
    token: str


def edit_bind(data: QueryDict, *, account_id: str, candidate_id: str) -> EditPost:
    """Return the edit page's POST bound over its signed snapshot. Raises FormUnverifiable."""
    try:
        original = snapshot_loads(data.get("snapshot", ""), account_id=account_id, candidate_id=candidate_id)
        token = token_nonce(data.get("form_token", ""))
    except (SnapshotInvalid, TokenInvalid) as exc:
        raise FormUnverifiable(str(exc)) from exc
    return EditPost(editor=CandidateEditor(original, data, **editor_options(account_id)), token=token)


def conflict_bind(data: QueryDict, *, account_id: str, candidate_id: str) -> EditPost:
    """Return the conflict page's POST bound over the candidate now in StackOne (the new
    baseline), with the user's picks applied: per clashing field, theirs ("mine") or the value
    now in StackOne ("theirs"). Raises FormUnverifiable."""
    bound = edit_bind(data, account_id=account_id, candidate_id=candidate_id)  # checks the token
    try:
        current = snapshot_loads(data.get("conflict_snapshot", ""), account_id=account_id,
                                 candidate_id=candidate_id)
    except SnapshotInvalid as exc:
        raise FormUnverifiable(str(exc)) from exc
    theirs = [key[len(CHOICE_PREFIX):] for key, value in data.items()
              if key.startswith(CHOICE_PREFIX) and value == "theirs"]
    theirs_initial = editor_initial_data(CandidateEditor(current, **editor_options(account_id)))
    picked = with_fields_from(data, theirs_initial, theirs)
    return EditPost(editor=CandidateEditor(current, picked, **editor_options(account_id)), token=bound.token)


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
