"""CSV cells that are safe to open in a spreadsheet."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Return ``text`` for a CSV export: a leading = + - @ (which a spreadsheet would run as a
    formula) is neutralised with a quote."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
