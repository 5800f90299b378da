"""The name-word index typo, sound and prefix search read, the same tables on both databases, kept
by triggers whatever writes a directory row (see docs/operations/postgresql.md):

- ``company_text``: the company's words, as ``name_text`` holds the names' (``name_keys.name_words``:
  split at hyphens and punctuation, other scripts also in Latin letters); existing rows are
  rewritten here with a frozen copy of that rule.
- ``directory_name_word``: each account's distinct words of names and companies, with how many
  rows use each (``uses``); a word no row uses any more is deleted at once (after a delete, a
  rename, a full sync's removals, a purge), and its keys with it.
- ``directory_name_key``: each word's SymSpell deletion keys, filled by the app
  (``search_index.name_words_key``) for the words whose ``sound`` is still NULL.
- SQLite: ``directory_words_fts`` (FTS5, whole words, prefix indexes of one and two characters)
  over the same words: one- and two-letter prefixes through an index. ``directory_position``
  (1..8192) splits a row's words inside a trigger (SQLite triggers take no WITH).
- PostgreSQL: a GIN index of ``directory_entry_words(name_text, company_text)``; the previous
  ``directory_name_word`` (words only, never removed; migration 0005) and its trigram index go.

Every step runs only on its own database and is undone on the way back.
"""

import re
import unicodedata

from anyascii import anyascii
from django.db import migrations, models

POSITIONS = 8192


def _words_of(row: str, *, sqlite: bool) -> str:
    """SQL: the distinct words of ``row``'s name_text and company_text, as column ``word``."""
    if not sqlite:
        return f"SELECT DISTINCT unnest(directory_entry_words({row}.name_text, {row}.company_text)) AS word"
    text = f"({row}.name_text || ' ' || {row}.company_text || ' ')"
    return (f"SELECT DISTINCT substr({text}, n, instr(substr({text}, n), ' ') - 1) AS word "
            f"FROM directory_position WHERE n < length({text}) AND substr({text}, n, 1) <> ' ' "
            f"AND (n = 1 OR substr({text}, n - 1, 1) = ' ')")


def _sqlite_fts(name: str, table: str, columns: str) -> list[str]:
    values = ", ".join(f"new.{column.strip()}" for column in columns.split(","))
    old_values = ", ".join(f"old.{column.strip()}" for column in columns.split(","))
    return [
        f"CREATE TRIGGER {name}_insert AFTER INSERT ON directory_directoryentry BEGIN "
        f"INSERT INTO {table}(rowid, {columns}) VALUES (new.id, {values}); END",
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON directory_directoryentry BEGIN "
        f"INSERT INTO {table}({table}, rowid, {columns}) VALUES ('delete', old.id, {old_values}); END",
        f"CREATE TRIGGER {name}_update AFTER UPDATE OF {columns} ON directory_directoryentry BEGIN "
        f"INSERT INTO {table}({table}, rowid, {columns}) VALUES ('delete', old.id, {old_values}); "
        f"INSERT INTO {table}(rowid, {columns}) VALUES (new.id, {values}); END",
    ]


