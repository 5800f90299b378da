"""The candidate store: serialise, filter, paginate and patch sandbox candidates.

Rows are served in a stable order — ``created_at`` then ``candidate_id`` — and the cursor is the
sort key of the last row served, so a walk sees every candidate exactly once even when
candidates are edited between pages (``created_at`` never changes).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sandbox.models import SandboxAccount, SandboxCandidate, SandboxCustomFieldDefinition
from sandbox.validation import decode_cursor, encode_cursor

# Candidate properties in the spec's order (schema `Candidate`).
CANDIDATE_FIELDS = (
    "id",
    "remote_id",
    "unified_custom_fields",
    "name",
    "first_name",
    "last_name",
    "email",
    "emails",
    "social_links",
    "phone",
    "phone_numbers",
    "company",
    "title",
    "application_ids",
    "remote_application_ids",
    "hired_at",
    "country",
    "custom_fields",
    "tags",
    "created_at",
    "updated_at",
)
# Body fields a PATCH may set (schema `AtsUpdateCandidateRequestDto`, without `passthrough`).
WRITABLE_FIELDS = (
    "unified_custom_fields",
    "name",
    "first_name",
    "last_name",
    "email",
    "emails",
    "social_links",
    "phone",
    "phone_numbers",
    "company",
    "title",
    "application_ids",
    "hired_at",
    "country",
    "custom_fields",
)
# Kept as model columns, not in SandboxCandidate.data.
COLUMN_FIELDS = ("id", "remote_id", "created_at", "updated_at")


def iso(value: datetime | None) -> str | None:
    """2024-05-01T09:30:00.000Z — StackOne's timestamp style (UTC, milliseconds)."""
    if value is None:
        return None
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def now_ms() -> datetime:
    """Now, truncated to the millisecond so stored and served timestamps compare equal."""
    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


# --- reading -------------------------------------------------------------------------------


def serialize_candidate(
    candidate: SandboxCandidate, *, include_custom_fields: bool = False, fields: list[str] | None = None
) -> dict[str, Any]:
    """The Candidate body StackOne would return. custom_fields only when asked for (include);
    with ``fields``, only the properties named there (unknown names are ignored), in spec order."""
    body: dict[str, Any] = {}
    wanted = set(fields) if fields else None
    for name in CANDIDATE_FIELDS:
        if name == "custom_fields" and not include_custom_fields:
            continue
        if wanted is not None and name not in wanted:
            continue
        if name == "id":
            body[name] = candidate.candidate_id
        elif name == "remote_id":
            body[name] = candidate.remote_id or None
        elif name == "created_at":
            body[name] = iso(candidate.created_at)
        elif name == "updated_at":
            body[name] = iso(candidate.updated_at)
        else:
            value = candidate.data.get(name)
            # Copy containers only (a list page serialises 100 rows; strings need no copy).
            body[name] = copy.deepcopy(value) if isinstance(value, dict | list) else value
    return body


def get_candidate(account: SandboxAccount, candidate_id: str) -> SandboxCandidate | None:
    return SandboxCandidate.objects.filter(account=account, candidate_id=candidate_id).first()


# filter[updated_after] matching at most this many rows is paged in Python (see _few_page).
FEW_UPDATED = 5000


def list_candidates(
    account: SandboxAccount,
    *,
    email: str | None = None,
    updated_after: datetime | None = None,
    created_after: datetime | None = None,
    page_size: int = 25,
    cursor: str | None = None,
) -> tuple[list[SandboxCandidate], str | None]:
    """One page of candidates and the cursor of the next page (None on the last page).

    Raises sandbox.validation.QueryError for a cursor the sandbox did not issue.
    """
    after = decode_cursor(cursor) if cursor else None
    queryset = SandboxCandidate.objects.filter(account=account)
    if email:
        queryset = queryset.filter(email_index__contains=f"|{email.strip().lower()}|")
    if created_after:
        queryset = queryset.filter(created_at__gt=created_after)
    if updated_after:
        queryset = queryset.filter(updated_at__gt=updated_after)
        # An incremental sync's few changed rows are spread over the whole created_at order, and
        # SQLite's planner walks that order (sandbox_cand_page) rather than sorting the few rows
        # sandbox_cand_updated finds: ~0.5 s a page at 100,000 rows. Sorting them here: ~5 ms.
        keys = list(queryset.order_by().values_list("created_at", "candidate_id", "pk")[: FEW_UPDATED + 1])
        if len(keys) <= FEW_UPDATED:
            return _few_page(keys, after, page_size)
    if after:
        after_created, after_id = after
        # The redundant created_at >= bound lets the database seek the (account, created_at, id)
        # index to the cursor instead of scanning from the start (100,000 rows: ~150 ms → ~1 ms).
        queryset = queryset.filter(created_at__gte=after_created).filter(
            Q(created_at__gt=after_created) | Q(candidate_id__gt=after_id)
        )
    rows = list(queryset.order_by("created_at", "candidate_id")[: page_size + 1])
    page, more = rows[:page_size], len(rows) > page_size
    next_cursor = encode_cursor(page[-1].created_at, page[-1].candidate_id) if more else None
    return page, next_cursor


