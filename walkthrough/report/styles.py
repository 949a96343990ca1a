"""How the report looks: fonts, colours, paragraph styles and page templates.

Everything visual that is not a particular section's layout lives here, so a
change of house style is one file.  The look follows NHS print conventions:
A4, generous margins, one dark blue for headings, colour used sparingly and
never as the only carrier of meaning.

Fonts (:mod:`walkthrough.report.fonts`): the bundled DejaVu Sans family is
used for every piece of text, so nothing falls back to a Latin-1-only PDF
core font; emoji are set in the bundled Noto Emoji.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from walkthrough.report.fonts import FONT, FONT_BOLD, FONT_BOLD_ITALIC, FONT_ITALIC, register_fonts  # noqa: F401
from walkthrough.report.text_markup import fit_width

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
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 27 * mm
MARGIN_BOTTOM = 24 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

#: Largest photo: two fit side by side, and two rows with captions fit on a page.
PHOTO_GAP = 6 * mm
PHOTO_MAX_WIDTH = (FRAME_WIDTH - PHOTO_GAP) / 2
PHOTO_MAX_HEIGHT = 46 * mm


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
    action: ParagraphStyle
    toc_levels: tuple[ParagraphStyle, ...]


@cache
def styles() -> Styles:
    """The report's paragraph styles (fonts registered on first use)."""
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=11,
        leading=15,
        textColor=TEXT,
        alignment=TA_LEFT,
        spaceAfter=5,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )

    def like(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    cell = like("cell", fontSize=9.5, leading=12.5, spaceAfter=0)
    return Styles(
        title=like("title", fontName=FONT_BOLD, fontSize=24, leading=30, textColor=DARK_BLUE, spaceAfter=10),
        subtitle=like("subtitle", fontSize=15, leading=20, textColor=TEXT, spaceAfter=4),
        h1=like("h1", fontName=FONT_BOLD, fontSize=17, leading=22, textColor=DARK_BLUE, spaceAfter=10),
        h2=like("h2", fontName=FONT_BOLD, fontSize=13, leading=17, textColor=DARK_BLUE, spaceBefore=11,
                spaceAfter=5),
        h3=like("h3", fontName=FONT_BOLD, fontSize=11, leading=15, textColor=TEXT, spaceBefore=9, spaceAfter=3),
        body=base,
        lead=like("lead", fontSize=12, leading=17, spaceAfter=8),
        small=like("small", fontSize=9.5, leading=12.5, spaceAfter=3),
        meta=like("meta", fontSize=9.5, leading=13, textColor=SECONDARY, spaceAfter=3),
        caption=like("caption", fontName=FONT_ITALIC, fontSize=9, leading=11.5, textColor=SECONDARY, spaceAfter=0,
                     spaceBefore=2),
        bullet=like("bullet", leftIndent=12, bulletIndent=2, bulletFontName=FONT, spaceAfter=3),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=FONT_BOLD),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=FONT_BOLD, textColor=DARK_BLUE),
        cell_num=ParagraphStyle("cell_num", parent=cell, alignment=TA_RIGHT),
        cell_head_num=ParagraphStyle(
            "cell_head_num", parent=cell, fontName=FONT_BOLD, textColor=DARK_BLUE, alignment=TA_RIGHT
        ),
        action=like("action", fontSize=9.5, leading=13, textColor=SECONDARY, leftIndent=14, spaceAfter=2),
        marking=like("marking", fontName=FONT_BOLD, fontSize=10, leading=13, textColor=TEXT),
        toc_levels=(
            like("toc0", fontName=FONT_BOLD, fontSize=11, leading=16, spaceBefore=4, rightIndent=28,
                 spaceAfter=0),
            like("toc1", fontSize=11, leading=15, leftIndent=14, rightIndent=28, spaceAfter=0),
        ),
    )