SQLITE_FORWARD = [
    "CREATE TABLE directory_position (n INTEGER PRIMARY KEY)",
    "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %d) "
    "INSERT INTO directory_position (n) SELECT n FROM seq" % POSITIONS,
    "CREATE TABLE directory_name_word (id INTEGER PRIMARY KEY, account_id varchar(255) NOT NULL, "
    "word text NOT NULL, uses integer NOT NULL, sound text NULL)",
    "CREATE UNIQUE INDEX directory_name_word_unique ON directory_name_word (account_id, word)",
    "CREATE INDEX directory_name_word_sound ON directory_name_word (account_id, sound)",
    "CREATE INDEX directory_name_word_unkeyed ON directory_name_word (account_id) WHERE sound IS NULL",
    "CREATE TABLE directory_name_key (account_id varchar(255) NOT NULL, key text NOT NULL, "
    "word_id integer NOT NULL, PRIMARY KEY (account_id, key, word_id)) WITHOUT ROWID",
    "CREATE INDEX directory_name_key_word ON directory_name_key (word_id)",
    "CREATE TRIGGER directory_name_key_delete AFTER DELETE ON directory_name_word BEGIN "
    "DELETE FROM directory_name_key WHERE word_id = old.id; END",
    "CREATE TRIGGER directory_name_word_insert AFTER INSERT ON directory_directoryentry BEGIN "
    f"INSERT INTO directory_name_word (account_id, word, uses) SELECT new.account_id, word, 1 "
    f"FROM ({_words_of('new', sqlite=True)}) WHERE true "
    "ON CONFLICT (account_id, word) DO UPDATE SET uses = uses + 1; END",
    "CREATE TRIGGER directory_name_word_delete AFTER DELETE ON directory_directoryentry BEGIN "
    f"UPDATE directory_name_word SET uses = uses - 1 WHERE account_id = old.account_id "
    f"AND word IN ({_words_of('old', sqlite=True)}); "
    f"DELETE FROM directory_name_word WHERE account_id = old.account_id AND uses <= 0 "
    f"AND word IN ({_words_of('old', sqlite=True)}); END",
    # The new words first, then the old ones: a word in both keeps its row (and its keys).
    "CREATE TRIGGER directory_name_word_update AFTER UPDATE OF account_id, name_text, company_text "
    "ON directory_directoryentry WHEN old.account_id IS NOT new.account_id "
    "OR old.name_text IS NOT new.name_text OR old.company_text IS NOT new.company_text BEGIN "
    f"INSERT INTO directory_name_word (account_id, word, uses) SELECT new.account_id, word, 1 "
    f"FROM ({_words_of('new', sqlite=True)}) WHERE true "
    "ON CONFLICT (account_id, word) DO UPDATE SET uses = uses + 1; "
    f"UPDATE directory_name_word SET uses = uses - 1 WHERE account_id = old.account_id "
    f"AND word IN ({_words_of('old', sqlite=True)}); "
    f"DELETE FROM directory_name_word WHERE account_id = old.account_id AND uses <= 0 "
    f"AND word IN ({_words_of('old', sqlite=True)}); END",
    "INSERT INTO directory_name_word (account_id, word, uses) "
    "SELECT account_id, word, count(*) FROM (SELECT DISTINCT e.id, e.account_id, "
    "substr(e.name_text || ' ' || e.company_text || ' ', n, "
    "instr(substr(e.name_text || ' ' || e.company_text || ' ', n), ' ') - 1) AS word "
    "FROM directory_directoryentry e, directory_position "
    "WHERE n < length(e.name_text || ' ' || e.company_text || ' ') "
    "AND substr(e.name_text || ' ' || e.company_text || ' ', n, 1) <> ' ' "
    "AND (n = 1 OR substr(e.name_text || ' ' || e.company_text || ' ', n - 1, 1) = ' ')) GROUP BY 1, 2",
    "CREATE VIRTUAL TABLE directory_words_fts USING fts5(name_text, company_text, "
    "content='directory_directoryentry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 0', prefix='1 2')",
    *_sqlite_fts("directory_words_fts", "directory_words_fts", "name_text, company_text"),
    "INSERT INTO directory_words_fts(directory_words_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_words_fts_insert",
    "DROP TRIGGER IF EXISTS directory_words_fts_delete",
    "DROP TRIGGER IF EXISTS directory_words_fts_update",
    "DROP TABLE IF EXISTS directory_words_fts",
    "DROP TRIGGER IF EXISTS directory_name_word_insert",
    "DROP TRIGGER IF EXISTS directory_name_word_delete",
    "DROP TRIGGER IF EXISTS directory_name_word_update",
    "DROP TRIGGER IF EXISTS directory_name_key_delete",
    "DROP TABLE IF EXISTS directory_name_key",
    "DROP TABLE IF EXISTS directory_name_word",
    "DROP TABLE IF EXISTS directory_position",
]


