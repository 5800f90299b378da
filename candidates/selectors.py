"""Reads of local records (HackSoft's selectors): the audit log, filtered."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from candidates.models import AuditEntry


def audit_entry_list(*, filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """Return audit entries matching ``filters`` (user, account, candidate, outcome, date_from,
    date_to; empty values ignored), newest first.

    ``candidate`` is an id; with ``candidate_matches`` (the (account_id, candidate_id) pairs a
    name stands for, looked up by the caller), an entry of any of them matches too.
    """
    entries = AuditEntry.objects.all()
    if filters.get("user"):
        entries = entries.filter(username__icontains=filters["user"])
    if filters.get("account"):
        entries = entries.filter(account_id=filters["account"])
    if filters.get("candidate"):
        candidate = Q(candidate_id=filters["candidate"])
        by_account: dict[str, list[str]] = {}
        for account_id, candidate_id in filters.get("candidate_matches") or ():
            by_account.setdefault(account_id, []).append(candidate_id)
        for account_id, candidate_ids in by_account.items():
            candidate |= Q(account_id=account_id, candidate_id__in=candidate_ids)
        entries = entries.filter(candidate)
    if filters.get("outcome"):
        entries = entries.filter(outcome=filters["outcome"])
    if filters.get("date_from"):
        entries = entries.filter(created_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        entries = entries.filter(created_at__lt=_day_start(filters["date_to"]) + timedelta(days=1))
    # Each entry shows the save it reverts and those that revert it (History, the audit log).
    return entries.select_related("reverts").prefetch_related("reverted_by").order_by("-created_at", "-id")


def audit_candidate_history(*, account_id: str, candidate_id: str) -> QuerySet[AuditEntry]:
    """Return one candidate's audit entries, newest first."""
    return audit_entry_list(filters={"account": account_id, "candidate": candidate_id})


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())