class ContentsList(TableOfContents):
    """The contents page, laid out in the one and only layout pass.

    Its lines are the story's headings, known before layout
    (:meth:`set_lines`), so the list takes its final size at once.  Only the
    page numbers are unknown while it is drawn: each line's dots and number
    are a form XObject (``tocN``) drawn now and defined by
    :class:`ReportDocTemplate` after the last page.
    """

    def __init__(self) -> None:
        super().__init__(dotsMinLevel=1, rightColumnWidth=28)
        self.levelStyles = list(styles().toc_levels)
        #: form name -> (key, level, width left after the line's text), filled in while drawing
        self.number_slots: dict[str, tuple[str, int, float]] = {}

    def set_lines(self, lines: list[tuple[int, str, str]]) -> None:
        """The contents lines as (level, markup, key), in story order."""
        self._lastEntries = [(level, markup, 0, key) for level, markup, key in lines]

    # Not an indexing flowable any more: one pass is enough.
    def beforeBuild(self) -> None:  # noqa: N802 - ReportLab's name
        pass

    def isIndexing(self) -> int:  # noqa: N802 - ReportLab's name
        return 0

    def isSatisfied(self) -> bool:  # noqa: N802 - ReportLab's name
        return True

    def notify(self, kind: str, stuff: Any) -> None:
        pass

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        size = super().wrap(availWidth, availHeight)
        keys = [key for _level, _markup, _page, key in self._lastEntries]

        def line_end(canvas: Canvas, _kind: str, label: str) -> None:
            # The label is ReportLab's "page,level,repr(key)"; the page is a dummy here.
            _page, level_text, key_repr = label.split(",")
            level, key = int(level_text), ast.literal_eval(key_repr)
            x, y = canvas._curr_tx_info["cur_x"], canvas._curr_tx_info["cur_y"]
            name = f"toc{keys.index(key)}"
            self.number_slots[name] = (key, level, availWidth - x)
            canvas.saveState()
            canvas.translate(x, y)
            canvas.doForm(name)
            canvas.restoreState()
            style = self.getLevelStyle(level)
            canvas.linkRect("", key, (x, y, availWidth, y + style.leading), relative=1)

        self.canv.setNamedCB("drawTOCEntryEnd", line_end)
        return size

    def draw_number(self, canvas: Canvas, name: str, page: int | None) -> None:
        """Define form ``name``: the dots and page number that end one line."""
        key, level, free = self.number_slots[name]
        style = self.getLevelStyle(level)
        number = str(page) if page is not None else "?"
        size = style.fontSize
        width = stringWidth(number, style.fontName, size)
        dot = " . " if level >= self.dotsMinLevel else ""
        dots = int((free - width) / stringWidth(dot, style.fontName, size)) if dot else 0
        text = dots * dot + number
        canvas.beginForm(name, lowerx=-1, lowery=-size, upperx=free + 1, uppery=2 * size)
        line = canvas.beginText(free - stringWidth(text, style.fontName, size), 0)
        line.setFont(style.fontName, size)
        line.setFillColor(style.textColor)
        line.textLine(text)
        canvas.drawText(line)
        canvas.endForm()


def table_of_contents() -> ContentsList:
    """An empty contents list in the report's style (its lines are set before layout)."""
    return ContentsList()


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


def _page_form(page: int) -> str:
    return f"pageof{page}"


def _draw_page_of(canvas: Canvas, page: int, pages: int) -> None:
    """Form ``pageofN``: "Page N of M", right-aligned in the footer (page coordinates)."""
    canvas.beginForm(_page_form(page))
    canvas.setFont(FONT, _HEAD_SIZE)
    canvas.setFillColor(SECONDARY)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, 13 * mm, f"Page {page} of {pages}")
    canvas.endForm()


def _draw_decoration(canvas: Canvas, decoration: PageDecoration, page: int) -> None:
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
    # The total is known only after the last page: the words are a form defined then.
    canvas.doForm(_page_form(page))
    canvas.restoreState()


def _headings(flowables: list[Flowable]) -> list[Heading]:
    """The headings in story order, those inside containers (an observation's block) too."""
    found: list[Heading] = []
    for flowable in flowables:
        if isinstance(flowable, Heading):
            found.append(flowable)
        else:
            found += _headings(getattr(flowable, "_content", []))
    return found


class ReportDocTemplate(BaseDocTemplate):
    """A4 pages with the running header and footer; headings become bookmarks and contents lines.

    Laid out in one pass (:meth:`build`): "Page N of M" and the contents
    page's numbers are form XObjects, used on the pages as they are drawn
    and defined once the last page is done.  ``on_page`` is called at the
    end of every page, so a long layout can still be cancelled.
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
        self._contents: ContentsList | None = None
        self._toc_pages: dict[str, int] = {}
        self._pages_done = 0
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
        _draw_decoration(canvas, self._decoration, self.page)

    def afterPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages_done = self.page
        self._on_page()

    def build(self, flowables: list[Flowable], *args: Any, **kwargs: Any) -> None:
        """Lay out ``flowables`` once; the contents list gets its lines from their headings first."""
        self._contents = next((f for f in flowables if isinstance(f, ContentsList)), None)
        if self._contents is not None:
            self._contents.set_lines(
                [(f.toc_level, f.toc_markup, f.outline_key) for f in _headings(flowables)
                 if f.toc_level is not None and f.outline_key]
            )
        self._doSave = 0  # saved by _endBuild, once the forms are defined
        super().build(flowables, *args, **kwargs)

    def _endBuild(self) -> None:  # noqa: N802 - ReportLab's hook
        super()._endBuild()  # ends the last page
        canvas = self.canv
        for page in range(1, self._pages_done + 1):
            _draw_page_of(canvas, page, self._pages_done)
        if self._contents is not None:
            for name, (key, _level, _free) in sorted(self._contents.number_slots.items()):
                self._contents.draw_number(canvas, name, self._toc_pages.get(key))
        canvas.save()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        if isinstance(flowable, Heading) and flowable.outline_key:
            key = flowable.outline_key
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=flowable.outline_level, closed=False)
            if flowable.toc_level is not None:
                self._toc_pages[key] = self.page
