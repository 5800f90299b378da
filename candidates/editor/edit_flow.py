"""The edit flow's steps: edit → review → confirm, and conflict → resolve.

Each step binds what the page posted (the signed snapshot of the candidate as loaded, the
one-time form token and the user's input) into an ``EditPost``, with the account's editor
options (``services.editor_options``) the view passes in; the send goes through
``services.candidate_update``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.form_state import CHOICE_PREFIX, editor_initial_data, with_fields_from
from candidates.editor.revert_flow import RevertMarkerInvalid, revert_marker_entry
from candidates.editor.snapshot import SnapshotInvalid, snapshot_loads
from candidates.editor.tokens import TokenInvalid, token_nonce
from candidates.types import Candidate


class FormUnverifiable(Exception):
    """The posted snapshot or form token was altered or is too old: nothing can be trusted."""


@dataclass(frozen=True)
class EditPost:
    """A posted edit page: the editor bound to the input over the candidate as loaded, the
    form token's nonce (what the audit row records) and the audit entry of the save it reverts
    (History's "Revert this change"), if any."""

    editor: CandidateEditor
    token: str
    reverts: int | None = None


def edit_bind(data: QueryDict, *, account_id: str, candidate_id: str,
              options: Callable[[], dict[str, Any]]) -> EditPost:
    """Return the edit page's POST bound over its signed snapshot, with the account's editor
    options (``options()``, called only once the post is verified: a forged one costs no
    StackOne call). Raises FormUnverifiable."""
    original, token = _verified(data, "snapshot", account_id=account_id, candidate_id=candidate_id)
    reverts = _reverts(data, account_id=account_id, candidate_id=candidate_id)
    return EditPost(editor=CandidateEditor(original, data, **options()), token=token, reverts=reverts)


def _reverts(data: QueryDict, *, account_id: str, candidate_id: str) -> int | None:
    """Return the save the post reverts (None when it reverts none). Raises FormUnverifiable."""
    try:
        return revert_marker_entry(data.get("reverts", ""), account_id=account_id, candidate_id=candidate_id)
    except RevertMarkerInvalid as exc:
        raise FormUnverifiable(str(exc)) from exc


def _verified(data: QueryDict, snapshot_key: str, *, account_id: str,
              candidate_id: str) -> tuple[Candidate, str]:
    """Return the candidate signed into ``data[snapshot_key]`` and the form token's nonce.
    Raises FormUnverifiable."""
    try:
        candidate = snapshot_loads(data.get(snapshot_key, ""), account_id=account_id,
                                   candidate_id=candidate_id)
        return candidate, token_nonce(data.get("form_token", ""))
    except (SnapshotInvalid, TokenInvalid) as exc:
        raise FormUnverifiable(str(exc)) from exc


def conflict_bind(data: QueryDict, *, account_id: str, candidate_id: str,
                  options: Callable[[], dict[str, Any]]) -> EditPost:
    """Return the conflict page's POST bound over the candidate now in StackOne (the new
    baseline), with the user's picks applied: per clashing field, theirs ("mine") or the value
    now in StackOne ("theirs"). Raises FormUnverifiable."""
    _verified(data, "snapshot", account_id=account_id, candidate_id=candidate_id)
    current, token = _verified(data, "conflict_snapshot", account_id=account_id, candidate_id=candidate_id)
    reverts = _reverts(data, account_id=account_id, candidate_id=candidate_id)
    theirs = [key[len(CHOICE_PREFIX):] for key, value in data.items()
              if key.startswith(CHOICE_PREFIX) and value == "theirs"]
    options_now = options()
    theirs_initial = editor_initial_data(CandidateEditor(current, **options_now))
    picked = with_fields_from(data, theirs_initial, theirs)
    return EditPost(editor=CandidateEditor(current, picked, **options_now), token=token, reverts=reverts)
