"""Deleted directory text gone from disk, not only from queries (SQLite).

A deleted row's text stays in the database file until something overwrites it: in the freed space
of the table's pages, in the FTS5 index's older segments (a delete only adds a "deleted" marker),
and in the write-ahead log. The app's SQLite connections run with ``PRAGMA secure_delete=ON``
(``settings.DATABASES``: freed space is zeroed), and after a purge or a full sync that removed
rows ``directory_storage_compact`` merges each FTS5 index into one segment without the deleted rows
(``optimize``) and checkpoints the log into the file (``wal_checkpoint(TRUNCATE)``). PostgreSQL
reclaims deleted rows with its (auto)vacuum."""

from __future__ import annotations

import logging
import time

from django.db import connection

logger = logging.getLogger(__name__)
# Every FTS5 table holding directory text: the search text (migration 0003) and the name and
# company words (migration 0006).
FTS_TABLES = ("directory_search_fts", "directory_words_fts")


def directory_storage_compact() -> None:
    """On SQLite, rewrite the search index without deleted rows and checkpoint the log (outside any
    transaction: run it on commit); nothing on other databases. Never raises: the rows are deleted
    whatever happens here, and the next compaction does the rest."""
    if connection.vendor != "sqlite":
        return
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            for table in FTS_TABLES:  # names from this module, never from input
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            busy, _log_pages, _checkpointed = cursor.fetchone()
    except Exception:
        logger.exception("directory: compacting the search index failed")
        return
    if busy:  # a reader held an older snapshot: the rest is checkpointed later, automatically
        logger.info("directory: the write-ahead log was only partly checkpointed (a reader was busy)")
    logger.info("directory: search index compacted in %.1f s", time.monotonic() - started)
