"""The keys search finds a name word by, computed the same way for every database: the words of a
name (accents folded, hyphenated and apostrophe'd names taken apart, other scripts also in Latin
letters), their typo keys (SymSpell's deletions), their sound (Metaphone) and the edit distance a
typo may have. Pure functions: both search backends and the index use them.

- Typos (Damerau–Levenshtein, a swap of two neighbouring letters counting as one): a word of
  ``TWO_TYPOS_MIN`` letters or more may have two, of ``ONE_TYPO_MIN`` one; a word of
  ``SWAP_MIN`` letters a swap (``jhon`` → john), and any one typo only when it is no name word of
  the account itself (``smth`` → smith; but ``jane`` is Jane, not June: one wrong letter in four
  makes another name).
- Deletion keys (SymSpell's symmetric delete): a word and a query word within distance k share a
  string made by deleting at most k letters from each; so the index keeps each name word's
  deletions and a query looks its own up (a handful of keys, through an index), then checks the
  distance of the few words found (jellyfish's Damerau–Levenshtein, in Rust).
- Sound: jellyfish's Metaphone of a word of Latin letters (Catherine, Katherine and Kathryn are
  all ``K0RN``), so that spelling variants find each other.
- Transliteration: anyascii (ISC licence) writes a word of another script in Latin letters
  (Дмитрий → dmitrii, Ελένη → eleni); the name keeps both.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import combinations

import jellyfish
from anyascii import anyascii

SWAP_MIN = 4
ONE_TYPO_MIN = 5
TWO_TYPOS_MIN = 9
# A name word this short has no typo keys: no query word may be a typo of it.
KEYED_MIN = SWAP_MIN
# A name word this long keeps its deletions of two letters (a 9-letter query word with two typos
# can be a name word of 8 letters that needs one of its own letters deleted, see ``word_keys``).
TWO_DELETIONS_MIN = TWO_TYPOS_MIN - 1
# Metaphone codes shorter than this say too little ("zoe" → "S").
SOUND_MIN = 2

_SPLIT = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_REPEATED = re.compile(r"(.)\1+")
_CAMEL = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")


# Letters with a stroke or ligatures, which NFKD does not take apart ("Łukasz Søren" → "lukasz soren").
_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"})


def text_normalise(text: str) -> str:
    """Return ``text`` case-folded, without accents and with single spaces ("Zoë  Ångström" →
    "zoe angstrom", "Łukasz" → "lukasz"), the form both the stored search text and a query are
    compared in."""
    if text.isascii() and text.isprintable():  # most text: nothing to fold but case and spaces
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    # Accents go, and so do control characters (a NUL reaches neither the index nor a query).
    stripped = "".join(char if char.isprintable() else " " for char in decomposed
                       if not unicodedata.combining(char))
    return " ".join(stripped.split())


def name_words(*texts: str) -> list[str]:
    """Return the distinct words of ``texts`` as search compares names: normalised (case and
    accents folded), split at spaces, hyphens and punctuation, an apostrophe dropped
    (``O'Brien`` → obrien), and a word in another script followed by its Latin transliteration
    (``Соколов`` → соколов, sokolov; ``张敏`` → 张敏, zhang, min, zhangmin)."""
    words: list[str] = []
    for text in texts:
        for part in _SPLIT.split(_APOSTROPHES.sub("", text_normalise(text or ""))):
            if not part:
                continue
            words.append(part)
            if not part.isascii():
                words.extend(transliterations(part))
    return list(dict.fromkeys(words))


def transliterations(word: str) -> list[str]:
    """Return ``word`` (normalised, not ASCII) in Latin letters: its syllables where anyascii marks
    them (Chinese, Japanese, Korean: ``ZhangMin``) and the whole, lower-case, letters and digits
    only; empty when nothing Latin comes of it."""
    latin = anyascii(word)
    parts = [part.lower() for part in _CAMEL.findall(latin)]
    whole = "".join(parts)
    return list(dict.fromkeys([*(parts if len(parts) > 1 else []), whole] if whole else []))


def typo_limit(word: str) -> int:
    """Return how many typos a query word may have to match some name word: 2 from
    ``TWO_TYPOS_MIN`` - 1 letters (a nine-letter name typed with a letter missing and another
    wrong has eight; ``typos`` then wants the name word to have nine), 1 from ``SWAP_MIN``, else 0."""
    if not word.isalpha():
        return 0
    length = len(word)
    return 2 if length >= TWO_TYPOS_MIN - 1 else 1 if length >= SWAP_MIN else 0


def deletions(word: str, count: int) -> set[str]:
    """Return ``word`` and every string made by deleting at most ``count`` of its letters."""
    keys = {word}
    for size in range(1, min(count, len(word) - 1) + 1):
        for positions in combinations(range(len(word)), size):
            keys.add("".join(char for i, char in enumerate(word) if i not in positions))
    return keys


def word_keys(word: str) -> set[str]:
    """Return the deletion keys the index keeps for a name word (none for a word too short to be
    anyone's typo target): its deletions of one letter, of two for a long word."""
    if len(word) < KEYED_MIN or not word.isalpha():
        return set()
    return deletions(word, 2 if len(word) >= TWO_DELETIONS_MIN else 1)


def query_keys(word: str) -> set[str]:
    """Return the deletion keys a query word looks up (none when it may have no typo)."""
    return deletions(word, typo_limit(word)) if typo_limit(word) else set()


def typos(typed: str, word: str, *, swaps_only: bool = False) -> int | None:
    """Return the number of typos between a query word and a name word when within the query
    word's limit, else None; 0 means the same word. ``swaps_only``: a four-letter word that is a
    name word itself matches another only by a swap."""
    limit = typo_limit(typed)
    if typed == word:
        return 0
    if not limit or abs(len(typed) - len(word)) > limit:
        return None
    if len(typed) < ONE_TYPO_MIN and swaps_only:
        return 1 if _swapped(typed, word) else None
    if max(len(typed), len(word)) < TWO_TYPOS_MIN:
        limit = 1  # two typos only in a word of nine letters or more
    distance = jellyfish.damerau_levenshtein_distance(typed, word)
    return distance if distance <= limit else None


def _swapped(typed: str, word: str) -> bool:
    if len(typed) != len(word):
        return False
    differ = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
    return (len(differ) == 2 and differ[1] == differ[0] + 1
            and typed[differ[0]] == word[differ[1]] and typed[differ[1]] == word[differ[0]])


def sound(word: str) -> str:
    """Return the Metaphone code of a name word of three or more Latin letters, a letter
    repeated in it written once (Rebecca ``RBKK`` and Rebekah ``RBK`` alike); "" for another word,
    or a code too short to tell names apart."""
    if len(word) < 3 or not (word.isascii() and word.isalpha()):
        return ""
    code = _REPEATED.sub(r"\1", jellyfish.metaphone(word))
    return code if len(code) >= SOUND_MIN else ""
