"""How a cell is written so that a spreadsheet shows it as text and never runs it: one rule, for every CSV.

A cell that starts with ``= + - @``, a tab or a carriage return is one Excel,
LibreOffice or Google Sheets may run as a formula (CSV injection: a note
typed as ``=HYPERLINK(…)``, or an owner's name from a shared file).  Such a
cell is written with a leading ``'``, which the spreadsheet shows as text;
so is one that starts with ``'`` itself, so that reading it back removes
exactly one ``'`` and gives back what was typed.

Plain Python: no SQLAlchemy, no Qt.
"""

from __future__ import annotations

__all__ = ["FORMULA_START", "escape_cell", "unescape_cell"]

#: What a spreadsheet may run as a formula when a cell starts with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Cells starting with these get a leading ``'``: the formula starts, and ``'``
#: itself so that removing one on reading back is exact.
_ESCAPED_START = (*FORMULA_START, "'")


def escape_cell(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text, never runs."""
    return "'" + text if text.startswith(_ESCAPED_START) else text


def unescape_cell(text: str) -> str:
    """A cell read back: the ``'`` :func:`escape_cell` added removed, anything else as it is."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_ESCAPED_START) else text
