"""PostgreSQL only: typo-tolerant search through the names' distinct words instead of comparing
every row's names (``name_text %>> word``, whose index is scanned at length for each word).

- ``directory_name_words(name_text)``: the words of the names (split at anything but a letter or
  digit, as the SQLite vocabulary splits them), with a GIN index: which rows have one of these words.
- ``directory_name_word``: each account's distinct name words, with a GIN trigram index: which
  words resemble a query word. Statement triggers add the words of inserted rows and of rows whose
  names change, whatever writes them. Words of deleted or renamed rows stay (a word only widens
  what a typo is compared with).

The trigram index on ``name_text`` is dropped: nothing reads it any more. SQLite is unchanged.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    r"""
    CREATE FUNCTION directory_name_words(name_text text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array_remove(regexp_split_to_array(name_text, '[\W_]+'), '') $$
    """,
    "CREATE INDEX directory_name_words ON directory_directoryentry USING gin (directory_name_words(name_text))",
    "CREATE TABLE directory_name_word (account_id varchar(255) NOT NULL, word text NOT NULL, "
    "PRIMARY KEY (account_id, word))",
    "CREATE INDEX directory_name_word_trgm ON directory_name_word USING gin (word gin_trgm_ops)",
    # Sorted, so that two writers adding the same words cannot wait on each other in turn.
    """
    CREATE FUNCTION directory_name_word_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO directory_name_word (account_id, word)
            SELECT DISTINCT account_id, word FROM new_rows, unnest(directory_name_words(name_text)) AS word
            ORDER BY 1, 2 ON CONFLICT DO NOTHING;
        ELSE
            INSERT INTO directory_name_word (account_id, word)
            SELECT DISTINCT new_rows.account_id, word
            FROM new_rows JOIN old_rows ON old_rows.id = new_rows.id,
                 unnest(directory_name_words(new_rows.name_text)) AS word
            WHERE new_rows.name_text IS DISTINCT FROM old_rows.name_text
               OR new_rows.account_id IS DISTINCT FROM old_rows.account_id
            ORDER BY 1, 2 ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END
    $$
    """,
    "CREATE TRIGGER directory_name_word_insert AFTER INSERT ON directory_directoryentry "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_name_word_add()",
    "CREATE TRIGGER directory_name_word_update AFTER UPDATE ON directory_directoryentry "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION directory_name_word_add()",
    "INSERT INTO directory_name_word (account_id, word) SELECT DISTINCT account_id, word "
    "FROM directory_directoryentry, unnest(directory_name_words(name_text)) AS word ON CONFLICT DO NOTHING",
    "DROP INDEX IF EXISTS directory_name_trgm",
]
POSTGRES_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS directory_name_trgm ON directory_directoryentry "
    "USING gin (name_text gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS directory_name_word_insert ON directory_directoryentry",
    "DROP TRIGGER IF EXISTS directory_name_word_update ON directory_directoryentry",
    "DROP FUNCTION IF EXISTS directory_name_word_add()",
    "DROP TABLE IF EXISTS directory_name_word",
    "DROP INDEX IF EXISTS directory_name_words",
    "DROP FUNCTION IF EXISTS directory_name_words(text)",
]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0004_search_short_words"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
