"""How the report looks: fonts, colours, paragraph styles and page templates.

Everything visual that is not a particular section's layout lives here, so a
change of house style is one file.  The look follows NHS print conventions:
A4, generous margins, one dark blue for headings, colour used sparingly and
never as the only carrier of meaning.

Fonts: the bundled DejaVu Sans family (wide Unicode coverage: Gaelic, Welsh,
Polish, Czech, Greek, Cyrillic, £ € ≥ ₂, ✓) is registered once and used for
every piece of text, so nothing falls back to a Latin-1-only PDF core font.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.tableofcontents import TableOfContents

from walkthrough.bundled import resources_dir
from walkthrough.report.text_markup import fit_width

FONT = "LensSans"
FONT_BOLD = "LensSans-Bold"
FONT_ITALIC = "LensSans-Oblique"
FONT_BOLD_ITALIC = "LensSans-BoldOblique"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# NHS identity colours: dark blue for headings, blue for links, greys for the rest.
DARK_BLUE = colors.HexColor("#003087")
BLUE = colors.HexColor("#005EB8")
TEXT = colors.HexColor("#212B32")
SECONDARY = colors.HexColor("#4C6272")
RULE = colors.HexColor("#AEB7BD")
PALE = colors.HexColor("#E8EDEE")
PALE_BLUE = colors.HexColor("#E6EEF7")
WHITE = colors.white

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 22 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

#: Largest photo: two fit side by side, and two rows with captions fit on a page.
PHOTO_GAP = 6 * mm
PHOTO_MAX_WIDTH = (FRAME_WIDTH - PHOTO_GAP) / 2
PHOTO_MAX_HEIGHT = 70 * mm
#: Resolution photos are re-encoded at, for their placed size.
PHOTO_DPI = 170


@cache
def register_fonts() -> None:
    """Register the bundled DejaVu Sans faces as one family (once per process)."""
    folder = resources_dir() / "fonts"
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC)


@dataclass(frozen=True)
class Styles:
    """The paragraph styles, by role."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    body: ParagraphStyle
    lead: ParagraphStyle
    small: ParagraphStyle
    meta: ParagraphStyle
    caption: ParagraphStyle
    bullet: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_num: ParagraphStyle
    cell_head_num: ParagraphStyle
    marking: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]


@cache
def styles() -> Styles:
    """The report's paragraph styles (fonts registered on first use)."""
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=14,
        textColor=TEXT,
        alignment=TA_LEFT,
        spaceAfter=5,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )

    def like(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    cell = like("cell", fontSize=8.5, leading=11.5, spaceAfter=0)
    return Styles(
        title=like("title", fontName=FONT_BOLD, fontSize=24, leading=30, textColor=DARK_BLUE, spaceAfter=10),
        subtitle=like("subtitle", fontSize=15, leading=20, textColor=TEXT, spaceAfter=4),
        h1=like("h1", fontName=FONT_BOLD, fontSize=17, leading=22, textColor=DARK_BLUE, spaceAfter=10),
        h2=like("h2", fontName=FONT_BOLD, fontSize=12.5, leading=16.5, textColor=DARK_BLUE, spaceBefore=14,
                spaceAfter=5),
        h3=like("h3", fontName=FONT_BOLD, fontSize=10, leading=14, textColor=TEXT, spaceBefore=10, spaceAfter=4),
        body=base,
        lead=like("lead", fontSize=10.5, leading=15.5, spaceAfter=8),
        small=like("small", fontSize=8.5, leading=12, spaceAfter=3),
        meta=like("meta", fontSize=8.5, leading=12, textColor=SECONDARY, spaceAfter=3),
        caption=like("caption", fontName=FONT_ITALIC, fontSize=8, leading=10.5, textColor=SECONDARY, spaceAfter=0,
                     spaceBefore=2),
        bullet=like("bullet", leftIndent=12, bulletIndent=2, bulletFontName=FONT, spaceAfter=3),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=FONT_BOLD, textColor=DARK_BLUE),
        cell_num=ParagraphStyle("cell_num", parent=cell, alignment=TA_RIGHT),
        cell_head_num=ParagraphStyle(
            "cell_head_num", parent=cell, fontName=FONT_BOLD, textColor=DARK_BLUE, alignment=TA_RIGHT
        ),
        marking=like("marking", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=TEXT),
        toc_levels=(
            like("toc0", fontName=FONT_BOLD, fontSize=10.5, leading=15, spaceBefore=7, rightIndent=28,
                 spaceAfter=0),
            like("toc1", fontSize=9.5, leading=13.5, leftIndent=14, rightIndent=28, spaceAfter=0),
        ),
    )


def table_of_contents() -> TableOfContents:
    """An empty contents list in the report's style (filled in by the layout passes)."""
    toc = TableOfContents(dotsMinLevel=1, rightColumnWidth=28)
    toc.levelStyles = list(styles().toc_levels)
    return toc


