"""The date a list is filtered by (the audit log, the candidate list): a day between
``FILTER_MIN`` and ``FILTER_MAX``, checked with the rest of the form before any query runs.

Unbounded, ``9999-12-31`` passed Django's date check and then overflowed when its day's end was
computed (``date + 1 day``): a 500, or an audit export cut off after its header."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

FILTER_MIN = date(1900, 1, 1)
FILTER_MAX = date(2999, 12, 31)
_MESSAGE = f"Enter a date between {FILTER_MIN.isoformat()} and {FILTER_MAX.isoformat()}."


class FilterDateField(forms.DateField):
    """An optional ``DateField`` bounded to ``FILTER_MIN`` … ``FILTER_MAX`` (message beside the
    field), whose date picker offers only those days."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(
            label=label,
            widget=forms.DateInput(attrs={"type": "date", "min": FILTER_MIN.isoformat(),
                                          "max": FILTER_MAX.isoformat()}),
            validators=[MinValueValidator(FILTER_MIN, message=_MESSAGE),
                        MaxValueValidator(FILTER_MAX, message=_MESSAGE)],
            **kwargs)
