"""A conflict row as people read it, on the job page, in the results CSV and on the terminal: per
field, its label and three values (the row's baseline, the value now in StackOne, the value the
row would have sent), each written by the one readable renderer (``editor.change_text``: list
entries by their labels, options by name, dates readable; never a JSON dump)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from candidates.editor.change_text import EMPTY, value_summary
from candidates.editor.fields import FIELD_LABELS
from candidates.models import BulkRow
from candidates.types import CustomFieldDefinition, JSONValue


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


def value_shown(name: str, value: JSONValue, *, definitions: Iterable[CustomFieldDefinition] = ()) -> str:
    """Return field ``name``'s whole value as people read it ("(empty)" when there is none)."""
    return value_summary(name, value, definitions=definitions) or EMPTY


def conflict_words(row: BulkRow) -> ConflictWords:
    return REVERT_ROW if row.expected is not None else FILE_ROW


def conflicts_shown(row: BulkRow, *,
                    definitions: Iterable[CustomFieldDefinition] = ()) -> list[ConflictShown]:
    """Return the row's conflicting fields, readable (none for a row without conflicts);
    ``definitions``: the account's custom field definitions, for options by name."""
    definitions = tuple(definitions)
    shown = []
    for item in row.conflicts:
        if not isinstance(item, dict) or not isinstance(item.get("field"), str):
            continue
        name = item["field"]
        baseline, current, wanted = (value_shown(name, item.get(key), definitions=definitions)
                                     for key in ("baseline", "current", "wanted"))
        shown.append(ConflictShown(field=name, label=FIELD_LABELS.get(name) or name, baseline=baseline,
                                   current=current, wanted=wanted))
    return shown


def conflicts_text(row: BulkRow) -> str:
    """Return the row's conflicts as one line of text ("" without any), e.g. "Title: Analyst when
    previewed, now in StackOne Director, in the file Engineer"."""
    words = conflict_words(row)
    return "; ".join(f"{shown.label}: {shown.baseline} {words.baseline}, {words.current} {shown.current}, "
                     f"{words.wanted} {shown.wanted}" for shown in conflicts_shown(row))
