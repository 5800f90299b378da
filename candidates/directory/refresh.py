"""The directory after a write or a 404, with no StackOne call: the candidate's row refreshed
from what was read back or sent (``signals.candidate_written``), or removed
(``signals.candidate_gone``). ``DirectoryConfig.ready`` subscribes these to the core's
announcements."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from candidates.directory.entries import SYNC_FIELDS, entries_upsert
from candidates.directory.models import DirectoryEntry
from candidates.directory.signals import entries_removed
from candidates.types import Candidate

logger = logging.getLogger(__name__)



def directory_refresh(*, account_id: str, candidate: Candidate) -> None:
    """Upsert the candidate's row from ``candidate`` (as StackOne holds it), in one statement.
    Nothing when off. (A full sync running meanwhile keeps the row: it was written after the
    sync started.)"""
    if not settings.CANDIDATE_DIRECTORY or not candidate.id:
        return
    entries_upsert(account_id, [candidate], sync_run=None)



def directory_usable(account_id: str, candidate_id: str = "") -> bool:
    """Return False for ids no directory row can hold: a NUL, which PostgreSQL text columns
    refuse (a hostile URL, never a linked account's or a candidate's id)."""
    return "\x00" not in account_id and "\x00" not in candidate_id



def directory_remove(*, account_id: str, candidate_id: str, **_: Any) -> None:
    """Delete the candidate's row and its data-health findings (StackOne answered 404 for it)."""
    if not directory_usable(account_id, candidate_id):
        return
    with transaction.atomic():
        DirectoryEntry.objects.filter(account_id=account_id, candidate_id=candidate_id).delete()
        entries_removed.send(sender=None, account_id=account_id, candidate_ids=[candidate_id])



def directory_after_save(*, account_id: str, candidate_id: str, body: dict[str, Any],
                         read_back: Candidate | None = None, base: Any = None, **_: Any) -> None:
    """Refresh the row after a confirmed write, with no StackOne call: from ``read_back`` (the
    candidate read after the save) when there is one, else from ``body`` (what was sent)
    merged into ``base`` (the candidate read before: a ``Candidate`` or its JSON) or into
    the row. Never raises: the write has happened whatever the index does."""
    if not settings.CANDIDATE_DIRECTORY:
        return
    try:
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's transaction usable
            if read_back is not None:
                directory_refresh(account_id=account_id, candidate=read_back)
                return
            if isinstance(base, Candidate):
                base = base.raw
            if not isinstance(base, dict) or not base:
                base = _entry_as_api(account_id, candidate_id)
            merged = {name: value for name, value in {**base, **body}.items() if name in SYNC_FIELDS}
            merged |= {"id": candidate_id, "updated_at": timezone.now().isoformat().replace("+00:00", "Z")}
            directory_refresh(account_id=account_id, candidate=Candidate.from_api(merged))
    except Exception:
        logger.exception("directory refresh failed for %s/%s", account_id, candidate_id)



def _entry_as_api(account_id: str, candidate_id: str) -> dict[str, Any]:
    """Return the stored row as a StackOne candidate body ({} when there is none)."""
    entry = DirectoryEntry.objects.filter(account_id=account_id, candidate_id=candidate_id).first()
    if entry is None:
        return {}
    return {
        "id": candidate_id, "remote_id": entry.remote_id or None, "name": entry.name or None,
        "first_name": entry.first_name or None, "last_name": entry.last_name or None,
        "email": entry.email or None,
        "emails": [{"value": value} for value in entry.emails.splitlines() if value],
        "phone_numbers": [{"phone": value} for value in entry.phones.splitlines() if value],
        "company": entry.company or None, "title": entry.title or None, "country": entry.country or None,
        "created_at": entry.remote_created_at.isoformat() if entry.remote_created_at else None,
    }
