"""Every migration can be unapplied and applied again, on SQLite and on PostgreSQL: each app
migrates to zero (no table of it left, no search index, no extension) and back to its latest
state, where the directory's search works as before.

All but django-tasks-db's (``django_tasks_database``): its 0013 is a data migration without a
reverse, upstream; its tables stay through the round trip."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from candidates.directory.index import entry_fields
from candidates.directory.models import DirectoryEntry
from candidates.directory.search import DirectoryQuery, directory_search
from candidates.types import Candidate


def _tables() -> set[str]:
    """Return the database's tables, SQLite's own (``sqlite_stat1``, which ANALYZE makes) left out."""
    with connection.cursor() as cursor:
        return {name for name in connection.introspection.table_names(cursor)
                if not name.startswith("sqlite_")}


def _extensions() -> set[str]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'")
        return {name for (name,) in cursor.fetchall()}


IRREVERSIBLE_UPSTREAM = "django_tasks_database"


def _migrate(targets: list[tuple[str, str | None]]) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def latest(transactional_db: None) -> Iterator[list[tuple[str, str]]]:
    """The latest migration of every app, applied again after the test whatever it left."""
    nodes = MigrationExecutor(connection).loader.graph.leaf_nodes()
    yield nodes
    _migrate(nodes)


def test_every_app_migrates_to_zero_and_back(latest: list[tuple[str, str]]) -> None:
    tables = _tables()
    kept = {table for table in tables if table.startswith("django_tasks_database")}

    _migrate([(app, None) for app in sorted({app for app, _ in latest} - {IRREVERSIBLE_UPSTREAM})])

    assert _tables() == {"django_migrations"} | kept
    assert _extensions() == set()

    _migrate(latest)

    assert _tables() == tables
    assert _extensions() == ({"pg_trgm"} if connection.vendor == "postgresql" else set())
    DirectoryEntry.objects.create(account_id="acc", candidate_id="c-1", **entry_fields(Candidate.from_api(
        {"id": "c-1", "name": "Zoë Ångström", "email": "zoe@nordic.se"})))
    found = directory_search(account_id="acc", query=DirectoryQuery(q="angstrom nordic"))
    assert [row.candidate_id for row in found.rows] == ["c-1"]


def test_rows_written_before_the_search_migration_are_searchable_after_it(
    latest: list[tuple[str, str]]
) -> None:
    _migrate([("directory", "0002_sync")])
    old_entry = MigrationExecutor(connection).loader.project_state(("directory", "0002_sync")).apps.get_model(
        "directory", "DirectoryEntry")
    old_entry.objects.create(account_id="acc", candidate_id="c-7", name="Łukasz Żółć", first_name="Łukasz",
                             last_name="Żółć", phones="07700 900123", country="GB")

    _migrate(latest)

    for words in ("lukasz zolc", "7700900123", "447700900123"):
        found = directory_search(account_id="acc", query=DirectoryQuery(q=words))
        assert [row.candidate_id for row in found.rows] == ["c-7"], words


ROOT = Path(__file__).resolve().parents[1]
MIGRATION_FILES = sorted(path for package in ("candidates", "sandbox")
                         for path in (ROOT / package).rglob("migrations/0*.py"))


@pytest.mark.parametrize("path", MIGRATION_FILES, ids=lambda path: f"{path.parent.parent.name}/{path.name}")
def test_a_migration_imports_none_of_the_project_s_code(path: Path) -> None:
    """A migration runs the code of its time: importing today's modules would change what an old
    migration does (or break it) whenever they change."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    ours = ("candidates", "sandbox", "stackone_admin")
    assert not {name for name in imported if name.split(".")[0] in ours}
