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
