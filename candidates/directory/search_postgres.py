"""Directory search on PostgreSQL: pg_trgm through django.contrib.postgres, and the indexes of
migrations ``directory/0003_search`` and ``0004_search_short_words``.

- A word of three characters or more: ``LIKE '%…%'`` on the search text (GIN trigram index).
- A word of one or two characters with a character outside ASCII (``敏``, ``小林``): the GIN index
  of ``directory_short_grams(search_text)``, which holds every such piece of the text; a shorter
  ASCII word (``jo``) is a plain ``strpos`` filter (it matches too many rows for an index to help).
- A typo (a word of four letters or more): the account's distinct name words similar to it
  (table ``directory_name_word``, GIN trigram index, pg_trgm's ``similarity``, as the SQLite
  vocabulary measures it), then the rows with one of those name words (GIN index of
  ``directory_name_words(name_text)``).

The queries of one search run in a transaction with the planner told that pages come from memory
(``random_page_cost``), so that it reads a word's matches through its index instead of scanning
the table, and without JIT compilation, which costs more than these queries take.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.lookups import DataContains, Overlap
from django.db import connection, transaction
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from candidates.directory.models import DirectoryEntry
from candidates.directory.search_words import FUZZY_THRESHOLD, QueryWord
from candidates.directory.vocabulary import MAX_ALTERNATIVES

# pg_trgm's LIKE support needs a trigram; shorter words go through directory_short_grams.
TRIGRAM_MIN_CHARS = 3
# What a search sets for its own transaction (restored afterwards inside a caller's transaction).
SEARCH_SETTINGS = {"random_page_cost": "1.1", "jit": "off"}


class PostgresSearch:
    """The search backend for PostgreSQL (``search_backend.SearchBackend``)."""

    # Sorted by relevance, the page's query also counts the matches (COUNT(*) OVER ()): every match
    # is read and ranked once, not once to count and again to rank. (Another sort may walk its
    # index and stop at the page, so its count stays a query of its own.)
    COUNT_WITH_PAGE = True

    def search_session(self, *, query: bool) -> AbstractContextManager[None]:
        """Return the context one search runs in (``search_session``)."""
        return search_session(query=query)

    def entries_matching(self, entries: QuerySet[DirectoryEntry], *, account_id: str,
                         words: tuple[QueryWord, ...]) -> QuerySet[DirectoryEntry]:
        """Return ``entries`` narrowed to those every word matches (``entries_matching``)."""
        return entries_matching(entries, account_id=account_id, words=words)

    def name_words_forget(self, *, account_id: str) -> None:
        """Delete the name words kept for ``account_id``."""
        name_words_forget(account_id=account_id)


@contextmanager
def search_session(*, query: bool) -> Iterator[None]:
    """Run the enclosed queries in one transaction with ``SEARCH_SETTINGS``, and with the typo
    threshold when there is a ``query``."""
    settings = dict(SEARCH_SETTINGS)
    if query:
        settings["pg_trgm.similarity_threshold"] = str(FUZZY_THRESHOLD)
    nested = connection.in_atomic_block
    with transaction.atomic():
        with connection.cursor() as cursor:
            names = list(settings)
            # current_setting(…, true): NULL when pg_trgm's option is not defined yet in this session.
            cursor.execute("SELECT " + ", ".join(
                "current_setting(%s, true), set_config(%s, %s, true)" for _ in names),
                [value for name in names for value in (name, name, settings[name])])
            before = cursor.fetchone()[0::2]
        yield
        if nested:  # SET LOCAL lasts to the end of the caller's transaction: put the values back
            restore = [(name, value) for name, value in zip(names, before, strict=True) if value is not None]
            with connection.cursor() as cursor:
                cursor.execute("SELECT " + ", ".join("set_config(%s, %s, true)" for _ in restore),
                               [item for pair in restore for item in pair])


def entries_matching(entries: QuerySet[DirectoryEntry], *, account_id: str,
                     words: tuple[QueryWord, ...]) -> QuerySet[DirectoryEntry]:
    """Return ``entries`` narrowed to those every word matches (as typed, or a name close to it).
    Run inside ``search_session`` (the typo threshold is a setting of its transaction)."""
    similar = name_words_similar(account_id=account_id, words=[word.text for word in words if word.fuzzy])
    for word in words:
        if len(word.text) >= TRIGRAM_MIN_CHARS:
            condition = Q(search_text__contains=word.text)
        elif word.text.isascii():
            condition = Q(GreaterThan(StrIndex("search_text", Value(word.text)), 0))
        else:
            # The same expression as the index, so that the planner uses it.
            grams = Func(F("search_text"), function="directory_short_grams", output_field=_texts())
            condition = Q(DataContains(grams, Value([word.text], output_field=_texts())))
        if close := similar.get(word.text):
            names = Func(F("name_text"), function="directory_name_words", output_field=_texts())
            condition |= Q(Overlap(names, Value(close, output_field=_texts())))
        entries = entries.filter(condition)
    return entries


def _texts() -> ArrayField:
    return ArrayField(TextField())


def name_words_similar(*, account_id: str, words: list[str]) -> dict[str, list[str]]:
    """Return, for each of ``words`` that has any, the name words of ``account_id`` at least
    ``FUZZY_THRESHOLD`` similar to it (the ``%`` operator reads it from ``search_session``), the
    closest ``MAX_ALTERNATIVES`` first; in one query."""
    if not words:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT typed, close FROM unnest(%s::text[]) AS typed, LATERAL ("
            "  SELECT word AS close, similarity(word, typed) AS score FROM directory_name_word"
            "  WHERE account_id = %s AND word %% typed ORDER BY score DESC, word LIMIT %s) AS found "
            "ORDER BY typed, score DESC, close",
            [words, account_id, MAX_ALTERNATIVES])
        similar: dict[str, list[str]] = {}
        for typed, close in cursor.fetchall():
            similar.setdefault(typed, []).append(close)
        return similar


def name_words_forget(*, account_id: str) -> None:
    """Delete the name words kept for ``account_id``."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM directory_name_word WHERE account_id = %s", [account_id])
