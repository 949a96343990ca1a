"""The one rule that keeps a spreadsheet from running a cell (walkthrough/domain/spreadsheet_cell.py)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walkthrough.domain.spreadsheet_cell import escape_cell, unescape_cell


@pytest.mark.parametrize("cell", ["=1+1", "+44 1856", "-3", "@SUM(A1)", "\tTab", "\rCR", "'quoted"])
def test_a_cell_a_spreadsheet_could_run_is_written_as_text(cell: str) -> None:
    assert escape_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["", "Reception", "Zoë", "a=b", "3 - 4"])
def test_an_ordinary_cell_is_written_as_it_is(cell: str) -> None:
    assert escape_cell(cell) == cell == unescape_cell(cell)


@settings(max_examples=25)
@given(st.text(alphabet="=+-@'\t\rab ", max_size=6))
def test_reading_back_gives_what_was_written(cell: str) -> None:
    assert unescape_cell(escape_cell(cell)) == cell
