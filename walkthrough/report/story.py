"""The PDF's layout of the report: the outline's blocks turned into a list of flowables.

What the report says, in which order, is :mod:`walkthrough.report.outline`'s
blocks (shared with the Word document); this module decides only how it looks on
the page and where it may break: the contents page after the cover, the
ratings chart, a heading kept with the first rows of its table
(:class:`~walkthrough.report.headed_table.HeadedTable`) or with its
observation (:class:`~walkthrough.report.observation_block.ObservationBlock`),
a new page for an area that would start low on one, photos two to a row.
Every string goes through :mod:`walkthrough.report.text_markup` before it
reaches a Paragraph.  Photos are fetched here, one at a time, and shrunk on
the executor's threads while the layout goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from walkthrough.report import document_blocks as o
from walkthrough.report.outline import build_outline
from walkthrough.report.findings import Findings
from walkthrough.report.headed_table import HeadedTable, RowTable
from walkthrough.report.observation_block import NoteParagraph, ObservationBlock, ObservationRule
from walkthrough.report.observation_head import ObservationHead
from walkthrough.report.photo_flowable import photo_flowable
from walkthrough.report.rating_chip import RatingChip
from walkthrough.report.styles import (
    BLUE,
    DARK_BLUE,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    PALE,
    PHOTO_GAP,
    PHOTO_MAX_HEIGHT,
    PHOTO_MAX_WIDTH,
    RULE,
    SECONDARY,
    Heading,
    styles,
    table_of_contents,
)
from walkthrough.report.summary_chart import ratings_chart
from walkthrough.report.text_markup import inline, inline_part, one_line

PhotoSource = Callable[[str], bytes]
Step = Callable[[], None]

_LINK = BLUE.hexval().replace("0x", "#")
_GREY = SECONDARY.hexval().replace("0x", "#")


def build_story(
    findings: Findings, photo_jpeg: PhotoSource, step: Step, executor: Executor | None = None
) -> list[Flowable]:
    """The whole report as flowables.  ``step()`` is called once per observation and per photo.

    With ``executor``, photos are shrunk there while layout goes on.
    """
    return _Layout(findings, photo_jpeg, step, executor).lay_out(build_outline(findings))


def markup(text: o.Text) -> str:
    """Paragraph markup for outline text: escaped, bold, italic, and links to observations."""
    parts = []
    for span in text:
        piece = inline_part(span.text)
        if not piece:
            continue
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.link:
            piece = f'<a href="#{span.link}" color="{_LINK}">{piece}</a>'
        parts.append(piece)
    return "".join(parts)


class _Layout:
    """Lays the outline's blocks out in order, keeping the headings above a table or an observation with it."""

    def __init__(self, findings: Findings, photo_jpeg: PhotoSource, step: Step, executor: Executor | None) -> None:
        self._findings = findings
        self._photo_jpeg = photo_jpeg
        self._step = step
        self._executor = executor
        self._flow: list[Flowable] = []
        #: Where the headings and asides waiting for the table or observation they open start in the flow.
        self._lead_from: int | None = None
        self._pages = 0
        self._areas_in_section = 0

    def lay_out(self, blocks: Sequence[o.Block]) -> list[Flowable]:
        for block in blocks:
            self._add(block)
        return self._flow

    def _add(self, block: o.Block) -> None:
        if isinstance(block, o.PageBreak) and block.room_mm > 0:
            self._flow.append(CondPageBreak(block.room_mm * mm))
            self._lead_from = None
        elif isinstance(block, o.PageBreak):
            self._pages += 1
            if self._pages == 1:  # the contents at the foot of the cover: the sections only
                self._flow += [
                    Spacer(1, 6 * mm),
                    Heading("Contents", styles().h2, title="Contents", key="contents", outline_level=0),
                    table_of_contents(),
                ]
            self._flow.append(PageBreak())
            self._lead_from = None
        elif isinstance(block, o.Heading):
            self._heading(block)
        elif isinstance(block, o.Para):
            leads = block.style == "meta" and self._lead_from is not None
            if not leads:
                self._lead_from = None
            self._flow.append(_para(markup(block.text), block.style))
        elif isinstance(block, o.Bullets):
            self._lead_from = None
            self._flow += _bullets([markup(item) for item in block.items])
        elif isinstance(block, o.Chart):
            self._lead_from = None
            self._chart(block)
        elif isinstance(block, o.Table):
            self._table(block)
        elif isinstance(block, o.Observation):
            self._flow += self._observation(block, self._take_lead())
        else:  # pragma: no cover - every block type is handled above
            raise TypeError(type(block).__name__)

    def _take_lead(self) -> list[Flowable]:
        if self._lead_from is None:
            return []
        lead = self._flow[self._lead_from:]
        del self._flow[self._lead_from:]
        self._lead_from = None
        return lead

    def _heading(self, block: o.Heading) -> None:
        s = styles()
        text = one_line(block.text)
        if block.level == 0:
            self._flow += [Spacer(1, 22 * mm), Heading(inline(text), s.title, title="Cover", key=block.key,
                                                       outline_level=0)]
            return
        if block.level == 1:
            self._areas_in_section = 0
            self._lead_from = None
            self._flow.append(Heading(inline(text), s.h1, title=text, key=block.key, outline_level=0,
                                      toc_level=0 if block.in_contents else None))
            return
        if block.level == 2 and block.in_contents:  # an area under Findings by area
            self._areas_in_section += 1
            if self._areas_in_section > 1:
                self._lead_from = None
                # Room for the area's title, its first prompt and the start of a note; the block keeps them.
                self._flow.append(CondPageBreak(30 * mm))
        if self._lead_from is None:
            self._lead_from = len(self._flow)
        style = s.h2 if block.level == 2 else s.h3
        if not block.bookmark:
            minor = Paragraph(inline(text), style)
            minor.keepWithNext = True  # never alone at a page foot, when a paragraph follows it
            self._flow.append(minor)
            return
        # Only the sections are on the cover's contents list; areas are bookmarks.
        self._flow.append(Heading(inline(text), style, title=text, key=block.key, outline_level=block.level - 1))

    def _chart(self, block: o.Chart) -> None:
        findings = self._findings
        rows = [
            (name, [findings.counts.get((pid, r.id), 0) for r in findings.ratings])
            for pid, name in findings.principle_rows
        ]
        self._flow += [
            _para(markup(block.with_chart), "meta"),
            Spacer(1, 3),
            ratings_chart(rows, findings.ratings, FRAME_WIDTH),
            Spacer(1, 8),
        ]

    def _table(self, block: o.Table) -> None:
        widths = [w * mm for w in block.widths]
        if block.kind == "key_values":
            self._lead_from = None
            cover = self._pages == 0
            self._flow += [*([Spacer(1, 14 * mm)] if cover else []), _key_values(
                [(markup(label.paras[0]), markup(value.paras[0])) for label, value in block.rows], widths),
                *([Spacer(1, 12 * mm)] if cover else [Spacer(1, 6)])]
            return
        data: list[list[object]] = []
        if block.header:
            data.append([_table_cell(c, head=True) for c in block.header])
        data += [[_table_cell(c) for c in row] for row in block.rows]
        table = _table(data, widths, header=block.header is not None, dense=block.kind == "dense")
        if block.kind == "dense" and block.header:
            # A grid laid out in halves side by side repeats its first header: a rule before each repeat.
            first = o.text_of(block.header[0].paras[0]) if block.header[0].paras else None
            for column, cell in enumerate(block.header[1:], start=1):
                if cell.paras and o.text_of(cell.paras[0]) == first:
                    table.setStyle(TableStyle([("LINEBEFORE", (column, 0), (column, -1), 0.8, DARK_BLUE),
                                               ("LEFTPADDING", (column, 0), (column, -1), 6)]))
        lead = self._take_lead()
        self._flow.append(HeadedTable(lead, table) if lead else table)

    def _observation(self, block: o.Observation, lead: list[Flowable]) -> list[Flowable]:
        """The observation's reference line, note and photos; ``lead`` (the headings above it) stays with them."""
        s = styles()
        chip = RatingChip(block.rating)
        chip_width = min(chip.natural_width(), 60 * mm)
        head = ObservationHead(
            _cell(f'<a name="{block.anchor}"/><b>{block.ref}</b>', "cell"),
            chip,
            chip_width,
            _cell(" · ".join(inline(d) for d in block.details), "meta") if block.details else None,
            ref_width=14 * mm,
            width=FRAME_WIDTH,
        )
        # Spacing as the line's own: the block measures its pieces, not spacers between them.
        head.spaceBefore, head.spaceAfter = 4, 5
        text = [NoteParagraph(inline(p), s.body) for p in block.note] or [_para("<i>No note recorded.</i>", "meta")]
        if block.compact:
            # A Working well finding: its prompt on the reference line, then the note.
            head = ObservationHead(
                _cell(f'<a name="{block.anchor}"/><b>{block.ref}</b>', "cell"), chip, chip_width,
                _cell(f"<i>{inline(block.context)}</i>", "meta") if block.context else None,
                ref_width=14 * mm, width=FRAME_WIDTH,
            )
            head.spaceBefore, head.spaceAfter = 2, 3
        if block.actions:
            # The answering actions end the note's last paragraph, so they never open a page alone.
            lines = "".join(f'<br/><font size="{s.action.fontSize}" color="{_GREY}">{markup(line)}</font>'
                            for line in block.actions)
            if block.note:
                text[-1] = NoteParagraph(inline(block.note[-1]) + lines, s.body)
            else:
                text.append(NoteParagraph(lines[len("<br/>"):], s.body))
        rows = _photo_rows(list(block.photos), self._photo_jpeg, self._step, self._executor) if block.photos else []
        # A photo alone at the top of a page, its observation on the page before, reads as the
        # next observation's: the block keeps the first row of photos with the note.
        flow: list[Flowable] = [ObservationBlock([*lead, head], text, rows[0] if rows else None), *rows[1:]]
        flow.append(_rule())
        self._step()
        return flow


