"""Directory search on SQLite: FTS5 with the trigram tokenizer (table ``directory_search_fts``,
migration ``directory/0003_search``) finds any part of the search text, and so the name words a
query word stands for (typos, sound-alikes: ``search_index``); FTS5 with the word tokenizer and
prefix indexes (``directory_words_fts``, migration ``0006_search_name_index``) finds the rows with
a name or company word starting with one or two letters. A search's time limit is a progress
handler on the connection."""

from __future__ import annotations

from contextlib import AbstractContextManager

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from candidates.directory import search_index
from candidates.directory.models import DirectoryEntry
from candidates.directory.search_index import CloseWords
from candidates.directory.search_limits import sqlite_time_limit, time_limit_ms
from candidates.directory.search_words import SHORT_BELOW, QueryWord


class SqliteSearch:
    """The search backend for SQLite (``search_backend.SearchBackend``)."""

    # The count is its own query (FTS5 answers it from the index).
    COUNT_WITH_PAGE = False

    def search_session(self, *, query: bool) -> AbstractContextManager[None]:
        """Return what the queries of one search run in: the time limit's progress handler."""
        return sqlite_time_limit(time_limit_ms())

    def name_words_forget(self, *, account_id: str) -> None:
        """Delete the name words (and their keys) kept for ``account_id``."""
        search_index.name_words_forget(account_id=account_id)

    def entries_matching(self, entries: QuerySet[DirectoryEntry], *, account_id: str,
                         words: tuple[QueryWord, ...],
                         close: dict[str, CloseWords]) -> QuerySet[DirectoryEntry]:
        """Return ``entries`` narrowed to those every word matches (as typed, or a close name word)."""
        groups = []
        for word in words:
            if word.short:  # beside longer words: narrows their matches
                entries = entries.filter(search_text__contains=word.text)
                continue
            alternatives = [word.text, *(text for text in close.get(word.text, CloseWords()).every
                                         if len(text) >= SHORT_BELOW)]
            groups.append("(" + " OR ".join(_phrase(text) for text in alternatives) + ")")
        if groups:
            entries = entries.filter(id__in=RawSQL(
                "SELECT rowid FROM directory_search_fts WHERE directory_search_fts MATCH %s",
                [" AND ".join(groups)]))
        return entries

    def entry_ids_with_prefixes(self, *, account_id: str, prefixes: list[str], limit: int) -> list[int]:
        """Return the ids of at most ``limit`` rows with a name or company word starting with each
        prefix (FTS5's prefix indexes of one and two characters, read in order and stopped)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.id FROM directory_words_fts f JOIN directory_directoryentry e ON e.id = f.rowid "
                "WHERE f.directory_words_fts MATCH %s AND e.account_id = %s LIMIT %s",
                [" AND ".join(_phrase(prefix) + "*" for prefix in prefixes), account_id, limit])
            return [entry_id for (entry_id,) in cursor.fetchall()]


def _phrase(text: str) -> str:
    """Return ``text`` as an FTS5 string: everything inside double quotes is literal (NEAR, *, AND,
    brackets), a double quote is written twice."""
    return '"' + text.replace('"', '""') + '"'