def _few_page(
    keys: list[tuple[datetime, str, int]], after: tuple[datetime, str] | None, page_size: int
) -> tuple[list[SandboxCandidate], str | None]:
    """The page after ``after`` among rows known by (created_at, candidate_id, pk), same order
    and cursor as the SQL path (ids compare by code point here, as SQLite's BINARY collation)."""
    keys.sort()
    if after is not None:
        keys = [key for key in keys if (key[0], key[1]) > after]
    chosen = keys[:page_size]
    rows = SandboxCandidate.objects.in_bulk([pk for _, _, pk in chosen])
    page = [rows[pk] for _, _, pk in chosen]
    more = len(keys) > page_size
    next_cursor = encode_cursor(page[-1].created_at, page[-1].candidate_id) if more else None
    return page, next_cursor


def serialize_account(account: SandboxAccount) -> dict[str, Any]:
    """A LinkedAccount body (core spec)."""
    return {
        "id": account.id,
        "provider": account.provider,
        "provider_name": account.provider_name or None,
        "status": account.status,
        "status_reasons": (
            []
            if account.status == "active"
            else [
                {
                    "code": account.status,
                    "description": f"Account is {account.status}",
                    "timestamp": iso(account.updated_at),
                }
            ]
        ),
        "origin_owner_id": account.origin_owner_id,
        "origin_owner_name": account.origin_owner_name,
        "origin_username": account.origin_username or None,
        "credentials": None,
        "setup_information": None,
        "label": account.label or None,
        "type": "test",
        "created_at": iso(account.created_at),
        "updated_at": iso(account.updated_at),
    }


ACCOUNTS_PAGE_SIZE = 25  # /accounts' default page_size (core spec)


def list_accounts(
    *,
    statuses: list[str] | None = None,
    providers: list[str] | None = None,
    account_ids: list[str] | None = None,
    origin_owner_ids: list[str] | None = None,
) -> list[SandboxAccount]:
    queryset = SandboxAccount.objects.order_by("created_at", "id")
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    if providers:
        queryset = queryset.filter(provider__in=providers)
    if account_ids:
        queryset = queryset.filter(id__in=account_ids)
    if origin_owner_ids:
        queryset = queryset.filter(origin_owner_id__in=origin_owner_ids)
    return list(queryset)


def custom_field_definitions(account: SandboxAccount) -> list[dict[str, Any]]:
    return [
        copy.deepcopy(row.data)
        for row in account.custom_field_definitions.order_by("position", "definition_id")
    ]


# --- writing -------------------------------------------------------------------------------


def apply_patch(candidate: SandboxCandidate, body: dict[str, Any]) -> SandboxCandidate:
    """Apply a validated PATCH body: exactly the fields present (null clears, arrays replace).

    ``passthrough`` is not stored on the candidate (StackOne forwards it to the provider); it is
    kept in ``last_passthrough`` so tests can see what arrived. ``updated_at`` moves forward.
    """
    with transaction.atomic():
        locked = SandboxCandidate.objects.select_for_update().get(pk=candidate.pk)
        data = copy.deepcopy(locked.data)
        for name in WRITABLE_FIELDS:
            if name in body:
                data[name] = copy.deepcopy(body[name])
        if isinstance(data.get("custom_fields"), list) and "custom_fields" in body:
            data["custom_fields"] = _complete_custom_fields(locked.account, data["custom_fields"])
        locked.data = data
        locked.last_passthrough = copy.deepcopy(body.get("passthrough"))
        # Strictly later than before, even within one millisecond.
        locked.updated_at = max(now_ms(), locked.updated_at + timedelta(milliseconds=1))
        locked.save()
    return locked


def _complete_custom_fields(account: SandboxAccount, items: list[Any]) -> list[Any]:
    """Like a provider, fill in each field's name/remote_id from its definition when not sent."""
    definitions = {
        row.definition_id: row.data for row in SandboxCustomFieldDefinition.objects.filter(account=account)
    }
    completed = []
    for item in items:
        if isinstance(item, dict) and item.get("id") in definitions:
            definition = definitions[item["id"]]
            item = {
                "id": item["id"],
                "remote_id": item.get("remote_id") or definition.get("remote_id"),
                "name": item.get("name") or definition.get("name"),
                "value": item.get("value"),
                "value_id": item.get("value_id"),
                "remote_value_id": item.get("remote_value_id"),
            }
        completed.append(item)
    return completed
