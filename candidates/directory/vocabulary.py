"""The name words of each account's directory, kept in memory, for typo-tolerant search on SQLite.

PostgreSQL compares a query word with the names itself (pg_trgm); SQLite has no such measure, so
this module computes pg_trgm's: the trigrams of a word padded as pg_trgm pads it ("  jo", ..., "n "),
and similarity = shared trigrams / all trigrams of both. A word's candidates come from an inverted
index (trigram → words), so a lookup touches only words sharing a trigram with it.

The vocabulary of an account is read once, then topped up with the rows written since
(``indexed_at``, indexed): a rename is found at once. Words of deleted or renamed rows stay until
the process restarts; that is harmless, since a word only widens the text that is then looked up.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from candidates.directory.models import DirectoryEntry

_WORD = re.compile(r"[^\W_]+")
# Most alternatives one query word expands to (the closest first).
MAX_ALTERNATIVES = 20


def trigrams(word: str) -> frozenset[str]:
    """Return pg_trgm's trigrams of one (already normalised) word."""
    padded = f"  {word} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def similarity(left: str, right: str) -> float:
    """Return pg_trgm's ``similarity`` of two single words."""
    a, b = trigrams(left), trigrams(right)
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass
class Vocabulary:
    """The distinct name words of one account and their trigram index."""

    sizes: dict[str, int] = field(default_factory=dict)
    postings: dict[str, list[str]] = field(default_factory=dict)
    high_water: datetime | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, text: str) -> None:
        for word in _WORD.findall(text):
            if word not in self.sizes:
                grams = trigrams(word)
                self.sizes[word] = len(grams)
                for gram in grams:
                    self.postings.setdefault(gram, []).append(word)

    def similar(self, word: str, threshold: float) -> list[str]:
        """Return the words at least ``threshold`` similar to ``word``, most similar first."""
        grams = trigrams(word)
        shared: Counter[str] = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        scored = []
        for candidate, common in shared.items():
            score = common / (len(grams) + self.sizes[candidate] - common)
            if score >= threshold:
                scored.append((-score, candidate))
        return [candidate for _, candidate in sorted(scored)[:MAX_ALTERNATIVES]]


_vocabularies: dict[str, Vocabulary] = {}
_registry_lock = threading.Lock()


def vocabulary_similar(*, account_id: str, word: str, threshold: float) -> list[str]:
    """Return the name words of ``account_id`` at least ``threshold`` similar to ``word``."""
    with _registry_lock:
        vocabulary = _vocabularies.setdefault(account_id, Vocabulary())
    with vocabulary.lock:
        _top_up(vocabulary, account_id)
        return vocabulary.similar(word, threshold)


def _top_up(vocabulary: Vocabulary, account_id: str) -> None:
    rows = DirectoryEntry.objects.filter(account_id=account_id)
    if vocabulary.high_water is not None:
        # >=: a row written in the same microsecond as the last one read is read again (words are a set).
        rows = rows.filter(indexed_at__gte=vocabulary.high_water)
    for text, indexed_at in rows.values_list("name_text", "indexed_at").iterator(chunk_size=5000):
        vocabulary.add(text)
        if vocabulary.high_water is None or indexed_at > vocabulary.high_water:
            vocabulary.high_water = indexed_at
