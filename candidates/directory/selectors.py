"""Reads of the directory for other pages (HackSoft's selectors): what the directory last saw
of a candidate, where a page wants a name rather than an id, and which candidates a name typed
into another page's filter means."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from candidates.directory.models import DirectoryEntry
from candidates.directory.search import DirectoryQuery, directory_search

# The candidates one name typed in a filter may stand for, per account (a page of search results).
MATCHES_PER_ACCOUNT = 100
_BATCH = 500


def _shown_name(name: str, first_name: str, last_name: str) -> str:
    return name or " ".join(part for part in (first_name, last_name) if part)


def directory_candidate_name(*, account_id: str, candidate_id: str) -> str:
    """Return the candidate's name as the directory last saw it ("" when not indexed)."""
    return directory_candidate_names(pairs=[(account_id, candidate_id)]).get((account_id, candidate_id), "")


def directory_candidate_names(*, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Return {(account_id, candidate_id): name} for the pairs the directory holds with a name
    (one query per 500 pairs; a pair it does not hold, or holds without a name, is absent)."""
    wanted = sorted(set(pairs))
    names: dict[tuple[str, str], str] = {}
    for start in range(0, len(wanted), _BATCH):
        batch = wanted[start:start + _BATCH]
        condition = Q()
        for account_id in {account for account, _ in batch}:
            ids = [candidate for account, candidate in batch if account == account_id]
            condition |= Q(account_id=account_id, candidate_id__in=ids)
        rows = DirectoryEntry.objects.filter(condition).values_list(
            "account_id", "candidate_id", "name", "first_name", "last_name")
        for account_id, candidate_id, name, first_name, last_name in rows:
            if shown := _shown_name(name, first_name, last_name):
                names[(account_id, candidate_id)] = shown
    return names


def directory_candidates_named(*, q: str, account_ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Return (account_id, candidate_id) of the candidates the directory's search finds for ``q``
    (a name or part of one, an email, a phone…: what the list page's search box takes), best
    first, at most MATCHES_PER_ACCOUNT per account; in ``account_ids``, else in every account
    the directory holds."""
    if not q.strip():
        return []
    if account_ids is None:
        account_ids = DirectoryEntry.objects.values_list("account_id", flat=True).distinct().order_by()
    found: list[tuple[str, str]] = []
    for account_id in sorted(set(account_ids)):
        results = directory_search(account_id=account_id,
                                   query=DirectoryQuery(q=q, page_size=MATCHES_PER_ACCOUNT))
        found += [(account_id, row.candidate_id) for row in results.rows]
    return found
