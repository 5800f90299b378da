"""CSV cells that are safe to open in a spreadsheet, and columns named as spreadsheets name them."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Return ``text`` for a CSV export: a leading = + - @ (which a spreadsheet would run as a
    formula) is neutralised with a quote."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_cell_value(cell: str) -> str:
    """Return the value a cell of an uploaded CSV stands for: a cell ``csv_cell`` neutralised
    (a quote before = + - @) loses that quote again, so a file this app wrote (the data-health
    fixes, an export) can be uploaded as it is. A value that really starts with a quote and one of
    those characters cannot be told apart from a neutralised one, and is read without its quote."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_STARTS else cell


def column_letter(position: int) -> str:
    """Return a spreadsheet's name for the 1-based column ``position`` (1 → A, 28 → AB; "" for 0)."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