class Heading(Paragraph):
    """A heading that becomes a PDF bookmark and, if ``toc_level`` is set, a contents line.

    ``title`` is the plain text for the bookmark; the paragraph's markup is
    reused for the contents line.
    """

    def __init__(
        self,
        text: str | None,
        style: ParagraphStyle,
        bulletText: str | None = None,  # noqa: N803 - Paragraph's signature, used by split()
        frags: Any = None,
        *,
        title: str = "",
        key: str = "",
        outline_level: int = 0,
        toc_level: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(text, style, bulletText, frags, **kwargs)
        self.outline_title = title
        self.outline_key = key
        self.outline_level = outline_level
        self.toc_level = toc_level
        self.toc_markup = text or ""
        self.keepWithNext = True

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        parts = super().split(availWidth, availHeight)
        if parts and isinstance(parts[0], Heading):
            # Only the first piece marks the heading's place.
            first = parts[0]
            first.outline_title, first.outline_key = self.outline_title, self.outline_key
            first.outline_level, first.toc_level, first.toc_markup = (
                self.outline_level, self.toc_level, self.toc_markup)
        return parts


@dataclass(frozen=True)
class PageDecoration:
    """The words printed round every page."""

    running_head: str
    marking: str
    footer_left: str


_HEAD_SIZE = 8
_MARK_SIZE = 9


def _draw_decoration(canvas: Canvas, decoration: PageDecoration, page: int, pages: int | None) -> None:
    """Header (marking, service — site) and footer (date, marking, "Page N of M")."""
    canvas.saveState()
    left, right = MARGIN_LEFT, PAGE_WIDTH - MARGIN_RIGHT
    width = right - left
    if decoration.marking:
        canvas.setFont(FONT_BOLD, _MARK_SIZE)
        canvas.setFillColor(TEXT)
        marking = fit_width(decoration.marking, FONT_BOLD, _MARK_SIZE, width)
        canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 11 * mm, marking)
        canvas.drawCentredString(PAGE_WIDTH / 2, 9 * mm, marking)
    canvas.setFont(FONT, _HEAD_SIZE)
    canvas.setFillColor(SECONDARY)
    canvas.drawString(left, PAGE_HEIGHT - 18 * mm, fit_width(decoration.running_head, FONT, _HEAD_SIZE, width))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, PAGE_HEIGHT - 20 * mm, right, PAGE_HEIGHT - 20 * mm)
    canvas.line(left, 17 * mm, right, 17 * mm)
    canvas.drawString(left, 13 * mm, fit_width(decoration.footer_left, FONT, _HEAD_SIZE, width * 0.6))
    # Before the first pass ends the total is unknown; that pass is never saved.
    canvas.drawRightString(right, 13 * mm, f"Page {page} of {pages if pages else '?'}")
    canvas.restoreState()


class PageCount(IndexingFlowable):
    """Remembers how many pages the last layout pass made, for "Page N of M".

    It takes part in ``multiBuild`` like the contents list: the build repeats
    until a pass ends with as many pages as the pass before, so the numbers
    printed in the final pass are right.  (Holding pages back until the end,
    the usual "NumberedCanvas" trick, would point every bookmark at page 1.)
    """

    def __init__(self) -> None:
        super().__init__()
        self.width = self.height = 0
        self.last: int | None = None
        self._this = 0

    def beforeBuild(self) -> None:  # noqa: N802 - ReportLab's name
        self.last, self._this = (self._this if self._this else None), 0

    def notify(self, kind: str, stuff: Any) -> None:
        if kind == "PageCount":
            self._this = stuff

    def isSatisfied(self) -> bool:  # noqa: N802 - ReportLab's name
        return self._this == self.last

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0, 0

    def draw(self) -> None:
        pass


class ReportDocTemplate(BaseDocTemplate):
    """A4 pages with the running header and footer; headings become bookmarks and contents lines.

    ``on_page`` is called at the end of every page of every layout pass, so
    a long layout can still be cancelled.
    """

    def __init__(
        self,
        filename: str,
        decoration: PageDecoration,
        *,
        title: str,
        author: str,
        subject: str,
        keywords: str,
        creation: dt.datetime,
        page_count: PageCount,
        on_page: Callable[[], None],
    ) -> None:
        register_fonts()
        super().__init__(
            filename,
            pagesize=A4,
            leftMargin=MARGIN_LEFT,
            rightMargin=MARGIN_RIGHT,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author,
            subject=subject,
            keywords=keywords,
            creator="Lens Walkthrough",
            producer="Lens Walkthrough (ReportLab)",
            lang="en-GB",
            invariant=1,
            initialFontName=FONT,
            displayDocTitle=1,
        )
        self._decoration = decoration
        self._page_count = page_count
        self._on_page = on_page
        # The file depends only on the contents (invariant mode) except for this date.
        self._creation_stamp = creation.astimezone(dt.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
        frame = Frame(MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._decorate)])

    def _decorate(self, canvas: Canvas, _doc: BaseDocTemplate) -> None:
        if self.page == 1:
            stamp = self._creation_stamp
            canvas.setDateFormatter(lambda *_ymdhms: stamp)
            canvas.showOutline()
        _draw_decoration(canvas, self._decoration, self.page, self._page_count.last)

    def afterPage(self) -> None:  # noqa: N802 - ReportLab's name
        self.notify("PageCount", self.page)
        self._on_page()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        if isinstance(flowable, Heading) and flowable.outline_key:
            key = flowable.outline_key
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=flowable.outline_level, closed=False)
            if flowable.toc_level is not None:
                self.notify("TOCEntry", (flowable.toc_level, flowable.toc_markup, self.page, key))
