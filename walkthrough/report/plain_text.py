"""What people typed, made safe and tidy as plain text, for every report format.

No ReportLab here: the PDF turns these results into Paragraph markup
(:mod:`walkthrough.report.text_markup`), the Word document writes them as
runs (:mod:`walkthrough.report.docx_writer`).  Control characters are
stripped (XML, the PDF parser and some readers choke on them); line endings
become ``\\n``; blank lines separate paragraphs.
"""

from __future__ import annotations

import re

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


def plain_paragraphs(text: str) -> list[str]:
    """Each paragraph of ``text`` (split at blank lines), cleaned; single line breaks kept as ``\\n``."""
    body = clean(text).strip()
    if not body:
        return []
    return [part.strip().replace("\t", " ") for part in _BLANK_LINE.split(body) if part.strip()]


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
