"""Search: the names column typo-tolerant search compares, the index the SQLite vocabulary reads,
and each database's own text index.

- PostgreSQL: the pg_trgm extension and GIN trigram indexes on ``search_text`` (any part of any
  field, ``LIKE '%…%'``) and ``name_text`` (typos, ``%>>`` strict word similarity). This migration
  also installed unaccent, which nothing used: ``0007_drop_unaccent`` removes it.
- SQLite: an FTS5 table with the trigram tokenizer over ``search_text``, kept in step with the
  entries by triggers (whatever writes a row, the ORM, bulk_create or raw SQL, updates it).
Each step runs only on its own database, both ways. The search columns of rows written before it
are computed by a copy of the code of the time (a migration must not change when the code does).
"""

import re
import unicodedata

import phonenumbers
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


EXTENSIONS_FORWARD = {"postgresql": ["CREATE EXTENSION IF NOT EXISTS pg_trgm",
                                      "CREATE EXTENSION IF NOT EXISTS unaccent"]}
EXTENSIONS_BACKWARD = {"postgresql": ["DROP EXTENSION IF EXISTS unaccent", "DROP EXTENSION IF EXISTS pg_trgm"]}


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


# --- candidates.directory.index as of this migration --------------------------------------------

_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
_NOT_DIGIT = re.compile(r"\D")


def _normalise(text):  # type: ignore[no-untyped-def]
    if text.isascii() and text.isprintable():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    stripped = "".join(char if char.isprintable() else " " for char in decomposed
                       if not unicodedata.combining(char))
    return " ".join(stripped.split())


def _phone_digit_forms(phone, region):  # type: ignore[no-untyped-def]
    forms = [_NOT_DIGIT.sub("", phone)]
    spelled = phone.strip()
    if spelled.startswith("00"):
        spelled = "+" + spelled[2:]
    try:
        number = phonenumbers.parse(spelled, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None:
        national = str(number.national_number)
        number_region = phonenumbers.region_code_for_country_code(number.country_code or 0)
        trunk = phonenumbers.ndd_prefix_for_region(number_region, True) or ""
        forms += [f"{number.country_code}{national}", national, trunk + national]
    return [form for form in dict.fromkeys(forms) if form]


def _name_text(fields):  # type: ignore[no-untyped-def]
    return _normalise(" ".join(dict.fromkeys(
        part for part in (fields["name"], fields["first_name"], fields["last_name"]) if part)))


def _search_text(candidate_id, fields):  # type: ignore[no-untyped-def]
    country = fields.get("country", "").strip().upper()
    region = country if len(country) == 2 and country.isalpha() else None
    digits = [form for phone in fields["phones"].splitlines() for form in _phone_digit_forms(phone, region)]
    parts = [fields["name"], fields["first_name"], fields["last_name"], fields["emails"],
             fields["phones"], *digits, fields["company"], fields["title"], candidate_id, fields["remote_id"]]
    return _normalise(" ".join(part for part in parts if part))


def entries_reindex(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Compute the search columns of rows written before this migration (every input is a column)."""
    entry_model = apps.get_model("directory", "DirectoryEntry")
    columns = ("name", "first_name", "last_name", "emails", "phones", "company", "title", "remote_id", "country")
    for entry in entry_model.objects.iterator(chunk_size=1000):
        fields = {column: getattr(entry, column) for column in columns}
        entry.name_text = _name_text(fields)
        entry.search_text = _search_text(entry.candidate_id, fields)
        entry.save(update_fields=["name_text", "search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0002_sync"),
    ]

    operations = [
        # Django's TrigramExtension and UnaccentExtension unapply by querying pg_extension, which
        # fails on SQLite: the same statements, guarded by the vendor both ways.
        migrations.RunPython(_run(EXTENSIONS_FORWARD), _run(EXTENSIONS_BACKWARD)),
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
        # Backwards there is nothing to undo: the columns go with the field.
        migrations.RunPython(entries_reindex, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
                             _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})),
    ]
