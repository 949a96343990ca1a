"""Pieces of Word's XML that python-docx has no API for: bookmarks, internal links, fields, shading, table-row flags.

Used by :mod:`walkthrough.report.docx_writer` only; each function adds one
element where the WordprocessingML schema puts it.

Runs and pictures are built here too, for speed: python-docx clears a new
run's content with an XPath query (a third of a millisecond each, thousands
of runs), inserts each formatting element by searching for its successors,
and for each picture searches the whole document for a free id and hashes
every picture already added (quadratic in the number of photos).
"""

from __future__ import annotations

import re

from docx.document import Document as DocxDocument
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Emu, RGBColor
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
    add_text_run(paragraph, text, bold=True)
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
    run = add_text_run(paragraph, text, colour=str(LINK_COLOUR), underline=True)
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


def add_text_run(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, underline: bool = False,
    colour: str | None = None, half_points: int | None = None,
) -> Run:
    """A run of ``text`` (``\\n`` a line break) at the end of ``paragraph``; formatting in the schema's order."""
    r = OxmlElement("w:r")
    properties = []
    if bold:
        properties.append(OxmlElement("w:b"))
    if italic:
        properties.append(OxmlElement("w:i"))
    if colour:
        properties.append(_valued("w:color", colour))
    if half_points:
        properties.append(_valued("w:sz", str(half_points)))
    if underline:
        properties.append(_valued("w:u", "single"))
    if properties:
        rpr = OxmlElement("w:rPr")
        rpr.extend(properties)
        r.append(rpr)
    for index, line in enumerate(text.split("\n")):
        if index:
            r.append(OxmlElement("w:br"))
        if line:
            t = OxmlElement("w:t")
            t.text = line
            t.set(qn("xml:space"), "preserve")
            r.append(t)
    paragraph._p.append(r)
    return Run(r, paragraph)


def add_picture(run: Run, jpeg: bytes, number: int, width: Emu, height: Emu, alt: str) -> None:
    """Photo ``number`` (unique in the document) as an inline picture in ``run``, with ``alt`` as its alt text."""
    image = Image.from_blob(jpeg)
    document_part = run.part
    part = ImagePart.from_image(image, PackURI(f"/word/media/photo{number}.{image.ext}"))
    rid = document_part.relate_to(part, RELATIONSHIP_TYPE.IMAGE)
    inline = CT_Inline.new_pic_inline(number, rid, f"photo{number}.{image.ext}", width, height)
    inline.docPr.set("name", f"Photo {number}")
    inline.docPr.set("descr", alt)
    run._r.add_drawing(inline)


def _valued(tag: str, value: str) -> object:
    element = OxmlElement(tag)
    element.set(qn("w:val"), value)
    return element

