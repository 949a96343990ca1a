"""Writing the findings report as one self-contained HTML file, with the standard library only.

The content is the report's outline (:mod:`walkthrough.report.outline`), as
for the PDF and the Word document; this module gives it HTML's structure so
that a browser, a screen reader and a print dialog each find what they need:

* ``<html lang="en-GB">``, a ``<title>``, one ``<h1>`` and heading levels
  without gaps (a level deeper than the one before is brought up to it);
* landmarks: the cover in ``<header>``, the contents in ``<nav>``, the
  sections in ``<main>``, the marking and date in ``<footer>``;
* tables with a (visually hidden) ``<caption>``, ``<th scope="col">`` header
  cells and a ``<th scope="row">`` first column; label/value pairs as ``<dl>``;
* every photo embedded as a ``data:`` URI with alt text (the outline's
  ``alt``, else the caption, else "Photo N"); the chart as SVG with a name
  and a description giving its numbers;
* ratings as words with their symbol on the lens colour (never colour alone).

Everything typed by a person is escaped (:func:`html_text.escape`: control
characters removed, then :func:`html.escape`).  The file loads nothing: no
scripts, no external style or font, and a Content-Security-Policy that
forbids both anyway, so it opens offline and tells no server it was opened.

Each block type of :mod:`walkthrough.report.document_blocks` has one method
of :class:`_Page` registered for it with ``@_layout(BlockType)``; a new block
type needs one more.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TextIO

from walkthrough.domain.comparison import Comparison
from walkthrough.domain.records import WalkthroughContents
from walkthrough.report.document_blocks import (
    Block,
    Bullets,
    Chart,
    Heading,
    Observation,
    PageBreak,
    Para,
    PhotoRef,
    Table,
    text_of,
)
from walkthrough.report.findings import Findings, gather_findings
from walkthrough.report.html_chart import ratings_svg
from walkthrough.report.html_style import style_sheet
from walkthrough.report.html_text import cell_content, chip, escape, numeric_class, spans
from walkthrough.report.outline import build_outline, place_of
from walkthrough.report.photo_queue import PhotoQueue
from walkthrough.report.plain_text import one_line
from walkthrough.report.progress import Progress, ProgressTracker
from walkthrough.report.report_options import ReportOptions
from walkthrough.report.wording import PHOTO_UNREADABLE, REPORT_TITLE, long_date

LANGUAGE = "en-GB"
#: Scripts, frames, fonts and fetches refused; pictures only from the file itself.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
#: A photo is shown at most this size (in points), as in the PDF and the Word document.
PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT = 80 / 25.4 * 72, 70 / 25.4 * 72
_PX_PER_PT = 96 / 72


def write_html(
    contents: WalkthroughContents,
    photo_jpeg: Callable[[str], bytes],
    stream: TextIO,
    options: ReportOptions = ReportOptions(),
    progress: Progress | None = None,
    comparison: Comparison | None = None,
) -> None:
    """Write the findings report for ``contents`` into ``stream`` as an HTML document.

    The arguments, the progress steps and the errors are those of
    :func:`walkthrough.report.build_report`, which writes into a file made
    atomically; ``stream`` must take UTF-8.
    """
    findings = gather_findings(contents, options, comparison=comparison)
    photo_count = findings.photo_count if options.include_photos else 0
    tracker = ProgressTracker(progress, len(findings.entries) + photo_count + 1)
    tracker.ask()
    write_outline(findings, build_outline(findings), photo_jpeg, stream, tracker)
    tracker.finish()


def write_outline(
    findings: Findings,
    blocks: Sequence[Block],
    photo_jpeg: Callable[[str], bytes],
    stream: TextIO,
    tracker: ProgressTracker | None = None,
) -> None:
    """Lay out ``blocks`` (the outline of ``findings``) as the HTML document, into ``stream``.

    ``tracker`` counts a step per observation and per photo, and is asked
    once more before the page is written.
    """
    tracker = tracker or ProgressTracker(None, 1)
    shrinker = ThreadPoolExecutor(max_workers=min(os.cpu_count() or 2, 4), thread_name_prefix="report-photos")
    try:
        photos = PhotoQueue([p for b in blocks if isinstance(b, Observation) for p in b.photos], photo_jpeg,
                            shrinker, (PHOTO_MAX_WIDTH, PHOTO_MAX_HEIGHT))
        chunks = _Page(findings, photos, tracker).document(blocks)
    finally:
        shrinker.shutdown(cancel_futures=True)
    tracker.ask()
    # In pieces, never joined: a photo's base64 stays one byte a character (joined with the report's
    # other text it would be widened), and the file's encoder takes each piece as it comes.
    stream.writelines(chunks)


#: Block type -> the :class:`_Page` method that writes it.
_LAYOUTS: dict[type, Any] = {}


def _layout(kind: type) -> Any:
    """Register the decorated method as the HTML of ``kind`` blocks."""
    def register(method: Any) -> Any:
        _LAYOUTS[kind] = method
        return method

    return register


class _Page:
    """The document around the outline, and each block as HTML."""

    def __init__(self, findings: Findings, photos: PhotoQueue, tracker: ProgressTracker) -> None:
        self._findings = findings
        self._photos = photos
        self._tracker = tracker
        self._placed = 0
        self._out: list[str] = []
        self._ids: set[str] = set()
        self._heading_ids: dict[int, str] = {}
        self._level = 0  # the last heading's HTML level
        self._last_heading = ""
        self._soft_break = False  # a soft page break waits for the next block

    def document(self, blocks: Sequence[Block]) -> list[str]:
        """The whole document, in pieces to write one after the other."""
        findings = self._findings
        record = findings.contents.walkthrough
        place, date = place_of(findings), long_date(record.visit_date)
        marking = one_line(findings.options.protective_marking)
        # The cover is everything before the first section: it heads the page; the rest is the report.
        first = next((i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 1), len(blocks))
        # Every id is settled first, so the contents can link to a heading before it is written.
        self._ids.update(("main", "contents"), (b.anchor for b in blocks if isinstance(b, Observation)))
        self._heading_ids = {id(b): self._unique(b.key) for b in blocks if isinstance(b, Heading)}
        out = self._out
        out += [
            f'<!DOCTYPE html>\n<html lang="{LANGUAGE}">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            '<meta name="generator" content="Lens Walkthrough">\n',
            f'<meta name="description" content="{escape(f"Trauma-informed walkthrough of {place} on {date}")}">\n',
            f"<title>{escape(f'{REPORT_TITLE} — {place}, {date}')}</title>\n",
            f"<style>{style_sheet(f'{marking} · {place}' if marking else place)}</style>\n",
            "</head>\n<body>\n<header>\n",
            '<a class="skip" href="#main">Skip to the report</a>\n',
        ]
        if marking:
            out.append(f'<p class="marking">{escape(marking)}</p>\n')
        for block in blocks[:first]:
            self.block(block)
        out.append("</header>\n")
        self._contents(blocks[first:])
        out.append('<main id="main">\n')
        for block in blocks[first:]:
            self.block(block)
        out.append("</main>\n<footer>\n")
        if marking:
            out.append(f"<p><strong>{escape(marking)}</strong></p>\n")
        out.append(f"<p>Walkthrough findings · {escape(place)} · {escape(date)}</p>\n</footer>\n</body>\n</html>\n")
        return out

    def _contents(self, blocks: Sequence[Block]) -> None:
        out = self._out
        out.append('<nav aria-labelledby="contents">\n<h2 id="contents">Contents</h2>\n<ol>\n')
        nested = False
        opened = False
        for block in blocks:
            if not isinstance(block, Heading) or not block.in_contents:
                continue
            link = f'<a href="#{escape(self._id_for(block))}">{escape(self._heading_text(block))}</a>'
            if block.level <= 1:
                if nested:
                    out.append("</ol>")
                    nested = False
                if opened:
                    out.append("</li>\n")
                out.append(f"<li>{link}")
                opened = True
            elif opened:
                if not nested:
                    out.append("\n<ol>\n")
                    nested = True
                out.append(f"<li>{link}</li>\n")
        if nested:
            out.append("</ol>")
        if opened:
            out.append("</li>\n")
        out.append("</ol>\n</nav>\n")

    def _id_for(self, block: Heading) -> str:
        return self._heading_ids[id(block)]

    def _unique(self, key: str) -> str:
        """An id not used yet: ``key`` (spaces made hyphens), with a number if it is taken."""
        base = one_line(key).replace(" ", "-") or "section"
        candidate, n = base, 1
        while candidate in self._ids:
            n += 1
            candidate = f"{base}-{n}"
        self._ids.add(candidate)
        return candidate

    @staticmethod
    def _heading_text(block: Heading) -> str:
        return one_line(block.text) or "Untitled"

    # -- blocks ---------------------------------------------------------------

    def block(self, block: object) -> None:
        layout = _LAYOUTS.get(type(block))
        if layout is None:
            raise TypeError(f"the HTML report has no layout for a {type(block).__name__} block")
        layout(self, block)
        if not isinstance(block, PageBreak):
            self._soft_break = False

    @_layout(Heading)
    def _heading(self, block: Heading) -> None:
        if self._soft_break and block.level == 1:
            self._out.append('<div class="page-break"></div>\n')
        # One <h1> (the title); below it no level is skipped, whatever the outline asks.
        level = 1 if block.level <= 0 else max(2, min(block.level + 1, self._level + 1, 6))
        self._level = level
        text = self._heading_text(block)
        self._last_heading = text
        self._out.append(f'<h{level} id="{escape(self._id_for(block))}">{escape(text)}</h{level}>\n')

    @_layout(Para)
    def _para(self, block: Para) -> None:
        css = {"lead": "lead", "meta": "meta", "subtitle": "subtitle"}.get(block.style)
        attr = f' class="{css}"' if css else ""
        self._out.append(f"<p{attr}>{spans(block.text)}</p>\n")

    @_layout(Bullets)
    def _bullets(self, block: Bullets) -> None:
        items = "".join(f"<li>{spans(item)}</li>\n" for item in block.items)
        self._out.append(f"<ul>\n{items}</ul>\n")

    @_layout(PageBreak)
    def _page_break(self, block: PageBreak) -> None:
        if getattr(block, "room_mm", 0.0) > 0:
            # A soft break ("a new page if little room is left") means nothing to a flowing page; in print,
            # one before a section still starts the section on a new page (see _heading).
            self._soft_break = True
            return
        self._out.append('<div class="page-break"></div>\n')

    @_layout(Chart)
    def _chart(self, block: Chart) -> None:
        findings = self._findings
        rows = [
            (name, [findings.counts.get((pid, r.id), 0) for r in findings.ratings])
            for pid, name in findings.principle_rows
        ]
        chart_id = self._unique("chart")
        svg = ratings_svg(rows, findings.ratings, "Ratings by principle", chart_id)
        self._out.append(f'<figure class="chart">\n{svg}\n'
                         f'<figcaption class="meta">{spans(block.with_chart)}</figcaption>\n</figure>\n')

    @_layout(Table)
    def _table(self, block: Table) -> None:
        out = self._out
        if block.kind == "key_values":
            out.append('<dl class="key-values">\n')
            for label, value in block.rows:
                out.append(f"<dt>{cell_content(label)}</dt><dd>{cell_content(value)}</dd>\n")
            out.append("</dl>\n")
            return
        caption = one_line(text_of(getattr(block, "caption", None) or ())) or self._last_heading or "Table"
        total = sum(block.widths) or 1.0
        out.append(f'<table>\n<caption class="vh">{escape(caption)}</caption>\n<colgroup>')
        out += [f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths]
        out.append("</colgroup>\n")
        if block.header:
            out.append("<thead><tr>")
            out += [f'<th scope="col"{numeric_class(c)}>{cell_content(c)}</th>' for c in block.header]
            out.append("</tr></thead>\n")
        out.append("<tbody>\n")
        for row in block.rows:
            # The first column names the row (a principle, a rating, a reference, an action, a prompt).
            cells = [f'<th scope="row"{numeric_class(c)}>{cell_content(c)}</th>' if i == 0
                     else f"<td{numeric_class(c)}>{cell_content(c)}</td>" for i, c in enumerate(row)]
            out.append(f"<tr>{''.join(cells)}</tr>\n")
        out.append("</tbody>\n</table>\n")

    @_layout(Observation)
    def _observation(self, block: Observation) -> None:
        out = self._out
        details = "<br>".join(escape(d) for d in block.details)
        # A compact (Working well) observation names its prompt on its first line, having no heading of its own.
        context = one_line(getattr(block, "context", "")) if getattr(block, "compact", False) else ""
        out.append(
            f'<div class="observation" id="{escape(block.anchor)}">\n<p class="obs-head">'
            f'<span class="ref"><span class="vh">Observation </span>{escape(block.ref)}</span> {chip(block.rating)}'
            + (f' <span class="meta">{details}</span>' if details else "")
            + (f' <span class="meta"><em>{escape(context)}</em></span>' if context else "") + "</p>\n"
        )
        if block.note:
            out += [f"<p>{escape(text).replace(chr(10), '<br>')}</p>\n" for text in block.note]
        else:
            out.append('<p class="meta"><em>No note recorded.</em></p>\n')
        out += [f'<p class="meta">{spans(line)}</p>\n' for line in getattr(block, "actions", ())]
        if block.photos:
            out.append('<div class="photos">\n')
            for ref in block.photos:
                self._photo(ref)
            out.append("</div>\n")
        out.append("</div>\n")
        self._tracker.step()

    def _photo(self, ref: PhotoRef) -> None:
        prepared = self._photos.take(self._placed)
        self._placed += 1
        caption = spans(ref.caption)
        if prepared is None:
            self._out.append(f'<figure>\n<p class="meta"><em>[{escape(PHOTO_UNREADABLE)}]</em></p>\n'
                             f"<figcaption>{caption}</figcaption>\n</figure>\n")
        else:
            small, width, height = prepared
            alt = one_line(getattr(ref, "alt", "") or "") or one_line(text_of(ref.caption)) or f"Photo {ref.number}"
            self._out += (
                '<figure>\n<img src="data:image/jpeg;base64,',
                base64.b64encode(small).decode("ascii"),
                f'" alt="{escape(alt)}" width="{round(width * _PX_PER_PT)}" height="{round(height * _PX_PER_PT)}">\n'
                f"<figcaption>{caption}</figcaption>\n</figure>\n",
            )
        self._tracker.step()
