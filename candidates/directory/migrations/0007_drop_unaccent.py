"""PostgreSQL only: drop the unaccent extension ``0003_search`` installed and nothing uses (text is
folded in Python, ``index.text_normalise``). Kept when something else in the database depends on
it (another application's index, say): dropping is then not ours to do."""

from django.db import migrations

FORWARD = """
DO $$
BEGIN
    DROP EXTENSION IF EXISTS unaccent;
EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'unaccent is used by other objects of this database: kept';
END
$$
"""
BACKWARD = "CREATE EXTENSION IF NOT EXISTS unaccent"


def _run(statement):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0006_search_name_index"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
