"""Directory search on PostgreSQL: pg_trgm through django.contrib.postgres, and the indexes of
migrations ``directory/0003_search``, ``0004_search_short_words`` and ``0006_search_name_index``.

- A word of three characters or more: ``LIKE '%…%'`` on the search text (GIN trigram index), or
  one of the name words it stands for (typos, sound-alikes: ``search_index``), through the GIN
  index of ``directory_entry_words(name_text, company_text)``.
- Beside such words, a word of one or two characters with a character outside ASCII (``敏``,
  ``小林``): the GIN index of ``directory_short_grams(search_text)``; a shorter ASCII word (``jo``)
  is a plain ``strpos`` filter of the rows the other words found.
- A query of one- and two-character words only: the account's name words starting with each
  (``directory_name_word``'s unique index), then the rows holding one (the GIN index above).

The queries of one search run in a transaction with the planner told that pages come from memory
(``random_page_cost``), so that it reads a word's matches through its index instead of scanning
the table, without JIT compilation, which costs more than these queries take, and with the
search's time limit as ``statement_timeout``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg.errors
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains, Overlap
from django.db import OperationalError, connection, transaction
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from candidates.directory import search_index
from candidates.directory.models import DirectoryEntry
from candidates.directory.search_index import CloseWords
from candidates.directory.search_limits import SearchTooBroad, time_limit_ms
from candidates.directory.search_words import SHORT_BELOW, QueryWord

# What a search sets for its own transaction (restored afterwards inside a caller's transaction).
SEARCH_SETTINGS = {"random_page_cost": "1.1", "jit": "off", "max_parallel_workers_per_gather": "0"}
# Most words one prefix expands to (the rows then come from the words' GIN index).
MAX_PREFIX_WORDS = 2000


class PostgresSearch:
    """The search backend for PostgreSQL (``search_backend.SearchBackend``)."""

    # Sorted by relevance, the page's query also counts the matches (COUNT(*) OVER ()): every match
    # is read and ranked once, not once to count and again to rank. (Another sort may walk its
    # index and stop at the page, so its count stays a query of its own.)
    COUNT_WITH_PAGE = True

    def search_session(self, *, query: bool) -> AbstractContextManager[None]:
        """Return the context one search runs in (``search_session``)."""
        return search_session()

    def entries_matching(self, entries: QuerySet[DirectoryEntry], *, account_id: str,
                         words: tuple[QueryWord, ...],
                         close: dict[str, CloseWords]) -> QuerySet[DirectoryEntry]:
        """Return ``entries`` narrowed to those every word matches (as typed, or a close name word)."""
        for word in words:
            if not word.short:
                condition = Q(search_text__contains=word.text)
            elif word.text.isascii():
                condition = Q(GreaterThan(StrIndex("search_text", Value(word.text)), 0))
            else:
                # The same expression as the index, so that the planner uses it.
                grams = Func(F("search_text"), function="directory_short_grams", output_field=_texts())
                condition = Q(DataContains(grams, Value([word.text], output_field=_texts())))
            alternatives = [text for text in close.get(word.text, CloseWords()).every
                            if len(text) >= SHORT_BELOW]
            if alternatives:
                condition |= Q(Overlap(_entry_words(), Value(alternatives, output_field=_texts())))
            entries = entries.filter(condition)
        return entries

    def entry_ids_with_prefixes(self, *, account_id: str, prefixes: list[str], limit: int) -> list[int]:
        """Return the ids of at most ``limit`` rows with a name or company word starting with each
        prefix: the words from ``directory_name_word``, the rows from their GIN index."""
        expanded = search_index.name_words_with_prefixes(account_id=account_id, prefixes=prefixes,
                                                         limit=MAX_PREFIX_WORDS)
        if not all(expanded.values()):
            return []
        entries = DirectoryEntry.objects.filter(account_id=account_id)
        for words in expanded.values():
            entries = entries.filter(Overlap(_entry_words(), Value(words, output_field=_texts())))
        return list(entries.values_list("id", flat=True)[:limit])

    def name_words_forget(self, *, account_id: str) -> None:
        """Delete the name words (and, by cascade, their keys) kept for ``account_id``."""
        search_index.name_words_forget(account_id=account_id)


def _texts() -> ArrayField:
    return ArrayField(TextField())


def _entry_words() -> Func:
    # The same expression as the GIN index of migration 0006, so that the planner uses it.
    return Func(F("name_text"), F("company_text"), function="directory_entry_words", output_field=_texts())


@contextmanager
def search_session() -> Iterator[None]:
    """Run the enclosed queries in one transaction with ``SEARCH_SETTINGS`` and the time limit
    (``statement_timeout``). Raises SearchTooBroad when a statement ran out of time."""
    settings = dict(SEARCH_SETTINGS, statement_timeout=str(time_limit_ms()))
    nested = connection.in_atomic_block
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                names = list(settings)
                cursor.execute("SELECT " + ", ".join(
                    "current_setting(%s, true), set_config(%s, %s, true)" for _ in names),
                    [value for name in names for value in (name, name, settings[name])])
                before = cursor.fetchone()[0::2]
            yield
            if nested:  # SET LOCAL lasts to the end of the caller's transaction: put the values back
                restore = [(name, value) for name, value in zip(names, before, strict=True)
                           if value is not None]
                with connection.cursor() as cursor:
                    cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in restore),
                                   [item for pair in restore for item in pair])
    except OperationalError as error:
        if isinstance(error.__cause__, psycopg.errors.QueryCanceled):
            raise SearchTooBroad from error
        raise
