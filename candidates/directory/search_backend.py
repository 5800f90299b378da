"""The database's part of a search, behind one declared interface (as django-watson's and
Wagtail's search backends do): how the words of a query find rows, what one search runs in
(its time limit), and the name words kept for an account. One implementation per database
(``search_sqlite.SqliteSearch``: FTS5 with the trigram and the word tokenizers;
``search_postgres.PostgresSearch``: pg_trgm and GIN), chosen by the database's vendor, or named
by the setting ``DIRECTORY_SEARCH_BACKEND`` (a dotted path to a class). What both share (the
name-word index, its keys, edit distance, sound, transliteration) lives in ``search_index`` and
``name_keys``."""

from __future__ import annotations

from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from candidates.directory.models import DirectoryEntry
from candidates.directory.search_index import CloseWords
from candidates.directory.search_postgres import PostgresSearch
from candidates.directory.search_sqlite import SqliteSearch
from candidates.directory.search_words import QueryWord

BY_VENDOR: dict[str, type[SearchBackend]] = {"postgresql": PostgresSearch, "sqlite": SqliteSearch}


class SearchBackend(Protocol):
    """What a database does for a directory search."""

    # True: with a query sorted by relevance, the page's query also counts the matches
    # (``COUNT(*) OVER ()``); False: the count is a query of its own.
    COUNT_WITH_PAGE: bool

    def search_session(self, *, query: bool) -> AbstractContextManager[None]:
        """Return the context the queries of one search run in (``query``: it has words). It
        raises ``search_limits.SearchTooBroad`` when they take longer than the time limit."""
        ...

    def entries_matching(self, entries: QuerySet[DirectoryEntry], *, account_id: str,
                         words: tuple[QueryWord, ...],
                         close: dict[str, CloseWords]) -> QuerySet[DirectoryEntry]:
        """Return ``entries`` narrowed to those every word matches: as typed, or through one of the
        name words ``close`` gives for it (typos, sound-alikes)."""
        ...

    def entry_ids_with_prefixes(self, *, account_id: str, prefixes: list[str], limit: int) -> list[int]:
        """Return the ids of at most ``limit`` rows of ``account_id`` with a name or company word
        starting with each of ``prefixes`` (one or two characters), read through an index (and
        stopping at ``limit``)."""
        ...

    def name_words_forget(self, *, account_id: str) -> None:
        """Forget what the database keeps of ``account_id``'s names for typo search."""
        ...


def search_backend() -> SearchBackend:
    """Return the search backend of the default database: the class named by
    ``DIRECTORY_SEARCH_BACKEND`` when set, else the one for its vendor. Raises
    ImproperlyConfigured for a vendor without one (the system check says so at start-up)."""
    return _backend(getattr(settings, "DIRECTORY_SEARCH_BACKEND", "") or "", connection.vendor)


@lru_cache(maxsize=8)
def _backend(path: str, vendor: str) -> SearchBackend:
    if path:
        return import_string(path)()
    if vendor not in BY_VENDOR:
        raise ImproperlyConfigured(f"No directory search for the {vendor} database: use PostgreSQL or "
                                   "SQLite, or set DIRECTORY_SEARCH_BACKEND")
    return BY_VENDOR[vendor]()
