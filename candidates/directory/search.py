"""Searching the directory: one query box, filters StackOne cannot do, a sort and real pages.

A query is normalised like the stored text (case and accents folded, control characters gone)
and split into words that must all match (several words narrow); see ``search_words``. A word of
three characters or more matches

- any part of the search text (name, names, emails, phones and their digit forms, company, title,
  id, remote id), or
- a name or company word it may be a typo of (Damerau–Levenshtein: one typo in a word of five
  letters or more, two from nine, a swap in a four-letter word), or one that sounds alike
  (Metaphone), through the name-word index both databases keep (``search_index``).

A query of words of one or two characters only (``a``, ``jo``, ``小``) matches the start of a
name or company word, through that index too, never by reading every row; beside longer words
such a word narrows their matches to rows holding it anywhere.

How words find rows is the database's part (``search_backend``: one implementation per
database). Rows rank as search engines rank them: fewer typos first (a sound-alike after two
typos), then a whole word before the start of a word before inside a word, then the query's
words in their order in the name, then a name word before another field's; among equals the name
with the fewest other letters (Smith before Anderson-Smith), then by name.

Every search runs under a time limit (``search_limits``); past it ``SearchTooBroad`` is raised.
The first ``MAX_RESULTS`` results can be paged through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.conf import settings
from django.db import connection
from django.db.models import Count, IntegerField, QuerySet, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Length, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from candidates.directory.models import DirectoryEntry
from candidates.directory.search_backend import SearchBackend, search_backend
from candidates.directory.search_index import (
    CloseWords,
    name_words_close,
    name_words_key,
    name_words_unkeyed,
)
from candidates.directory.search_limits import MAX_RESULTS, SearchTooBroad
from candidates.directory.search_words import QueryWord, query_words

__all__ = ["DirectoryFilters", "DirectoryQuery", "DirectoryResults", "DirectoryRow", "SearchTooBroad",
           "directory_enabled", "directory_search", "directory_words_forget", "query_words"]

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
    """A page of results. ``total`` counts every match, except that a query of one- and two-letter
    words counts to ``MAX_RESULTS`` at most (``more``: there are more). ``pages`` stops at the
    pages that hold the first ``MAX_RESULTS`` results (``capped``: results lie beyond)."""

    rows: tuple[DirectoryRow, ...]
    total: int
    page: int
    pages: int
    more: bool = False
    capped: bool = False


def directory_enabled() -> bool:
    """Return whether the directory is switched on (setting ``CANDIDATE_DIRECTORY``)."""
    return bool(getattr(settings, "CANDIDATE_DIRECTORY", True))


# Above this many rows holding a word that starts with a one- or two-letter query, its first page
# is read walking the sort's index (matches are dense: a page is found in a few hundred rows);
# at or below, through the index of words (matches are rare: walking would read the account).
DENSE_ABOVE = MAX_RESULTS


def directory_search(*, account_id: str, query: DirectoryQuery) -> DirectoryResults:
    """Return the page ``query.page`` of ``account_id``'s entries matching ``query``.

    A page past the last returns the last page (at most the page holding result ``MAX_RESULTS``);
    an empty query lists every entry. Never raises for what a user typed (every word reaches the
    database as a bound parameter or a quoted FTS5 string) except SearchTooBroad, when the search
    took longer than its time limit."""
    backend = search_backend()
    words = query_words(query.q)
    if words and name_words_unkeyed(account_id=account_id):
        name_words_key(account_id=account_id)  # rows written without the write path's keying
    page_size = max(1, min(query.page_size, 100))
    last_page = max(1, math.ceil(MAX_RESULTS / page_size))
    sort = query.sort if query.sort in SORTS else "relevance"
    with backend.search_session(query=bool(words)):
        entries = _filtered(DirectoryEntry.objects.filter(account_id=account_id), query.filters)
        if words and all(word.short for word in words):
            return _prefixes_page(backend, entries, account_id=account_id, words=words, sort=sort,
                                  page=query.page, page_size=page_size,
                                  filtered=query.filters != DirectoryFilters())
        if words:
            close = name_words_close(account_id=account_id, words=[word.text for word in words if word.fuzzy])
            entries = backend.entries_matching(entries, account_id=account_id, words=words, close=close)
            entries = entries.annotate(rank=_rank(words, close))
        if sort == "relevance" and not words:
            sort = "updated"
        entries = entries.order_by(*_ORDER[sort])
        page = min(max(1, query.page), last_page)
        if sort == "relevance" and backend.COUNT_WITH_PAGE:
            return _page_counted(entries, page=page, page_size=page_size)
        total = entries.count()
        return _page(entries, total=total, page=page, page_size=page_size)


# Ties break on the row id, which every index ends with: a page without a query is then an index
# walk, not a sort of the whole account.
_ORDER = {
    # Among equals, the name with the fewest other letters first (the query covers more of it:
    # "smith" finds Kate Smith before Kate Anderson-Smith), then by name.
    "relevance": ("rank", Length("name_text"), "name", "id"),
    "updated": ("-remote_updated_at", "id"),
    "name": ("name", "id"),
}
_COLUMNS = ("candidate_id", "remote_id", "name", "email", "title", "company", "country", "remote_updated_at")


def _page(entries: QuerySet[DirectoryEntry], *, total: int, page: int, page_size: int,
          more: bool = False) -> DirectoryResults:
    pages = max(1, math.ceil(min(total, MAX_RESULTS) / page_size))
    page = min(page, pages)
    return DirectoryResults(rows=_rows(entries, page=page, page_size=page_size), total=total, page=page,
                            pages=pages, more=more, capped=total > MAX_RESULTS)


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
            return _page(entries, total=total, page=page, page_size=page_size)
        return DirectoryResults(rows=(), total=0, page=1, pages=1)
    ids = [entry_id for entry_id, _ in found]
    read = DirectoryEntry.objects.filter(id__in=ids).values_list("id", *_COLUMNS)
    by_id = {row[0]: row[1:] for row in read}
    rows = tuple(DirectoryRow(*by_id[entry_id]) for entry_id in ids if entry_id in by_id)
    total = found[0][1]
    return DirectoryResults(rows=rows, total=total, page=page,
                            pages=max(1, math.ceil(min(total, MAX_RESULTS) / page_size)),
                            capped=total > MAX_RESULTS)


def _prefixes_page(backend: SearchBackend, entries: QuerySet[DirectoryEntry], *, account_id: str,
                   words: tuple[QueryWord, ...], sort: Sort, page: int, page_size: int,
                   filtered: bool) -> DirectoryResults:
    """Return a page of the rows with a name or company word starting with each of ``words`` (all
    of one or two characters), most recently updated first for relevance (a letter or two tell
    no row apart from another: the list's own order, whose index the page can walk); counted up
    to ``MAX_RESULTS``.

    The rows come from the backend's index of words, read up to ``DENSE_ABOVE`` of them: that
    many or fewer are sorted; more, and the page walks the sort's index instead (matches are
    dense: it stops after a few hundred rows; by name, matches bunch at their letter, and the
    walk may take longer, within the time limit)."""
    prefixes = [word.text for word in words]
    ids = backend.entry_ids_with_prefixes(account_id=account_id, prefixes=prefixes, limit=DENSE_ABOVE + 1)
    order = _ORDER["updated" if sort == "relevance" else sort]
    if len(ids) <= DENSE_ABOVE:
        entries = entries.filter(id__in=ids).order_by(*order)
        total = entries.count() if filtered else len(ids)
        return _page(entries, total=total, page=max(1, page), page_size=page_size)
    spaced = Concat(Value(" "), "name_text", Value(" "), "company_text", output_field=TextField())
    for prefix in prefixes:
        entries = entries.filter(_present(spaced, " " + prefix))
    total = entries.order_by().values("id")[:MAX_RESULTS + 1].count() if filtered else MAX_RESULTS + 1
    return _page(entries.order_by(*order), total=min(total, MAX_RESULTS), page=max(1, page),
                 page_size=page_size, more=total > MAX_RESULTS)


def directory_words_forget(*, account_id: str) -> None:
    """Forget the name words the database keeps for ``account_id`` (``directory_name_word`` and
    their keys), as its rows are purged."""
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


def _rank(words: tuple[QueryWord, ...], close: dict[str, CloseWords]) -> RawSQL:
    """Return the rank of a row (lower first): per word, typos × 1000 + how it matched × 100
    (0 a whole word, 1 the start of a word, 2 inside a word) + 1 when not in the name; summed, plus
    10 when the query's words are not in that order in the name. One SQL expression with bound
    parameters (Django's expression tree for it cost more to build than the query to run)."""
    find = "instr" if connection.vendor == "sqlite" else "strpos"
    name, company = "(' ' || name_text || ' ')", "(' ' || company_text || ' ')"
    text = "(' ' || search_text || ' ')"
    terms: list[str] = []
    params: list[str] = []
    for word in words:
        typed = word.text
        cases = [(name, f" {typed} ", 0), (text, f" {typed} ", 1), (name, f" {typed}", 100),
                 (text, f" {typed}", 101), (text, typed, 201)]
        found = close.get(typed, CloseWords())
        sql = "CASE " + " ".join(f"WHEN {find}({column}, %s) > 0 THEN {score}" for column, _, score in cases)
        params += [needle for _, needle, _ in cases]
        for typos, alternatives in ((1, found.one_typo), (2, found.two_typos), (3, found.sounds)):
            for column, score in ((name, typos * 1000), (company, typos * 1000 + 1)):
                if alternatives:
                    any_of = " OR ".join(f"{find}({column}, %s) > 0" for _ in alternatives)
                    sql += f" WHEN ({any_of}) THEN {score}"
                    params += [f" {alternative} " for alternative in alternatives]
        terms.append(sql + " ELSE 4000 END")
    if len(words) > 1:
        terms.append(f"CASE WHEN {find}({name}, %s) > 0 THEN 0 ELSE 10 END")
        params.append(" " + " ".join(word.text for word in words))
    return RawSQL(" + ".join(f"({term})" for term in terms), params, output_field=IntegerField())


def _present(text: Concat, needle: str) -> GreaterThan:
    return GreaterThan(StrIndex(text, Value(needle)), 0)