# ---------------------------------------------------------------------------
# Small builders
# ---------------------------------------------------------------------------


def _para(markup_text: str, style_name: str = "body") -> Paragraph:
    return Paragraph(markup_text, getattr(styles(), style_name))


def _bullets(items: Sequence[str]) -> list[Flowable]:
    return [Paragraph(item, styles().bullet, bulletText="•") for item in items]


def _table(
    rows: list[list[object]], widths: Sequence[float], *, header: bool = True, dense: bool = False
) -> Table:
    """A plain table: hairlines between rows, a tinted header that repeats on every page (``dense``: less padding)."""
    table = RowTable(rows, colWidths=list(widths), repeatRows=1 if header else 0, splitInRow=1, hAlign="LEFT",
                     spaceAfter=6)
    top, bottom = (1.0, 2.0) if dense else (3.5, 4.5)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), bottom),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    if dense:
        commands += [("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), PALE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, DARK_BLUE),
        ]
    table.setStyle(TableStyle(commands))
    return table


def _cell(markup_text: str, style_name: str = "cell") -> Paragraph:
    return Paragraph(markup_text, getattr(styles(), style_name))


def _table_cell(cell: o.Cell, *, head: bool = False) -> object:
    """A table cell: a rating chip, one paragraph, or a list of them (asides in the small grey style)."""
    if cell.rating is not None:
        return RatingChip(cell.rating)
    style = ("cell_head" if head else "cell") + ("_num" if cell.numeric else "")
    if head:
        # The header style is bold already.
        paragraphs = [_cell(markup(tuple(o.Span(s.text, italic=s.italic, link=s.link) for s in text)), style)
                      for text in cell.paras]
    else:
        paragraphs = [
            _cell(markup(text), "meta" if cell.meta_from is not None and i >= cell.meta_from else style)
            for i, text in enumerate(cell.paras)
        ]
    return paragraphs[0] if len(paragraphs) == 1 else paragraphs


def _key_values(rows: list[tuple[str, str]], widths: Sequence[float]) -> Table:
    """Label / value pairs (markup) as a borderless two-column table."""
    data = [[_cell(label, "cell_head"), _cell(value)] for label, value in rows]
    table = Table(data, colWidths=list(widths), splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
            ]
        )
    )
    return table


