"""Searching the directory: one query box, filters StackOne cannot do, a sort and real pages.

A query is normalised like the stored text (case and accents folded, control characters gone),
split into words that must all match (several words narrow), and each word matches

- any part of the search text (name, names, emails, phones and their digit forms, company, title,
  id, remote id), or
- for a word of four letters or more, a name word it resembles (typos: ``margret`` → margaret),
  by trigram similarity: pg_trgm on PostgreSQL, the same measure in Python on SQLite.

A phone number typed with spaces or punctuation (``+44 7700 900123``) is one word of digits.
How words match is the database's part (``search_backend``: one implementation per database).
Rows rank by how each word matched: a whole word (exact), the start of a word (prefix), inside a
word, then only through a typo (fuzzy); then by name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.conf import settings
from django.db.models import Case, Count, IntegerField, QuerySet, TextField, Value, When, Window
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Concat, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from candidates.directory.models import DirectoryEntry
from candidates.directory.search_backend import search_backend
from candidates.directory.search_words import QueryWord, query_words

Sort = Literal["relevance", "updated", "name"]
SORTS: tuple[Sort, ...] = ("relevance", "updated", "name")

@dataclass(frozen=True)
class DirectoryFilters:
    """Filters StackOne's list cannot apply. Empty values are ignored; date ranges are inclusive."""

    company: str = ""
    title: str = ""
    country: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    created_from: date | None = None
    created_to: date | None = None
    no_email: bool = False
    no_phone: bool = False


@dataclass(frozen=True)
class DirectoryQuery:
    q: str = ""
    filters: DirectoryFilters = field(default_factory=DirectoryFilters)
    sort: Sort = "relevance"
    page: int = 1
    page_size: int = 25


@dataclass(frozen=True)
class DirectoryRow:
    """One result as the list shows it."""

    candidate_id: str
    remote_id: str
    name: str
    email: str
    title: str
    company: str
    country: str
    updated_at: datetime | None

    @property
    def display_name(self) -> str:
        return self.name or self.email or self.candidate_id


@dataclass(frozen=True)
class DirectoryResults:
    rows: tuple[DirectoryRow, ...]
    total: int
    page: int
    pages: int


def directory_enabled() -> bool:
    """Return whether the directory is switched on (setting ``CANDIDATE_DIRECTORY``)."""
    return bool(getattr(settings, "CANDIDATE_DIRECTORY", True))



def directory_search(*, account_id: str, query: DirectoryQuery) -> DirectoryResults:
    """Return the page ``query.page`` of ``account_id``'s entries matching ``query``.

    A page past the last returns the last page; an empty query lists every entry. Never raises
    for what a user typed: every word reaches the database as a bound parameter or a quoted
    FTS5 string.
    """
    backend = search_backend()
    words = query_words(query.q)
    with backend.search_session(query=bool(words)):
        entries = _filtered(DirectoryEntry.objects.filter(account_id=account_id), query.filters)
        if words:
            entries = backend.entries_matching(entries, account_id=account_id, words=words)
            entries = entries.annotate(tier=_tier(words))
        sort = query.sort if query.sort in SORTS else "relevance"
        if sort == "relevance" and not words:
            sort = "updated"
        # Ties break on the row id, which every index ends with: a page without a query is then an
        # index walk, not a sort of the whole account.
        order = {
            "relevance": ("tier", "name", "id"),
            "updated": ("-remote_updated_at", "id"),
            "name": ("name", "id"),
        }[sort]
        page_size = max(1, min(query.page_size, 100))
        entries = entries.order_by(*order)
        if sort == "relevance" and backend.COUNT_WITH_PAGE:
            return _page_counted(entries, page=max(1, query.page), page_size=page_size)
        total = entries.count()
        pages = max(1, math.ceil(total / page_size))
        page = min(max(1, query.page), pages)
        rows = _rows(entries, page=page, page_size=page_size)
        return DirectoryResults(rows=rows, total=total, page=page, pages=pages)


