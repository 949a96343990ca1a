"""Writing the findings report as an editable Word document (DOCX) with python-docx.

The content is the report's outline (:mod:`walkthrough.report.outline`),
built from the same findings, options and wording as the PDF; this module
only gives it Word's structure, so that Word's navigation pane, its
accessibility checker and a screen reader find what they look for:

* headings in Word's own *Title* and *Heading 1-3* styles;
* tables with a header row marked to repeat on each page (``tblHeader``),
  rows that never split across pages;
* every photo at print size with alt text (its own, else its caption, else
  its number and area), and a stored photo that cannot be read stated in words;
* body text 11 pt, the language en-GB, the document title set; the author is
  the app, never a person's or the computer's name (the python-docx
  template's own author and comment are replaced).

The XML python-docx has no API for (bookmarks, links, fields, shading,
header rows) is in :mod:`walkthrough.report.docx_elements`.  The file is
written through storage's ``atomic_output`` like the PDF: a
cancel or a failure leaves any earlier file untouched and no partial file.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from walkthrough.domain.lens import Rating
from walkthrough.domain.comparison import Comparison
from walkthrough.domain.records import WalkthroughContents
from walkthrough.report.findings import gather_findings
from walkthrough.report.docx_elements import (
    add_bookmark,
    add_picture,
    add_text_run,
    add_field,
    add_link,
    luminance,
    no_split,
    repeat_header,
    set_language,
    shade_cell,
    shade_run,
)
from walkthrough.report.document_blocks import (
    TEXT_WIDTH_MM,
    Block,
    Bullets,
    Cell,
    Chart,
    Heading,
    Observation,
    PageBreak,
    Para,
    PhotoRef,
    Table,
    Text,
    rating_words,
)
from walkthrough.report.outline import build_outline, place_of
from walkthrough.report.photo_queue import PhotoQueue
from walkthrough.report.plain_text import one_line
from walkthrough.report.progress import Progress, ProgressTracker
from walkthrough.report.report_options import ReportOptions
from walkthrough.report.wording import APP_AUTHOR, PHOTO_UNREADABLE, REPORT_TITLE, long_date
from walkthrough.storage.atomic_file import atomic_output

#: Who the document says wrote it: the app, so no person's or computer's name leaks into a shared file.
LANGUAGE = "en-GB"
BODY_SIZE = Pt(11)
META_SIZE = Pt(10)
#: A4 with the PDF's side margins, so the text (and every table column) is as wide as in the PDF.
_PAGE_WIDTH, _PAGE_HEIGHT = Mm(210), Mm(297)
_SIDE_MARGIN = Mm((210 - TEXT_WIDTH_MM) / 2)
_TOP_MARGIN = _BOTTOM_MARGIN = Cm(2.2)
#: A photo is printed at most this size (in points), as in the PDF: 8 cm wide shows what the team saw, and
#: a stored 2048 px photo then decodes straight to its print size (no resampling: see photo_size.shrink_jpeg).
PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT = 80 / 25.4 * 72, 70 / 25.4 * 72
_SECONDARY = RGBColor(0x4A, 0x4A, 0x4A)
_HEADER_FILL = "E8EEF6"
_HEX = re.compile(r"#?([0-9A-Fa-f]{6})")
_META_STYLE = "Report aside"

PhotoSource = Callable[[str], bytes]


def build_docx(
    contents: WalkthroughContents,
    photo_jpeg: PhotoSource,
    output: Path,
    options: ReportOptions = ReportOptions(),
    progress: Progress | None = None,
    comparison: Comparison | None = None,
) -> None:
    """Write the findings report for ``contents`` to ``output`` as a Word document.

    The arguments, the progress steps and the errors are those of
    :func:`walkthrough.report.build_report`.
    """
    output = Path(output)
    findings = gather_findings(contents, options, comparison=comparison)
    photo_count = findings.photo_count if options.include_photos else 0
    tracker = ProgressTracker(progress, len(findings.entries) + photo_count + 1)
    tracker.ask()
    blocks = build_outline(findings)
    document = _new_document(contents, options, place_of(findings))
    # Photos are shrunk on these threads a few ahead of the one being placed.
    shrinker = ThreadPoolExecutor(max_workers=min(os.cpu_count() or 2, 4), thread_name_prefix="report-photos")
    try:
        photos = PhotoQueue([p for b in blocks if isinstance(b, Observation) for p in b.photos], photo_jpeg,
                            shrinker, (PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT))
        writer = _Writer(document, photos, tracker)
        for block in blocks:
            writer.add(block)
        tracker.ask()
        with atomic_output(output) as partial:
            document.save(str(partial))
            tracker.finish()
    finally:
        shrinker.shutdown(cancel_futures=True)


# ---------------------------------------------------------------------------
# The document: page, styles, properties, header and footer
# ---------------------------------------------------------------------------


def _new_document(contents: WalkthroughContents, options: ReportOptions, place: str) -> DocxDocument:
    record = contents.walkthrough
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = _PAGE_WIDTH, _PAGE_HEIGHT
    section.left_margin = section.right_margin = _SIDE_MARGIN
    section.top_margin, section.bottom_margin = _TOP_MARGIN, _BOTTOM_MARGIN

    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(6)
    set_language(document, LANGUAGE)
    aside = styles.add_style(_META_STYLE, 1)  # 1: a paragraph style
    aside.base_style = normal
    aside.font.size = META_SIZE
    aside.font.color.rgb = _SECONDARY
    styles["Caption"].font.size = META_SIZE

    date = long_date(record.visit_date)
    props = document.core_properties
    props.title = f"{REPORT_TITLE} — {place}, {date}"
    props.subject = (
        f"Trauma-informed walkthrough of {place} on {date}, "
        f"lens {one_line(record.lens.title)} version {one_line(record.lens.version)}"
    )
    props.author = APP_AUTHOR
    props.last_modified_by = APP_AUTHOR
    props.comments = ""
    props.keywords = "trauma-informed, walkthrough, findings, improvement plan"
    props.category = one_line(options.protective_marking)
    props.language = LANGUAGE
    props.revision = 1
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = props.modified = now

    marking = one_line(options.protective_marking)
    head = section.header.paragraphs[0]
    head.text = f"{marking} · {place}" if marking else place
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run((f"{marking} · " if marking else "") + f"Walkthrough findings · {date} · Page ")
    add_field(foot, "PAGE")
    foot.add_run(" of ")
    add_field(foot, "NUMPAGES")
    return document


# ---------------------------------------------------------------------------
# The blocks
# ---------------------------------------------------------------------------


class _Writer:
    """Adds the outline's blocks to a document, one after the other."""

    def __init__(self, document: DocxDocument, photos: PhotoQueue, tracker: ProgressTracker) -> None:
        self._doc = document
        self._photos = photos
        self._placed = 0
        self._tracker = tracker
        self._new_page = False
        self._bookmarks = 0
        #: Style ids looked up once: python-docx finds a style by name by scanning every style, each time.
        self._style_ids = {
            name: document.styles[name].style_id
            for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption", "Subtitle",
                         _META_STYLE)
        }

    def _paragraph(self, style: str = "Normal") -> Paragraph:
        """A new paragraph at the end of the document, in ``style`` (a name)."""
        paragraph = self._doc.add_paragraph()
        if style != "Normal":
            paragraph._p.get_or_add_pPr().style = self._style_ids[style]
        return paragraph

    def add(self, block: Block) -> None:
        if isinstance(block, PageBreak):
            self._new_page = True  # a soft break too: Word has no "only if little room is left"
            return
        if isinstance(block, Heading):
            paragraph = self._heading(block)
        elif isinstance(block, Para):
            paragraph = self._para(block)
        elif isinstance(block, Bullets):
            paragraph = None
            for item in block.items:
                paragraph = self._paragraph("List Bullet")
                _runs(paragraph, item)
        elif isinstance(block, Table):
            self._table(block)
            paragraph = None
        elif isinstance(block, Chart):
            # No chart here: the table that follows has the same numbers (and is what a screen reader reads).
            paragraph = self._para(Para(block.without_chart, "meta"))
        elif isinstance(block, Observation):
            self._observation(block)
            paragraph = None
        else:  # pragma: no cover - every block type is handled above
            raise TypeError(type(block).__name__)
        if paragraph is not None and self._new_page:
            paragraph.paragraph_format.page_break_before = True
        self._new_page = False

    def _heading(self, block: Heading) -> Paragraph:
        if block.level == 0:
            paragraph = self._paragraph("Title")
        else:
            paragraph = self._paragraph(f"Heading {min(block.level, 3)}")
        add_text_run(paragraph, one_line(block.text))
        return paragraph

    def _para(self, block: Para) -> Paragraph:
        style = {"meta": _META_STYLE, "subtitle": "Subtitle"}.get(block.style, "Normal")
        paragraph = self._paragraph(style)
        _runs(paragraph, block.text)
        if block.style == "lead":
            paragraph.paragraph_format.space_after = Pt(10)
        return paragraph

    def _table(self, block: Table) -> None:
        if block.kind == "key_values":
            # Label / value pairs as lines, not a layout table (a table without a header row
            # reads badly in a screen reader, and Word's checker asks for one).
            for label, value in block.rows:
                paragraph = self._doc.add_paragraph()
                paragraph.paragraph_format.space_after = Pt(3)
                _runs(paragraph, label.paras[0])
                add_text_run(paragraph, ": ", bold=True)
                _runs(paragraph, value.paras[0])
            return
        rows = ([block.header] if block.header else []) + list(block.rows)
        table = self._doc.add_table(rows=len(rows), cols=len(block.widths))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        widths = [Mm(width) for width in block.widths]
        for column, width in zip(table.columns, widths):
            column.width = width  # the grid: what Word (fixed layout) and LibreOffice size columns by
        for row_cells, row in zip(rows, table.rows):
            no_split(row._tr)
            for cell, width, content in zip(row.cells, widths, row_cells):
                cell.width = width
                _fill_cell(cell, content, self._style_ids[_META_STYLE])
        if block.header:
            repeat_header(table.rows[0]._tr)
            for cell in table.rows[0].cells:
                shade_cell(cell, _HEADER_FILL)
        # A paragraph between tables, or Word would join two tables that follow each other.
        spacer = self._doc.add_paragraph()
        spacer.paragraph_format.space_after = Pt(2)

    def _observation(self, block: Observation) -> None:
        head = self._doc.add_paragraph()
        head.paragraph_format.keep_with_next = True
        head.paragraph_format.space_before = Pt(8)
        self._bookmarks += 1
        add_bookmark(head, self._bookmarks, block.anchor, block.ref)
        add_text_run(head, "   ")
        _rating_run(head, block.rating)
        if block.details:
            add_text_run(head, "   ")
            for i, detail in enumerate(block.details):
                add_text_run(head, ("\n" if i else "") + detail, colour=str(_SECONDARY),
                             half_points=int(META_SIZE.pt * 2))
        if block.compact and block.context:
            add_text_run(head, "   ")
            add_text_run(head, block.context, italic=True, colour=str(_SECONDARY), half_points=int(META_SIZE.pt * 2))
        if block.note:
            for text in block.note:
                add_text_run(self._doc.add_paragraph(), text)
        else:
            add_text_run(self._paragraph(_META_STYLE), "No note recorded.", italic=True)
        for line in block.actions:
            _runs(self._paragraph(_META_STYLE), line)
        for photo in block.photos:
            self._photo(photo)
        self._tracker.step()

    def _photo(self, ref: PhotoRef) -> None:
        prepared = self._photos.take(self._placed)
        self._placed += 1
        paragraph = self._doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        if prepared is None:
            add_text_run(paragraph, f"[{PHOTO_UNREADABLE}]", italic=True)
        else:
            small, width, height = prepared
            add_picture(add_text_run(paragraph, ""), small, ref.number, Pt(width), Pt(height), ref.alt)
        caption = self._paragraph("Caption")
        _runs(caption, ref.caption)
        self._tracker.step()


