"""Search: the names column typo-tolerant search compares, the index the SQLite vocabulary reads,
and each database's own text index.

- PostgreSQL: the pg_trgm and unaccent extensions and GIN trigram indexes on ``search_text`` (any
  part of any field, ``LIKE '%…%'``) and ``name_text`` (typos, ``%>>`` strict word similarity).
- SQLite: an FTS5 table with the trigram tokenizer over ``search_text``, kept in step with the
  entries by triggers (whatever writes a row, the ORM, bulk_create or raw SQL, updates it).
Each part runs only on its own database.
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE directory_search_fts USING fts5(search_text, content='directory_directoryentry', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER directory_search_fts_insert AFTER INSERT ON directory_directoryentry BEGIN "
    "INSERT INTO directory_search_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER directory_search_fts_delete AFTER DELETE ON directory_directoryentry BEGIN "
    "INSERT INTO directory_search_fts(directory_search_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER directory_search_fts_update AFTER UPDATE OF search_text ON directory_directoryentry "
    "BEGIN "
    "INSERT INTO directory_search_fts(directory_search_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO directory_search_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO directory_search_fts(directory_search_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_search_fts_insert",
    "DROP TRIGGER IF EXISTS directory_search_fts_delete",
    "DROP TRIGGER IF EXISTS directory_search_fts_update",
    "DROP TABLE IF EXISTS directory_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX directory_search_trgm ON directory_directoryentry USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX directory_name_trgm ON directory_directoryentry USING gin (name_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_search_trgm",
    "DROP INDEX IF EXISTS directory_name_trgm",
]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


def entries_reindex(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Recompute the search columns of rows written before this migration (every input is a column)."""
    from candidates.directory.index import name_text, search_text

    entry_model = apps.get_model("directory", "DirectoryEntry")
    for entry in entry_model.objects.iterator(chunk_size=1000):
        columns = ("name", "first_name", "last_name", "emails", "phones", "company", "title", "remote_id",
                   "country")
        fields = {column: getattr(entry, column) for column in columns}
        entry.name_text = name_text(fields)
        entry.search_text = search_text(entry.candidate_id, fields)
        entry.save(update_fields=["name_text", "search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_sync"),
    ]

    operations = [
        TrigramExtension(),
        UnaccentExtension(),
        migrations.AddField(
            model_name="directoryentry",
            name="name_text",
            field=models.TextField(blank=True,
                                   help_text="Normalised names, which typo-tolerant search compares."),
        ),
        migrations.AddIndex(
            model_name="directoryentry",
            index=models.Index(fields=["account_id", "indexed_at"], name="directory_indexed"),
        ),
        migrations.RunPython(entries_reindex, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
                             _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})),
    ]
