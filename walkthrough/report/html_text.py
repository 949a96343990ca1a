"""Report text as HTML: what people typed escaped, spans, rating chips and table cells.

Every string goes through :func:`escape`: control characters removed (as
:func:`walkthrough.report.plain_text.clean` does), then ``& < > " '`` as
entities, so ``<script>`` typed in a note reads as typed and a quote cannot
end an attribute.  Standard library only.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from walkthrough.domain.lens import Rating
from walkthrough.report.document_blocks import Cell, Text, rating_words
from walkthrough.report.html_chart import chip_colours
from walkthrough.report.plain_text import clean

#: What :func:`clean` would change.
_UNCLEAN = re.compile("[\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
#: That, or what :func:`html.escape` would change: most text has neither, and one search is quicker than both.
_SPECIAL = re.compile("[&<>\"'\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` cleaned of control characters and escaped for text or a quoted attribute."""
    if not _SPECIAL.search(text):
        return text
    if _UNCLEAN.search(text):
        text = clean(text)
    return html.escape(text, quote=True)


def spans(text: Text) -> str:
    """``text`` as inline HTML: bold, italic and links to an observation; line breaks as ``<br>``."""
    parts = []
    for span in text:
        if not span.text:
            continue
        inner = escape(span.text).replace("\n", "<br>")
        if span.bold:
            inner = f"<strong>{inner}</strong>"
        if span.italic:
            inner = f"<em>{inner}</em>"
        if span.link:
            inner = f'<a href="#{escape(span.link)}">{inner}</a>'
        parts.append(inner)
    return "".join(parts)


@lru_cache(maxsize=64)
def chip(rating: Rating) -> str:
    """A rating in words with its symbol, on its colour (a report has a handful: each is worked out once)."""
    fill, ink = chip_colours(rating)
    return (f'<span class="chip" style="background-color:{fill};color:{ink}">'
            f'<span class="vh">Rating: </span>{escape(rating_words(rating))}</span>')


def numeric_class(cell: Cell) -> str:
    """The class attribute of a cell that holds a number (set right), else nothing."""
    return ' class="num"' if cell.numeric else ""


def cell_content(cell: Cell) -> str:
    """A table cell's content: a rating chip, one paragraph inline, or several (the asides in ``meta``)."""
    if cell.rating is not None:
        return chip(cell.rating)
    paras = cell.paras or ((),)
    if len(paras) == 1 and cell.meta_from != 0:
        return spans(paras[0])
    return "".join(
        f'<p class="meta">{spans(text)}</p>' if cell.meta_from is not None and i >= cell.meta_from
        else f"<p>{spans(text)}</p>"
        for i, text in enumerate(paras)
    )
