"""Reverting one save from History ("Revert this change"): the inverse change bound into the
edit page's own inputs, so it goes through the review step, the editor's conflict rule and the
one write path like any edit.

Its baseline is what the save wrote. While the candidate still holds that, the review shows the
values now in StackOne going back to their values before the save (a field already back is not
sent). A field that no longer holds it (someone changed it since) leads to the conflict page:
"loaded" is what the save wrote, "now" what StackOne holds, "yours" the value before the save;
the person chooses, as for any conflict. The save being reverted travels with the form as a
signed marker (``revert_marker``) and is linked in the audit (``AuditEntry.reverts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing

from candidates.editor.candidate_editor import CandidateEditor
from candidates.editor.compare import clashing_fields, inverse_values
from candidates.editor.form_state import editor_initial_query
from candidates.models import AuditEntry
from candidates.types import Candidate

_SALT = "candidates.editor.revert.v1"


class RevertMarkerInvalid(Exception):
    """The posted marker was altered or names another candidate's save."""


@dataclass(frozen=True)
class RevertEdit:
    """The inverse of a save, bound as an edit: ``editor`` holds the values before the save over
    its baseline (``editor.candidate``: the candidate now, or, when ``clashes``, the candidate as
    the save left it); ``clashes``: fields changed since the save; ``skipped``: fields the save
    wrote that cannot be set back (write-only)."""

    editor: CandidateEditor
    current: Candidate
    clashes: list[str]
    skipped: tuple[str, ...]


def revert_bind(*, entry: AuditEntry, current: Candidate, options: dict[str, Any]) -> RevertEdit:
    """Return the inverse of ``entry`` (a save of ``current``'s candidate) bound as the edit page
    would post it, with the account's editor ``options``."""
    values = inverse_values(entry.changes)
    wanted = Candidate.from_api({**current.raw, **values.old})
    clashes = clashing_fields(values.old, before=values.sent, current=current, before_as_sent=True)
    data = editor_initial_query(CandidateEditor(wanted, **options))
    baseline = Candidate.from_api({**current.raw, **values.sent}) if clashes else current
    return RevertEdit(editor=CandidateEditor(baseline, data, **options), current=current, clashes=clashes,
                      skipped=values.skipped)


def revert_marker(entry: AuditEntry) -> str:
    """Return the signed marker naming ``entry`` as the save a form reverts."""
    return signing.dumps({"entry": entry.pk, "account": entry.account_id, "candidate": entry.candidate_id},
                         salt=_SALT)


def revert_marker_entry(marker: str, *, account_id: str, candidate_id: str) -> int | None:
    """Return the id of the save ``marker`` names (None when there is no marker). Raises
    RevertMarkerInvalid."""
    if not marker:
        return None
    try:
        data = signing.loads(marker, salt=_SALT)
    except signing.BadSignature as exc:
        raise RevertMarkerInvalid(str(exc)) from exc
    if (data.get("account"), data.get("candidate")) != (account_id, candidate_id):
        raise RevertMarkerInvalid("the marker names another candidate's save")
    entry = data.get("entry")
    if not isinstance(entry, int):
        raise RevertMarkerInvalid("the marker names no save")
    return entry
