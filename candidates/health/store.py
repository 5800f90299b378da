"""Keeping the per-candidate findings current: ``health_index`` replaces the findings of the
candidates it is given (the directory sync calls it per page, the write path after a save),
``health_forget`` drops a removed candidate's."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from candidates.health.checks import candidate_findings
from candidates.health.models import HealthFinding
from candidates.types import Candidate, CustomFieldDefinition

BATCH = 1000
CUSTOM_CHECK = "custom_field_type"
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
    definitions = list(definitions or ())
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
            )
            for f in candidate_findings(candidate, definitions)
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
    from candidates.directory.models import DirectoryEntry

    listed = DirectoryEntry.objects.filter(account_id=account_id).values("candidate_id")
    deleted, _ = HealthFinding.objects.filter(account_id=account_id).exclude(candidate_id__in=listed).delete()
    return deleted


def _delete(account_id: str, ids: list[str], keep: tuple[str, ...] = ()) -> None:
    for start in range(0, len(ids), IDS_PER_DELETE):
        HealthFinding.objects.filter(
            account_id=account_id, candidate_id__in=ids[start : start + IDS_PER_DELETE]
        ).exclude(check_name__in=keep).delete()
