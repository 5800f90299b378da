"""System checks of the directory (``manage.py check``, and every start): the search backend the
database needs is there."""

from __future__ import annotations

import sqlite3
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.db import connection


def search_backend_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Return an error when the directory is on and its database cannot search: SQLite without
    FTS5's trigram tokenizer (SQLite 3.34 or later, built with FTS5), or a database without a
    search backend and no ``DIRECTORY_SEARCH_BACKEND``."""
    if not settings.CANDIDATE_DIRECTORY or settings.DIRECTORY_SEARCH_BACKEND:
        return []
    if connection.vendor == "sqlite" and not sqlite_trigram_available():
        return [Error(
            f"This SQLite ({sqlite3.sqlite_version}) has no FTS5 trigram tokenizer, which the candidate "
            "directory's search needs.",
            hint="Use a Python whose SQLite is 3.34 or later and built with FTS5, use PostgreSQL, "
                 "or set CANDIDATE_DIRECTORY=off.",
            id="directory.E001")]
    if connection.vendor not in ("sqlite", "postgresql"):
        return [Error(f"The candidate directory cannot search a {connection.vendor} database.",
                      hint="Use PostgreSQL or SQLite, set DIRECTORY_SEARCH_BACKEND, or set "
                           "CANDIDATE_DIRECTORY=off.", id="directory.E002")]
    return []


def sqlite_trigram_available() -> bool:
    """Return True when the SQLite library Python links can build an FTS5 trigram table."""
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text, tokenize='trigram')")
    except sqlite3.OperationalError:
        return False
    finally:
        probe.close()
    return True
