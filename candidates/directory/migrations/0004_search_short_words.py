"""PostgreSQL only: an index for query words of one or two characters, which no trigram serves
(many Chinese, Japanese and Korean names: ``敏``, ``小林``).

``directory_short_grams(search_text)`` is every one- and two-character piece of the search text's
words that holds a character outside ASCII; a GIN index over it answers "does the text contain
``敏``" exactly. Pieces of plain ASCII are left out: ``jo`` or ``a`` match so many rows that an
index would not help. SQLite matches such words with its own scan and is unchanged.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    r"""
    CREATE FUNCTION directory_short_grams(search_text text) RETURNS text[]
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
    DECLARE
        grams text[] := '{}';
        word text;
        i integer;
    BEGIN
        IF search_text !~ '[^\x01-\x7f]' THEN  -- most rows: nothing outside ASCII
            RETURN grams;
        END IF;
        FOREACH word IN ARRAY string_to_array(search_text, ' ') LOOP
            CONTINUE WHEN word !~ '[^\x01-\x7f]';
            FOR i IN 1 .. length(word) LOOP
                grams := grams || substr(word, i, 1);
                IF i < length(word) THEN
                    grams := grams || substr(word, i, 2);
                END IF;
            END LOOP;
        END LOOP;
        RETURN ARRAY(SELECT DISTINCT gram FROM unnest(grams) AS gram WHERE gram ~ '[^\x01-\x7f]');
    END
    $$
    """,
    "CREATE INDEX directory_short_grams ON directory_directoryentry USING gin (directory_short_grams(search_text))",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_short_grams",
    "DROP FUNCTION IF EXISTS directory_short_grams(text)",
]


def _run(statements):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0003_search"),
    ]

    operations = [
        migrations.RunPython(_run(POSTGRES_FORWARD), _run(POSTGRES_BACKWARD)),
    ]