def _rule() -> Flowable:
    return ObservationRule(width="100%", thickness=0.4, color=RULE, spaceBefore=6, spaceAfter=4)


def _caption(photo: o.PhotoRef) -> Paragraph:
    return Paragraph(markup(photo.caption), styles().caption)


def _photo_rows(
    photos: list[o.PhotoRef], photo_jpeg: PhotoSource, step: Step, executor: Executor | None
) -> list[Flowable]:
    """Photos two to a row, each with its caption underneath.

    A row is a table (cells never split), so a row that could not fit on a
    page (a very long caption) is laid out as a stack that can split instead.
    The first flowable is a photo: the caller keeps it with the note.
    """
    flow: list[Flowable] = []
    for start in range(0, len(photos), 2):
        cells = []
        for ref in photos[start : start + 2]:
            photo = ref.photo
            image = photo_flowable(
                photo_jpeg(photo.id), photo.width, photo.height, PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT, executor
            )
            step()
            cells.append((image, _caption(ref)))
        tallest = max(img.height + cap.wrap(PHOTO_MAX_WIDTH, FRAME_HEIGHT)[1] for img, cap in cells)
        if tallest > FRAME_HEIGHT * 0.8:
            for image, caption in cells:
                # The picture keeps with the start of its caption, which may run on.
                image.spaceBefore = 4 if not flow else 0
                image.keepWithNext = True
                flow += [image, caption, Spacer(1, 6)]
            continue
        row = [[image, caption] for image, caption in cells]
        if len(row) == 1:
            row.append("")
        table = Table(
            [row], colWidths=[PHOTO_MAX_WIDTH + PHOTO_GAP, PHOTO_MAX_WIDTH], hAlign="LEFT",
            spaceBefore=4 if not flow else 0,
        )
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), PHOTO_GAP),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        flow.append(table)
    return flow
