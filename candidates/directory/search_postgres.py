"""Directory search on PostgreSQL: pg_trgm through django.contrib.postgres. ``LIKE '%…%'`` on the
search text and strict word similarity (``%>>``) on the names both use the GIN trigram indexes of
migration ``directory/0003_search``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from candidates.directory.models import DirectoryEntry
    from candidates.directory.search import QueryWord


def entries_matching(entries: QuerySet[DirectoryEntry], *, account_id: str,
                     words: tuple[QueryWord, ...]) -> QuerySet[DirectoryEntry]:
    """Return ``entries`` narrowed to those every word matches (as typed, or a name close to it)."""
    from candidates.directory.search import FUZZY_THRESHOLD

    if any(word.fuzzy for word in words):
        # The operator reads its threshold from the session (the index cannot take a function call).
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.strict_word_similarity_threshold', %s, false)",
                           [str(FUZZY_THRESHOLD)])
    for word in words:
        condition = Q(search_text__contains=word.text)
        if word.fuzzy:
            condition |= Q(name_text__trigram_strict_word_similar=word.text)
        entries = entries.filter(condition)
    return entries
