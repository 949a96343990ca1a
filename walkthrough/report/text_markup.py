"""Turning what people typed into safe Paragraph markup.

Platypus paragraphs read a small XML-like markup, so every user string is
escaped: ``<b>`` typed in a note prints as ``<b>``, never as bold.  Control
characters are stripped first (the parser and some PDF readers choke on
them); line breaks become ``<br/>`` and blank lines start a new paragraph, so
a note reads as it was typed.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from walkthrough.report.fonts import with_symbol_font

# C0 controls other than \t and \n, DEL, C1 controls, lone surrogates (which
# cannot be encoded) and the two non-characters.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n\s*")
_SPACES = re.compile(r"\s+")
# A stop, with any closing quotes or brackets after it, before a space or the end.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*(?=\s|$)")

ELLIPSIS = "…"


def clean(text: str) -> str:
    """``text`` with line endings made ``\\n`` and unprintable characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0b", "\n").replace("\x0c", "\n")
    return _UNPRINTABLE.sub("", text)


def inline(text: str) -> str:
    """Markup for ``text`` as typed, line breaks kept (one paragraph); emoji in the symbol font."""
    return with_symbol_font(escape(clean(text).strip()).replace("\t", " ").replace("\n", "<br/>"))


def paragraphs(text: str) -> list[str]:
    """Markup for each paragraph of ``text`` (paragraphs are split at blank lines)."""
    body = clean(text).strip()
    if not body:
        return []
    return [inline(part) for part in _BLANK_LINE.split(body) if part.strip()]


def one_line(text: str) -> str:
    """``text`` cleaned with all whitespace runs (line breaks too) made one space."""
    return _SPACES.sub(" ", clean(text)).strip()


def first_sentence(text: str, limit: int = 200) -> str:
    """The first sentence of ``text`` on one line, cut at a word near ``limit`` characters."""
    flat = one_line(text)
    end = _SENTENCE_END.search(flat)
    sentence = flat[: end.end()] if end else flat
    return shorten(sentence, limit)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + ELLIPSIS


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