def _postgres_counter(operation: str) -> str:
    """A statement trigger's function: add the words of inserted rows (and of updated rows whose
    words changed), take away those of deleted rows (and the updated ones' old words), and delete a
    word no row uses any more. Sorted, so that two writers lock words in one order."""
    def words(rows: str, other: str) -> str:
        join = where = ""
        if operation == "update":
            join = f" JOIN {other} o ON o.id = n.id"
            where = (" WHERE n.account_id IS DISTINCT FROM o.account_id OR n.name_text IS DISTINCT FROM "
                     "o.name_text OR n.company_text IS DISTINCT FROM o.company_text")
        return ("SELECT account_id, word, count(*) AS uses FROM ("
                f"SELECT DISTINCT n.id, n.account_id, w.word FROM {rows} n{join}, "
                f"LATERAL ({_words_of('n', sqlite=False)}) AS w{where}) AS words GROUP BY 1, 2 ORDER BY 1, 2")

    add = ("INSERT INTO directory_name_word (account_id, word, uses) " + words("new_rows", "old_rows")
           + " ON CONFLICT (account_id, word) DO UPDATE SET uses = directory_name_word.uses + excluded.uses;")
    gone = words("old_rows", "new_rows")
    take = (f"UPDATE directory_name_word d SET uses = d.uses - g.uses FROM ({gone}) AS g "
            "WHERE d.account_id = g.account_id AND d.word = g.word; "
            f"DELETE FROM directory_name_word d USING ({gone}) AS g "
            "WHERE d.account_id = g.account_id AND d.word = g.word AND d.uses <= 0;")
    body = {"insert": add, "delete": take, "update": add + " " + take}[operation]
    return (f"CREATE FUNCTION directory_name_word_{operation}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body} RETURN NULL; END $$")


POSTGRES_FORWARD = [
    # 0005's words table (never forgets a word) and what served it.
    "DROP TRIGGER IF EXISTS directory_name_word_insert ON directory_directoryentry",
    "DROP TRIGGER IF EXISTS directory_name_word_update ON directory_directoryentry",
    "DROP FUNCTION IF EXISTS directory_name_word_add()",
    "DROP TABLE IF EXISTS directory_name_word",
    "DROP INDEX IF EXISTS directory_name_words",
    "DROP FUNCTION IF EXISTS directory_name_words(text)",
    # PL/pgSQL with a high cost, not an inlined SQL function: the planner then reads the GIN index
    # below instead of computing the words of row after row (a one-letter query: 58 ms → 5 ms).
    "CREATE FUNCTION directory_entry_words(name_text text, company_text text) RETURNS text[] "
    "LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1000 AS $$ BEGIN RETURN array_remove(string_to_array("
    "coalesce(name_text, '') || ' ' || coalesce(company_text, ''), ' '), ''); END $$",
    "CREATE INDEX directory_entry_words ON directory_directoryentry "
    "USING gin (directory_entry_words(name_text, company_text))",
    'CREATE TABLE directory_name_word (id bigserial PRIMARY KEY, account_id varchar(255) NOT NULL, '
    'word text COLLATE "C" NOT NULL, uses integer NOT NULL, sound text NULL, '
    "CONSTRAINT directory_name_word_unique UNIQUE (account_id, word))",
    "CREATE INDEX directory_name_word_sound ON directory_name_word (account_id, sound)",
    "CREATE INDEX directory_name_word_unkeyed ON directory_name_word (account_id) WHERE sound IS NULL",
    'CREATE TABLE directory_name_key (account_id varchar(255) NOT NULL, key text COLLATE "C" NOT NULL, '
    "word_id bigint NOT NULL REFERENCES directory_name_word (id) ON DELETE CASCADE, "
    "PRIMARY KEY (account_id, key, word_id))",
    "CREATE INDEX directory_name_key_word ON directory_name_key (word_id)",
    _postgres_counter("insert"),
    _postgres_counter("delete"),
    _postgres_counter("update"),
    "CREATE TRIGGER directory_name_word_insert AFTER INSERT ON directory_directoryentry "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_name_word_insert()",
    "CREATE TRIGGER directory_name_word_delete AFTER DELETE ON directory_directoryentry "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_name_word_delete()",
    "CREATE TRIGGER directory_name_word_update AFTER UPDATE ON directory_directoryentry "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION directory_name_word_update()",
    "INSERT INTO directory_name_word (account_id, word, uses) SELECT account_id, word, count(*) FROM ("
    "SELECT DISTINCT e.id, e.account_id, w.word FROM directory_directoryentry e, "
    f"LATERAL ({_words_of('e', sqlite=False)}) AS w) AS words GROUP BY 1, 2",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_name_word_insert ON directory_directoryentry",
    "DROP TRIGGER IF EXISTS directory_name_word_delete ON directory_directoryentry",
    "DROP TRIGGER IF EXISTS directory_name_word_update ON directory_directoryentry",
    "DROP FUNCTION IF EXISTS directory_name_word_insert()",
    "DROP FUNCTION IF EXISTS directory_name_word_delete()",
    "DROP FUNCTION IF EXISTS directory_name_word_update()",
    "DROP TABLE IF EXISTS directory_name_key",
    "DROP TABLE IF EXISTS directory_name_word",
    "DROP INDEX IF EXISTS directory_entry_words",
    "DROP FUNCTION IF EXISTS directory_entry_words(text, text)",
    # 0005 as it was.
    r"""
    CREATE FUNCTION directory_name_words(name_text text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array_remove(regexp_split_to_array(name_text, '[\W_]+'), '') $$
    """,
    "CREATE INDEX directory_name_words ON directory_directoryentry USING gin (directory_name_words(name_text))",
    "CREATE TABLE directory_name_word (account_id varchar(255) NOT NULL, word text NOT NULL, "
    "PRIMARY KEY (account_id, word))",
    "CREATE INDEX directory_name_word_trgm ON directory_name_word USING gin (word gin_trgm_ops)",
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
]

