"""JSON typed by a user (a form field, a CSV cell), read as standard JSON only.

Python's ``json`` accepts ``NaN``, ``Infinity`` and ``-Infinity`` and turns ``1e999`` into
infinity; none of them is JSON, so the database (PostgreSQL's jsonb), StackOne and ``json.dumps``
for the wire would refuse them later, after what was typed had been accepted.
"""

from __future__ import annotations

import json
import math
from typing import Any


class NonStandardNumber(ValueError):
    """NaN, Infinity or a number too large for a float: valid for Python, not JSON."""


def _constant(name: str) -> Any:
    raise NonStandardNumber(f"{name} is not a JSON number (write null, or a number such as 0)")


def _float(literal: str) -> float:
    number = float(literal)
    if not math.isfinite(number):
        raise NonStandardNumber(f"{literal} is too large for a number")
    return number


def json_loads_strict(text: str) -> Any:
    """Return the value of the JSON ``text``.

    Raises NonStandardNumber (a ValueError) for NaN, Infinity or a float overflowing to infinity,
    ValueError for anything else that is not JSON, RecursionError when nested past the stack.
    """
    return json.loads(text, parse_constant=_constant, parse_float=_float)


# Deeper JSON is refused up front: json.loads/dumps recurse, so a value parsed here could still
# hit RecursionError later (the diff, the HTTP client) at a deeper call stack.
MAX_JSON_DEPTH = 100


class JsonTooDeep(ValueError):
    """Lists and objects nested past MAX_JSON_DEPTH levels (or past the parser's stack)."""


def json_depth_exceeds(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Return True when ``value`` nests lists/objects more than ``limit`` levels deep."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:  # iterative, so checking depth cannot itself overflow the stack
        item, depth = stack.pop()
        if isinstance(item, (list, dict)):
            if depth > limit:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return False


def json_read(text: str) -> Any:
    """Return the value of the JSON ``text`` a user typed.

    Raises JsonTooDeep when nested past MAX_JSON_DEPTH, NonStandardNumber for NaN, Infinity or
    a float overflowing to infinity, ValueError for anything else that is not JSON (the first two
    are ValueErrors too: catch them first).
    """
    try:
        value = json_loads_strict(text)
    except RecursionError as exc:
        raise JsonTooDeep from exc
    if json_depth_exceeds(value):
        raise JsonTooDeep
    return value


# Python's own reasons (json.JSONDecodeError.msg, first words) → what is wrong, in words.
_REASONS = (
    ("Expecting property name enclosed in double quotes",
     "a name must be in double quotes, e.g. {\"key\": 1}"),
    ("Expecting ':' delimiter", "a colon (:) is missing after a name"),
    ("Expecting ',' delimiter", "a comma (,) is missing between two items"),
    ("Expecting value",
     "this is no JSON value (text needs double quotes; true, false and null are in lower case)"),
    ("Extra data", "there is more text after the end of the JSON"),
    ("Unterminated string", "a text is not closed with a double quote"),
    ("Invalid control character", "a text holds a line break or a tab: write it as \\n or \\t"),
    ("Invalid \\uXXXX escape", "a \\u escape needs four hexadecimal digits"),
    ("Invalid \\escape", "a backslash starts an escape JSON does not know: write \\\\ for a backslash"),
    ("Illegal trailing comma", "there is a comma before the closing bracket"),
)


def json_error_text(exc: ValueError, text: str) -> str:
    """Return why ``text`` is not JSON, in words and where ("a comma (,) is missing between two
    items, at line 2, column 9, after “"b": 1”"), for the ValueError ``json_read`` raised."""
    if not isinstance(exc, json.JSONDecodeError):
        return str(exc) or "it is not JSON"
    reason = next((words for start, words in _REASONS if exc.msg.startswith(start)), exc.msg)
    ahead = text[exc.pos:exc.pos + 1]
    behind = text[:exc.pos].rstrip()
    if ahead == "'" or (ahead == "" and behind.endswith("'")):
        reason = "text and names need double quotes (\"), not single quotes"
    elif behind.endswith(",") and ahead in ("}", "]"):
        reason = f"there is a comma before the closing {ahead}"
    elif not text.strip():
        return "it is empty"
    where = f"at line {exc.lineno}, column {exc.colno}"
    before = " ".join(text[:exc.pos].split())[-20:].strip()  # the text just before, on one line
    return f"{reason}, {where}" + (f", after “{before}”" if before else "")
