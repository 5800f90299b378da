"""The name-word index, the same tables and the same SQL on both databases (migration
``directory/0006_search_name_index``): each account's distinct words of names and companies
(``directory_name_word``, kept by triggers, a word gone once no row uses it) and their SymSpell
deletion keys (``directory_name_key``), which the app computes (``name_keys``) for the words the
triggers added (their ``sound`` still NULL).

A query word finds its typos by looking its own deletion keys up (a few dozen, through the
primary key) and checking the distance of the words found; its sound-alikes by their Metaphone
code (an index); the words it starts, for a word of one or two letters, by a range of the
unique index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from candidates.directory.name_keys import query_keys, sound, typos, word_keys

# Most words one query word expands to, per kind (closest and most used first).
MAX_ALTERNATIVES = 12
# Words keyed per statement while filling the keys of new words.
_KEY_BATCH = 500
# Above every character: the end of a range of words starting with a prefix.
_LAST = "\U0010ffff"


@dataclass(frozen=True)
class CloseWords:
    """The name words of an account a query word may stand for, besides itself."""

    one_typo: tuple[str, ...] = ()
    two_typos: tuple[str, ...] = ()
    sounds: tuple[str, ...] = ()

    @property
    def every(self) -> tuple[str, ...]:
        return (*self.one_typo, *self.two_typos, *self.sounds)


@dataclass
class _Found:
    typo: dict[str, tuple[int, int]] = field(default_factory=dict)  # word -> (typos, -uses)
    sound: dict[str, int] = field(default_factory=dict)  # word -> -uses


def name_words_key(*, account_id: str | None = None) -> int:
    """Compute the deletion keys and sound of the words the triggers added since the last call
    (of ``account_id``, or of every account). Returns how many words were keyed. Safe to run
    in several processes at once (keys are inserted once; a word removed meanwhile keeps none)."""
    keyed = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            where = "sound IS NULL" + (" AND account_id = %s" if account_id is not None else "")
            cursor.execute(f"SELECT id, account_id, word FROM directory_name_word WHERE {where} LIMIT %s",
                           [*([account_id] if account_id is not None else []), _KEY_BATCH])
            words = cursor.fetchall()
            if not words:
                return keyed
            rows = [(account, key, word_id) for word_id, account, word in words for key in word_keys(word)]
            for start in range(0, len(rows), 300):
                chunk = rows[start:start + 300]
                cursor.execute(
                    "INSERT INTO directory_name_key (account_id, key, word_id) SELECT v.column1, v.column2, "
                    f"v.column3 FROM (VALUES {', '.join(['(%s, %s, %s)'] * len(chunk))}) AS v "
                    "WHERE EXISTS (SELECT 1 FROM directory_name_word w WHERE w.id = v.column3) "
                    "ON CONFLICT DO NOTHING", [value for row in chunk for value in row])
            cursor.execute(
                "UPDATE directory_name_word SET sound = CASE id "
                + " ".join(["WHEN %s THEN %s"] * len(words))
                + f" END WHERE id IN ({', '.join(['%s'] * len(words))})",
                [*(value for word_id, _, word in words for value in (word_id, sound(word))),
                 *(word_id for word_id, _, _ in words)])
            keyed += len(words)


def name_words_unkeyed(*, account_id: str) -> bool:
    """Return whether ``account_id`` has words without keys yet (an index of those alone)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM directory_name_word WHERE account_id = %s AND sound IS NULL LIMIT 1",
                       [account_id])
        return cursor.fetchone() is not None


def name_words_close(*, account_id: str, words: Sequence[str]) -> dict[str, CloseWords]:
    """Return, for each of ``words`` that has any, the account's name words within its typo
    limit (``name_keys.typos``) and those sounding alike (same Metaphone code, not already a
    typo), each kind closest and most used first, at most ``MAX_ALTERNATIVES`` of each; in two
    queries."""
    keys = {word: query_keys(word) for word in words}
    codes = {word: sound(word) for word in words}
    found = {word: _Found() for word in words}
    every_key = sorted(set().union(*keys.values())) if keys else []
    with connection.cursor() as cursor:
        if every_key:
            cursor.execute(
                "SELECT k.key, w.word, w.uses FROM directory_name_key k "
                "JOIN directory_name_word w ON w.id = k.word_id "
                f"WHERE k.account_id = %s AND k.key IN ({', '.join(['%s'] * len(every_key))})",
                [account_id, *every_key])
            hits = cursor.fetchall()
            # A short word that is itself a name word matches another by a swap only.
            known = {name_word for _, name_word, _ in hits if name_word in keys}
            for key, name_word, uses in hits:
                for typed, typed_keys in keys.items():
                    if key in typed_keys and name_word not in found[typed].typo:
                        distance = typos(typed, name_word, swaps_only=typed in known)
                        if distance:
                            found[typed].typo[name_word] = (distance, -uses)
        wanted = sorted({code for code in codes.values() if code})
        if wanted:
            cursor.execute(
                "SELECT sound, word, uses FROM directory_name_word "
                f"WHERE account_id = %s AND sound IN ({', '.join(['%s'] * len(wanted))})",
                [account_id, *wanted])
            for code, name_word, uses in cursor.fetchall():
                for typed, typed_code in codes.items():
                    if code == typed_code and name_word != typed and name_word not in found[typed].typo:
                        found[typed].sound[name_word] = -uses
    close = {}
    for typed, hits in found.items():
        ranked = sorted(hits.typo.items(), key=lambda item: (item[1], item[0]))
        one = tuple(word for word, (distance, _) in ranked if distance == 1)[:MAX_ALTERNATIVES]
        two = tuple(word for word, (distance, _) in ranked if distance == 2)[:MAX_ALTERNATIVES]
        sounds = tuple(word for word, _ in sorted(hits.sound.items(), key=lambda item: (item[1], item[0])))
        if one or two or sounds:
            close[typed] = CloseWords(one, two, sounds[:MAX_ALTERNATIVES])
    return close


def name_words_with_prefixes(*, account_id: str, prefixes: Sequence[str], limit: int) -> dict[str, list[str]]:
    """Return, for each prefix, up to ``limit`` words of ``account_id`` starting with it, most used
    first (ranges of the unique index), in one query."""
    if not prefixes:
        return {}
    part = ("SELECT * FROM (SELECT %s AS prefix, word FROM directory_name_word WHERE account_id = %s "
            "AND word >= %s AND word < %s ORDER BY uses DESC, word LIMIT %s) AS p{}")
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(part.format(i) for i in range(len(prefixes))),
                       [value for prefix in prefixes
                        for value in (prefix, account_id, prefix, prefix + _LAST, limit)])
        found: dict[str, list[str]] = {prefix: [] for prefix in prefixes}
        for prefix, word in cursor.fetchall():
            found[prefix].append(word)
        return found


def name_words_forget(*, account_id: str) -> None:
    """Delete the name words (and so their keys) kept for ``account_id``. The triggers already
    do as its rows go; this also clears words a row never held (none, unless written by hand)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # no foreign key cascade relied on there
            cursor.execute("DELETE FROM directory_name_key WHERE account_id = %s", [account_id])
        cursor.execute("DELETE FROM directory_name_word WHERE account_id = %s", [account_id])
