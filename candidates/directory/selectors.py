"""Reads of the directory for other pages (HackSoft's selectors): what the directory last saw
of a candidate, where a page wants a name rather than an id."""

from __future__ import annotations

from candidates.directory.models import DirectoryEntry


def directory_candidate_name(*, account_id: str, candidate_id: str) -> str:
    """Return the candidate's name as the directory last saw it ("" when not indexed)."""
    entry = DirectoryEntry.objects.filter(account_id=account_id, candidate_id=candidate_id).first()
    if entry is None:
        return ""
    return entry.name or " ".join(part for part in (entry.first_name, entry.last_name) if part)
