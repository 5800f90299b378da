"""A query as search compares it: normalised like the stored text (case and accents folded,
control characters gone), a phone number typed with spaces or punctuation read as one word of
digits, and split into at most ``MAX_WORDS`` words, each marked for typo matching or not. Every
search backend reads a query through here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from candidates.directory.index import text_normalise

# A query is cut to this many words of this many characters (a 5 kB paste still gets a page).
MAX_WORDS = 8
MAX_WORD_CHARS = 64
# Words shorter than this match as typed only (too short for a typo to be told from another name).
FUZZY_MIN_CHARS = 4
# pg_trgm similarity a name word needs to count as a typo of a query word ("jonson" ~ "johnson" 0.5).
FUZZY_THRESHOLD = 0.45

# A phone number as people type it: digits with spaces, dots, dashes, brackets, a leading +.
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]*\d")
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: its text and whether a typo of it may match a name."""

    text: str
    fuzzy: bool


def query_words(q: str) -> tuple[QueryWord, ...]:
    """Return the words of ``q`` as search compares them (see the module docstring); at most
    ``MAX_WORDS`` of at most ``MAX_WORD_CHARS`` characters, duplicates dropped."""
    text = text_normalise(q[: MAX_WORDS * (MAX_WORD_CHARS + 1) * 4])
    text = _PHONE.sub(lambda match: " " + _phone_word(match.group()) + " ", text)
    words = list(dict.fromkeys(word[:MAX_WORD_CHARS] for word in text.split()))[:MAX_WORDS]
    return tuple(QueryWord(word, len(word) >= FUZZY_MIN_CHARS and word.isalpha()) for word in words)


def _phone_word(typed: str) -> str:
    digits = _NOT_DIGIT.sub("", typed)
    if len(digits) < 6:  # too short to be a phone number: "flat 12 b" stays three words
        return typed
    if typed.startswith(("+", "00")):
        # International: as phonenumbers reads it, so "+44 (0)7700 900123" drops the trunk 0.
        try:
            number = phonenumbers.parse("+" + typed.lstrip("+")[2 if typed.startswith("00") else 0:], None)
            return f"{number.country_code}{number.national_number}"
        except phonenumbers.NumberParseException:
            pass
    return digits
