"""Directory search on SQLite: FTS5 with the trigram tokenizer (table ``directory_search_fts``,
migration ``directory/0003_search``) finds any part of the search text; typos come from the
in-memory name vocabulary (``vocabulary.py``), whose close words are looked up the same way."""

from __future__ import annotations

from contextlib import nullcontext

from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from candidates.directory.models import DirectoryEntry
from candidates.directory.search_words import FUZZY_THRESHOLD, QueryWord
from candidates.directory.vocabulary import vocabulary_similar

# The trigram tokenizer cannot look up fewer than three characters.
FTS_MIN_CHARS = 3


class SqliteSearch:
    """The search backend for SQLite (``search_backend.SearchBackend``)."""

    # The count is its own query (FTS5 answers it from the index).
    COUNT_WITH_PAGE = False

    def search_session(self, *, query: bool) -> nullcontext[None]:
        """Return what the queries of one search run in: nothing to set on SQLite."""
        return nullcontext()

    def name_words_forget(self, *, account_id: str) -> None:
        """Nothing kept in the database (the vocabulary is in memory, and only widens a typo's words)."""

    def entries_matching(self, entries: QuerySet[DirectoryEntry], *, account_id: str,
                         words: tuple[QueryWord, ...]) -> QuerySet[DirectoryEntry]:
        """Return ``entries`` narrowed to those every word matches (as typed, or a name close to it)."""
        return _entries_matching(entries, account_id=account_id, words=words)


def _entries_matching(entries: QuerySet[DirectoryEntry], *, account_id: str,
                      words: tuple[QueryWord, ...]) -> QuerySet[DirectoryEntry]:
    groups = []
    for word in words:
        if len(word.text) < FTS_MIN_CHARS:
            entries = entries.filter(search_text__contains=word.text)
            continue
        alternatives = [word.text]
        if word.fuzzy:
            alternatives += [close for close in vocabulary_similar(account_id=account_id, word=word.text,
                                                                  threshold=FUZZY_THRESHOLD)
                             if close != word.text and len(close) >= FTS_MIN_CHARS]
        groups.append("(" + " OR ".join(_phrase(text) for text in alternatives) + ")")
    if groups:
        entries = entries.filter(id__in=RawSQL(
            "SELECT rowid FROM directory_search_fts WHERE directory_search_fts MATCH %s",
            [" AND ".join(groups)]))
    return entries


def _phrase(text: str) -> str:
    """Return ``text`` as an FTS5 string: everything inside double quotes is literal (NEAR, *, AND,
    brackets), a double quote is written twice."""
    return '"' + text.replace('"', '""') + '"'
