"""A conflict row as people read it, on the job page and in the results CSV: per field, its label
and three values (the row's baseline, the value now in StackOne, the value the row would have
sent), written as the review page writes values (``candidates.editor.review``: list rows one by
one, never a JSON dump of the list). The one place to switch to another value renderer."""

from __future__ import annotations

from dataclasses import dataclass

from candidates.editor.fields import FIELD_LABELS, value_text
from candidates.editor.review import list_row_changes
from candidates.models import BulkRow
from candidates.types import JSONValue


@dataclass(frozen=True)
class ConflictShown:
    """One field of a conflict row: what the row expected, what StackOne holds, what it wanted."""

    field: str
    label: str
    baseline: str
    current: str
    wanted: str


@dataclass(frozen=True)
class ConflictWords:
    """What the three values are called: a file's row and a revert row name them differently."""

    baseline: str
    current: str
    wanted: str


FILE_ROW = ConflictWords(baseline="when previewed", current="now in StackOne", wanted="in the file")
REVERT_ROW = ConflictWords(baseline="as the job wrote it", current="now in StackOne", wanted="before the job")


def value_shown(value: JSONValue) -> str:
    """Return one field's value as the review page writes it ("(empty)" when there is none)."""
    if isinstance(value, list):
        rows = [row.new for row in list_row_changes([], value)]
        return "; ".join(rows) if rows else "(empty list)"
    return value_text(value) or "(empty)"


def conflict_words(row: BulkRow) -> ConflictWords:
    return REVERT_ROW if row.expected is not None else FILE_ROW


def conflicts_shown(row: BulkRow) -> list[ConflictShown]:
    """Return the row's conflicting fields, readable (none for a row without conflicts)."""
    return [ConflictShown(field=item["field"], label=FIELD_LABELS.get(item["field"]) or item["field"],
                          baseline=value_shown(item.get("baseline")),
                          current=value_shown(item.get("current")), wanted=value_shown(item.get("wanted")))
            for item in row.conflicts if isinstance(item, dict) and isinstance(item.get("field"), str)]


def conflicts_text(row: BulkRow) -> str:
    """Return the row's conflicts as one line of text ("" without any), e.g. "Title: Analyst when
    previewed, now in StackOne Director, in the file Engineer"."""
    words = conflict_words(row)
    return "; ".join(f"{shown.label}: {shown.baseline} {words.baseline}, {words.current} {shown.current}, "
                     f"{words.wanted} {shown.wanted}" for shown in conflicts_shown(row))
