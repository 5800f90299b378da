"""Writing directory rows: the one upsert behind a sync's pages and a write's refresh, which
then announces the rows it indexed (``signals.entries_indexed``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryEntry
from candidates.directory.search_index import name_words_key
from candidates.directory.signals import entries_indexed
from candidates.types import Candidate

# What a sync asks StackOne for (``fields=``): exactly what ``index.entry_fields`` reads.
SYNC_FIELDS = ("id", "remote_id", "name", "first_name", "last_name", "email", "emails", "phone",
               "phone_numbers", "company", "title", "country", "created_at", "updated_at",
               # Read for the data-health checks only (social links, custom field types); the
               # directory row keeps none of them.
               "social_links", "custom_fields")
ENTRY_COLUMNS = ("remote_id", "name", "first_name", "last_name", "email", "emails", "phones", "company",
                 "title", "country", "remote_created_at", "remote_updated_at", "search_text", "name_text",
                 "company_text", "indexed_at")


def entries_upsert(account_id: str, candidates: Iterable[Candidate], *, sync_run: int | None) -> int:
    """Insert or update the rows of ``candidates`` in one statement per batch, then announce
    them (data health recomputes their findings). ``sync_run`` marks them as listed by that full
    sync (None leaves existing marks alone). Returns the count."""
    candidates = list(candidates)
    now = timezone.now()
    rows = {}
    for candidate in candidates:
        if candidate.id:
            rows[candidate.id] = DirectoryEntry(
                account_id=account_id, candidate_id=candidate.id, indexed_at=now, sync_run=sync_run or 0,
                **entry_fields(candidate))
    if not rows:
        return 0
    columns = [*ENTRY_COLUMNS, "sync_run"] if sync_run is not None else list(ENTRY_COLUMNS)
    DirectoryEntry.objects.bulk_create(list(rows.values()), batch_size=500, update_conflicts=True,
                                       unique_fields=["account_id", "candidate_id"], update_fields=columns)
    name_words_key(account_id=account_id)  # the typo keys of the words these rows brought
    entries_indexed.send(sender=None, account_id=account_id,
                         candidates=[candidate for candidate in candidates if candidate.id in rows])
    return len(rows)
