"""Turning what people typed into safe Paragraph markup.

Platypus paragraphs read a small XML-like markup, so every user string is
escaped: ``<b>`` typed in a note prints as ``<b>``, never as bold.  Control
characters are stripped first (the parser and some PDF readers choke on
them); line breaks become ``<br/>`` and blank lines start a new paragraph, so
a note reads as it was typed.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from walkthrough.report.fonts import with_symbol_font
from walkthrough.report.plain_text import ELLIPSIS, clean, first_sentence, one_line, plain_paragraphs, shorten

__all__ = ["ELLIPSIS", "clean", "first_sentence", "fit_width", "inline", "inline_part", "one_line", "paragraphs", "shorten"]


def inline(text: str) -> str:
    """Markup for ``text`` as typed, line breaks kept (one paragraph); emoji in the symbol font."""
    return with_symbol_font(escape(clean(text).strip()).replace("\t", " ").replace("\n", "<br/>"))


def inline_part(text: str) -> str:
    """Like :func:`inline`, for a piece of a longer line: the spaces at its ends are kept."""
    return with_symbol_font(escape(clean(text)).replace("\t", " ").replace("\n", "<br/>"))


def paragraphs(text: str) -> list[str]:
    """Markup for each paragraph of ``text`` (paragraphs are split at blank lines)."""
    return [inline(part) for part in plain_paragraphs(text)]


def fit_width(text: str, font: str, size: float, width: float) -> str:
    """``text`` (one line) cut with an ellipsis so it is at most ``width`` points wide."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid].rstrip() + ELLIPSIS, font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + ELLIPSIS
