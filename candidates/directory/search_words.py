"""A query as search compares it: normalised like the stored text (case and accents folded,
control characters gone), a phone number typed with spaces or punctuation read as one word of
digits, a hyphenated or apostrophe'd name taken apart as the index takes names apart
(``anderson-smith`` → anderson, smith; ``o'brien`` → obrien), and split into at most
``MAX_WORDS`` words. Every search backend reads a query through here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

from candidates.directory.name_keys import name_words, sound, text_normalise, typo_limit

# A query is cut to this many words of this many characters (a 5 kB paste still gets a page).
MAX_WORDS = 8
MAX_WORD_CHARS = 64
# Words shorter than this have no trigram: alone they match the start of a name word, through the
# name-word index; beside longer words they narrow those words' matches.
SHORT_BELOW = 3

# A phone number as people type it: digits with spaces, dots, dashes, brackets, a leading + or 00,
# not glued to letters ("harrison8710" stays one word).
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s().\-/]*\d(?!\w)")
_NOT_DIGIT = re.compile(r"\D")
# Letters joined by hyphens or apostrophes only: a name, taken apart as the index does.
_JOINED_NAME = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)+")


@dataclass(frozen=True)
class QueryWord:
    """One word of a query: its text, and whether a typo or a sound-alike of it may match a name
    word (``fuzzy``)."""

    text: str
    fuzzy: bool

    @property
    def short(self) -> bool:
        """Too short for a trigram (one or two characters)."""
        return len(self.text) < SHORT_BELOW


def query_words(q: str) -> tuple[QueryWord, ...]:
    """Return the words of ``q`` as search compares them (see the module docstring); at most
    ``MAX_WORDS`` of at most ``MAX_WORD_CHARS`` characters, duplicates dropped."""
    text = text_normalise(q[: MAX_WORDS * (MAX_WORD_CHARS + 1) * 4])
    text = _PHONE.sub(lambda match: " " + _phone_word(match.group()) + " ", text)
    words: list[str] = []
    for word in text.split():
        words.extend(name_words(word) if _JOINED_NAME.fullmatch(word) else [word])
    kept = list(dict.fromkeys(word[:MAX_WORD_CHARS] for word in words))[:MAX_WORDS]
    return tuple(QueryWord(word, bool(typo_limit(word) or sound(word))) for word in kept)


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
