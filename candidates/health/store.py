"""Keeping the per-candidate findings current: ``health_index`` replaces the findings of the
candidates it is given, ``health_forget`` drops a removed candidate's, ``health_prune`` those of
rows the directory no longer holds. The directory announces what it indexed or removed (a
sync's page, the refresh after a write, a 404, a purge) and ``HealthConfig.ready`` subscribes
the ``health_on_*`` receivers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from candidates import services
from candidates.directory.models import DirectoryEntry
from candidates.health.checks import CUSTOM_CHECK, candidate_findings, check_context
from candidates.health.models import HealthFinding
from candidates.types import Candidate, CustomFieldDefinition

BATCH = 1000
IDS_PER_DELETE = 500  # stays under SQLite's bound-parameter limit


def health_index(
    *,
    account_id: str,
    candidates: Iterable[Candidate],
    definitions: Iterable[CustomFieldDefinition] | None = None,
) -> None:
    """Replace the stored findings of ``candidates`` with their current ones (bulk delete +
    bulk insert, in one transaction). ``definitions``: the account's custom field definitions;
    when None, the custom-field check's stored findings are kept as they were."""
    keep = () if definitions is not None else (CUSTOM_CHECK,)
    context = check_context(definitions=definitions)
    ids: list[str] = []
    rows: list[HealthFinding] = []
    for candidate in candidates:
        if not candidate.id:
            continue
        ids.append(candidate.id)
        rows.extend(
            HealthFinding(
                account_id=account_id,
                candidate_id=f.candidate_id,
                check_name=f.check,
                field=f.field,
                row=f.row,
                value=f.value,
                note=f.note,
                fix=f.fix,
                list_value=f.list_value,
                guessed_region=f.guessed_region,
            )
            for f in candidate_findings(candidate, context)
            if f.check not in keep
        )
    with transaction.atomic():
        _delete(account_id, ids, keep)
        HealthFinding.objects.bulk_create(rows, batch_size=BATCH)


def health_forget(*, account_id: str, candidate_ids: Iterable[str]) -> None:
    """Drop the stored findings of ``candidate_ids`` (candidates removed from the directory)."""
    with transaction.atomic():
        _delete(account_id, list(candidate_ids))


def health_prune(*, account_id: str) -> int:
    """Drop the findings of the account's candidates that are no longer in the directory (a full
    sync removed them, or the account was purged). Returns how many findings were dropped."""
    listed = DirectoryEntry.objects.filter(account_id=account_id).values("candidate_id")
    deleted, _ = HealthFinding.objects.filter(account_id=account_id).exclude(candidate_id__in=listed).delete()
    return deleted


def _delete(account_id: str, ids: list[str], keep: tuple[str, ...] = ()) -> None:
    for start in range(0, len(ids), IDS_PER_DELETE):
        HealthFinding.objects.filter(
            account_id=account_id, candidate_id__in=ids[start : start + IDS_PER_DELETE]
        ).exclude(check_name__in=keep).delete()


def health_on_indexed(*, account_id: str, candidates: list[Candidate], **_: Any) -> None:
    """Receiver of ``entries_indexed``: recompute the findings of the rows just indexed, with
    the account's custom field definitions (cached; when StackOne cannot give them, the
    custom-field check's findings are kept rather than cleared)."""
    definitions = services.custom_field_definitions(account_id=account_id) or None
    health_index(account_id=account_id, candidates=candidates, definitions=definitions)


def health_on_removed(*, account_id: str, candidate_ids: list[str], **_: Any) -> None:
    """Receiver of ``entries_removed``: drop the removed rows' findings."""
    health_forget(account_id=account_id, candidate_ids=candidate_ids)


def health_on_pruned(*, account_id: str, **_: Any) -> None:
    """Receiver of ``account_pruned``: drop the findings of rows no longer in the directory."""
    health_prune(account_id=account_id)
