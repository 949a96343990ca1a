"""Pieces of Word's XML that python-docx has no API for: bookmarks, internal links, fields, shading, table-row flags.

Used by :mod:`walkthrough.report.docx_writer` only; each function adds one
element where the WordprocessingML schema puts it.
"""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

#: The colour of a link to an observation.
LINK_COLOUR = RGBColor(0x1F, 0x4E, 0x9A)


def set_language(document: DocxDocument, language: str) -> None:
    """The document's language (spelling, and what a screen reader speaks)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language)


def add_field(paragraph: Paragraph, code: str) -> None:
    """A field Word fills in (``PAGE``, ``NUMPAGES``)."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {code} ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def bookmark_name(anchor: str) -> str:
    """Word's bookmark names: a letter first, then letters, digits and underscores."""
    return "_".join(re.findall(r"[A-Za-z0-9]+", anchor))[:40] or "obs"


def add_bookmark(paragraph: Paragraph, bookmark_id: int, anchor: str, text: str) -> None:
    """``text`` in bold inside a bookmark named for ``anchor`` (links in other sections lead here)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(bookmark_id))
    start.set(qn("w:name"), bookmark_name(anchor))
    paragraph._p.append(start)
    paragraph.add_run(text).bold = True
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(bookmark_id))
    paragraph._p.append(end)


def shade_run(run: Run, fill: str) -> None:
    """A run's background (``fill``: six hex digits), as a highlight of any colour."""
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), fill)
    run._r.get_or_add_rPr().append(shade)


def add_link(paragraph: Paragraph, text: str, anchor: str) -> None:
    """A link to a bookmark in this document (an observation's reference)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name(anchor))
    link.set(qn("w:history"), "1")
    run = paragraph.add_run(text)
    run.font.color.rgb = LINK_COLOUR
    run.font.underline = True
    link.append(run._r)  # moved from the paragraph into the link
    paragraph._p.append(link)


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def shade_cell(cell: _Cell, fill: str) -> None:
    """A cell's background (``fill``: six hex digits)."""
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shade)


def repeat_header(tr: object) -> None:
    """Mark a table's first row as its header: Word repeats it on each page, and reads it as the header."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(flag)  # type: ignore[attr-defined]


def no_split(tr: object) -> None:
    """A row moves to the next page whole rather than split across two."""
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    tr.get_or_add_trPr().append(flag)  # type: ignore[attr-defined]
