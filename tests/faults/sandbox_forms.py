"""The edit form's POST data for a sandbox candidate, as a browser sends it untouched."""

from __future__ import annotations

from typing import Any

from candidates import services
from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.snapshot import snapshot_dumps
from candidates.editor.tokens import token_new
from candidates.stackone import stackone_client
from tests.candidates.form_data import editor_post_data

SANDBOX_ACCOUNT = "sbx-greenhouse"
SANDBOX_CANDIDATE = "c-0001"


def sandbox_edit_path(account_id: str = SANDBOX_ACCOUNT, candidate_id: str = SANDBOX_CANDIDATE) -> str:
    return f"/accounts/{account_id}/candidates/{candidate_id}/"


def sandbox_post(*, account_id: str = SANDBOX_ACCOUNT, candidate_id: str = SANDBOX_CANDIDATE,
                 **changes: str) -> dict[str, Any]:
    """Return the POST data of the edit page of a sandbox candidate, with ``changes``.

    Reads the candidate from the sandbox (one GET, counted in its stats).
    """
    candidate = services.candidate_get(client=stackone_client(), account_id=account_id,
                                       candidate_id=candidate_id)
    data = editor_post_data(CandidateEditor(candidate))
    data.update(snapshot=snapshot_dumps(candidate, account_id=account_id), form_token=token_new())
    data.update(changes)
    return data