# --- existing rows: their name and company words by the rule of ``name_keys.name_words`` as it
# was when this migration was written (frozen here: a migration does not import live code). ---
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})
_SPLIT = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_CAMEL = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


def _normalise(text: str) -> str:
    if text.isascii() and text.isprintable():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    return " ".join("".join(char if char.isprintable() else " " for char in decomposed
                            if not unicodedata.combining(char)).split())


def _words(*texts: str) -> list[str]:
    words: list[str] = []
    for text in texts:
        for part in _SPLIT.split(_APOSTROPHES.sub("", _normalise(text or ""))):
            if part:
                words.append(part)
                if not part.isascii():
                    parts = [piece.lower() for piece in _CAMEL.findall(anyascii(part))]
                    whole = "".join(parts)
                    words.extend([*(parts if len(parts) > 1 else []), whole] if whole else [])
    return list(dict.fromkeys(words))


def entries_rewrite(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Rewrite name_text and company_text of existing rows, and add to search_text the name words
    it does not hold as such."""
    entry_model = apps.get_model("directory", "DirectoryEntry")
    batch = []
    for entry in entry_model.objects.only("id", "name", "first_name", "last_name", "company",
                                          "search_text").iterator(chunk_size=2000):
        entry.name_text = " ".join(_words(entry.name, entry.first_name, entry.last_name))
        entry.company_text = " ".join(_words(entry.company))
        spaced = f" {entry.search_text} "
        extra = [word for word in entry.name_text.split() if f" {word} " not in spaced]
        entry.search_text = " ".join([entry.search_text, *extra]) if extra else entry.search_text
        batch.append(entry)
        if len(batch) == 2000:
            entry_model.objects.bulk_update(batch, ["name_text", "company_text", "search_text"])
            batch = []
    entry_model.objects.bulk_update(batch, ["name_text", "company_text", "search_text"])


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("directory", "0005_search_name_words"),
    ]

    operations = [
        # ALTER TABLE on both databases: Django would rebuild SQLite's table for a NOT NULL column,
        # and a rebuilt table loses the triggers of migration 0003.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddField(
                model_name="directoryentry",
                name="company_text",
                field=models.TextField(blank=True, help_text="The company's words, as name_text has the names'."),
            )],
            database_operations=[migrations.RunSQL(
                "ALTER TABLE directory_directoryentry ADD COLUMN company_text text NOT NULL DEFAULT ''",
                "ALTER TABLE directory_directoryentry DROP COLUMN company_text",
            )],
        ),
        migrations.RunPython(entries_rewrite, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
                             _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD})),
    ]
