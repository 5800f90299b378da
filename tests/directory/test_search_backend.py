"""The database's part of a search is a backend class: chosen by the database's vendor, named by
a setting instead, and checked at start-up (SQLite needs FTS5's trigram tokenizer)."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from candidates.directory import checks
from candidates.directory.models import DirectoryEntry
from candidates.directory.search import DirectoryQuery, directory_search
from candidates.directory.search_backend import search_backend
from candidates.directory.search_index import CloseWords
from candidates.directory.search_postgres import PostgresSearch
from candidates.directory.search_sqlite import SqliteSearch
from candidates.directory.search_words import QueryWord
from tests.directory.support import ACCOUNT, PEOPLE, entries_create

pytestmark = pytest.mark.django_db


class ExactIdSearch:
    """A backend that finds a row only by its exact candidate id (as a setting may name one)."""

    forgotten: list[str] = []

    def search_session(self, *, query: bool) -> nullcontext[None]:
        return nullcontext()

    def entries_matching(
        self, entries: QuerySet[DirectoryEntry], *, account_id: str, words: tuple[QueryWord, ...],
        close: dict[str, CloseWords],
    ) -> QuerySet[DirectoryEntry]:
        # A hyphenated query is taken apart into its words ("c-ada" → c, ada): put back together.
        return entries.filter(candidate_id="-".join(word.text for word in words))

    def entries_with_prefixes(self, entries: QuerySet[DirectoryEntry], *, account_id: str,
                              prefixes: list[str]) -> QuerySet[DirectoryEntry]:
        return entries.none()

    def name_words_forget(self, *, account_id: str) -> None:
        self.forgotten.append(account_id)


def test_the_backend_is_the_one_for_the_database_in_use() -> None:
    expected = {"sqlite": SqliteSearch, "postgresql": PostgresSearch}[connection.vendor]
    assert type(search_backend()) is expected


def test_a_setting_names_another_backend_and_search_goes_through_it(settings: Any) -> None:
    entries_create(PEOPLE)
    assert "c-ada" in [row.candidate_id for row in directory_search(
        account_id=ACCOUNT, query=DirectoryQuery(q="lovelace")).rows]
    settings.DIRECTORY_SEARCH_BACKEND = "tests.directory.test_search_backend.ExactIdSearch"
    assert type(search_backend()) is ExactIdSearch
    assert directory_search(account_id=ACCOUNT, query=DirectoryQuery(q="lovelace")).rows == ()
    assert [row.candidate_id for row in directory_search(
        account_id=ACCOUNT, query=DirectoryQuery(q="c-ada")).rows] == ["c-ada"]


def test_start_up_names_a_sqlite_without_the_trigram_tokenizer(monkeypatch: pytest.MonkeyPatch,
                                                                settings: Any) -> None:
    assert checks.search_backend_check() == []  # this machine's SQLite (or PostgreSQL) can search
    monkeypatch.setattr(checks, "sqlite_trigram_available", lambda: False)
    errors = checks.search_backend_check()
    if connection.vendor == "sqlite":
        [error] = errors
        assert error.id == "directory.E001" and "no FTS5 trigram tokenizer" in error.msg
        assert "CANDIDATE_DIRECTORY=off" in (error.hint or "")
    else:
        assert errors == []  # PostgreSQL does not need SQLite's tokenizer
    settings.CANDIDATE_DIRECTORY = False
    assert checks.search_backend_check() == []  # nothing to search: nothing to check


def test_the_probe_reads_the_sqlite_python_links() -> None:
    assert checks.sqlite_trigram_available() is True  # the suite's own Python has it (SQLite ≥ 3.34)