# ---------------------------------------------------------------------------
# Runs, cells, ratings
# ---------------------------------------------------------------------------


def _runs(paragraph: Paragraph, text: Text) -> None:
    for span in text:
        if not span.text:
            continue
        if span.link:
            add_link(paragraph, span.text, span.link)
            continue
        add_text_run(paragraph, span.text, bold=span.bold, italic=span.italic)


def _fill_cell(cell: _Cell, content: Cell, meta_style_id: str) -> None:
    first = cell.paragraphs[0]
    if content.rating is not None:
        _rating_run(first, content.rating)
        return
    for index, text in enumerate(content.paras or ((),)):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        if content.meta_from is not None and index >= content.meta_from:
            paragraph._p.get_or_add_pPr().style = meta_style_id
        if content.numeric:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _runs(paragraph, text)


def _rating_run(paragraph: Paragraph, rating: Rating) -> None:
    """The rating in words with its symbol, on the lens colour where the lens gives one."""
    match = _HEX.fullmatch(rating.colour.strip()) if rating.colour else None
    fill = match.group(1).upper() if match else None
    colour = None if fill is None else ("FFFFFF" if luminance(fill) < 0.4 else "1A1A1A")
    run = add_text_run(paragraph, f"\u00a0{rating_words(rating)}\u00a0", bold=True, colour=colour)
    if fill is not None:
        shade_run(run, fill)
