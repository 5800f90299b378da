"""CSV cells: an export neutralises what a spreadsheet would run as a formula, and an upload
reads such a cell back as the value it stands for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candidates.csv_cells import csv_cell, csv_cell_value


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("+442079460000", "'+442079460000"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("-1", "'-1"),
        ("@sum", "'@sum"),
        ("Acme", "Acme"),
        ("'quoted'", "'quoted'"),
        ("", ""),
    ],
)
def test_an_export_neutralises_formulas_and_an_upload_reads_them_back(value, cell):
    assert csv_cell(value) == cell
    assert csv_cell_value(cell) == value


@given(st.text())
def test_every_value_not_starting_like_a_neutralised_cell_round_trips(value):
    if not (value[:1] == "'" and value[1:2] in ("=", "+", "-", "@", "\t", "\r")):
        assert csv_cell_value(csv_cell(value)) == value