_COLUMNS = ("candidate_id", "remote_id", "name", "email", "title", "company", "country", "remote_updated_at")


def _rows(entries: QuerySet[DirectoryEntry], *, page: int, page_size: int) -> tuple[DirectoryRow, ...]:
    start = (page - 1) * page_size
    return tuple(DirectoryRow(*row) for row in entries.values_list(*_COLUMNS)[start:start + page_size])


def _page_counted(entries: QuerySet[DirectoryEntry], *, page: int, page_size: int) -> DirectoryResults:
    """Return the page and the count from one query (``COUNT(*) OVER ()``): the matches are read and
    ranked once, not once to count and again to rank. That query keeps only the ids (the window
    holds every match: narrow rows are cheaper); the page's rows are then read by id. A page past
    the last costs a count more."""
    start = (page - 1) * page_size
    counted = entries.annotate(found=Window(Count("id")))
    found = list(counted.values_list("id", "found")[start:start + page_size])
    if not found:
        if page > 1 and (total := entries.count()):
            page = math.ceil(total / page_size)
            return DirectoryResults(rows=_rows(entries, page=page, page_size=page_size), total=total,
                                    page=page, pages=page)
        return DirectoryResults(rows=(), total=0, page=1, pages=1)
    ids = [entry_id for entry_id, _ in found]
    read = DirectoryEntry.objects.filter(id__in=ids).values_list("id", *_COLUMNS)
    by_id = {row[0]: row[1:] for row in read}
    rows = tuple(DirectoryRow(*by_id[entry_id]) for entry_id in ids if entry_id in by_id)
    total = found[0][1]
    return DirectoryResults(rows=rows, total=total, page=page, pages=max(1, math.ceil(total / page_size)))


def directory_words_forget(*, account_id: str) -> None:
    """Forget the name words the database keeps for typo search of ``account_id`` (PostgreSQL's
    ``directory_name_word``; SQLite keeps them in memory only), as its rows are purged."""
    search_backend().name_words_forget(account_id=account_id)


def _filtered(entries: QuerySet[DirectoryEntry], filters: DirectoryFilters) -> QuerySet[DirectoryEntry]:
    if filters.company:
        entries = entries.filter(company__icontains=filters.company.strip())
    if filters.title:
        entries = entries.filter(title__icontains=filters.title.strip())
    if filters.country:
        entries = entries.filter(country__iexact=filters.country.strip())
    if filters.updated_from:
        entries = entries.filter(remote_updated_at__gte=_day_start(filters.updated_from))
    if filters.updated_to:
        entries = entries.filter(remote_updated_at__lt=_day_start(filters.updated_to) + timedelta(days=1))
    if filters.created_from:
        entries = entries.filter(remote_created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        entries = entries.filter(remote_created_at__lt=_day_start(filters.created_to) + timedelta(days=1))
    if filters.no_email:
        entries = entries.filter(email="")
    if filters.no_phone:
        entries = entries.filter(phones="")
    return entries


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def _tier(words: tuple[QueryWord, ...]) -> Case | CombinedExpression | Value:
    """Return the rank of a row: per word 0 whole word, 1 start of a word, 2 inside a word, 3 typo;
    summed over the words (lower ranks first)."""
    spaced = Concat(Value(" "), "search_text", Value(" "), output_field=TextField())
    total: Case | CombinedExpression | None = None
    for word in words:
        tier = Case(
            When(_present(spaced, f" {word.text} "), then=Value(0)),
            When(_present(spaced, f" {word.text}"), then=Value(1)),
            When(_present(spaced, word.text), then=Value(2)),
            default=Value(3), output_field=IntegerField(),
        )
        total = tier if total is None else total + tier
    return total if total is not None else Value(0)


def _present(text: Concat, needle: str) -> GreaterThan:
    return GreaterThan(StrIndex(text, Value(needle)), 0)

