"""One observation's headings, note and first photo row, broken across pages only where a reader can follow.

ReportLab's ``keepWithNext`` keeps a heading with the *whole* of the next
flowable: chained through an observation it made the prompt, the reference
line, the first paragraph (and, with a photo, the note and the photo) one
block that could only move whole.  An observation without a photo whose first
paragraph was long started a new page although its heading and the start of
its note fitted on the page before; a heading with nothing splittable after
it (an area's title and description) was left at the foot of a page.

:class:`ObservationBlock` lays the same pieces out by these rules instead:

* the headings (area, prompt, reference line) are followed on their page by
  at least the note's first two lines (or the whole of a shorter first
  paragraph);
* with a photo, a short note (:data:`NOTE_KEPT_WHOLE_LINES` lines or fewer)
  stays on one page with the headings and the first row of photos, moving to
  the next page whole if need be;
* a longer note flows across pages, and the first row of photos goes with at
  least the note's last two lines, so a photo never opens a page on its own.

Like :class:`~reportlab.platypus.KeepTogether`, the block never draws itself:
it hands the frame the pieces that fit, and itself for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Paragraph
from reportlab.platypus.flowables import HRFlowable, _listWrapOn

#: Notes of up to this many lines move to the next page with their first photo rather than split.
NOTE_KEPT_WHOLE_LINES = 5
#: Lines of note kept with the headings above it, and with the photo below it.
_KEPT_LINES = 2
#: Slack for rounding between this measure and the frame's own.
_FUZZ = 0.5


class ObservationBlock(KeepTogether):
    """``lead`` (headings), then ``note`` (paragraphs), then ``photo`` (the first photo row, or ``None``)."""

    def __init__(self, lead: Sequence[Flowable], note: Sequence[Paragraph], photo: Flowable | None) -> None:
        super().__init__([*lead, *note, *([photo] if photo is not None else [])])
        self._lead, self._note, self._photo = list(lead), list(note), photo
        for flowable in self._content[:-1]:
            # Our rules replace the chain; left on, the frame would chain the pieces again.
            flowable.__dict__["keepWithNext"] = 0
        #: Each piece's (width, height) at the width last wrapped to: wrapping a
        #: paragraph again (breaking its lines) is most of a report's time.
        self._dims: dict[int, tuple[float, float]] = {}

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 - ReportLab's names
        # As KeepTogether.wrap, keeping each piece's size for split() to reuse.
        dims: list[tuple[float, float]] = []
        width, height = _listWrapOn(self._content, aW, self.canv, dims=dims)
        self._H, self._H0 = height, (dims[0][1] if dims else 0)
        self._wrapInfo = aW, aH
        self._dims = {id(f): d for f, d in zip(self._content, dims)}
        return width, 0xFFFFFF  # always split: split() decides what goes on this page

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        if getattr(self, "_wrapInfo", (None,))[0] != aW:
            self.wrap(aW, aH)  # (the sizes do not depend on the height offered: no need when only that changed)
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        if self._H <= aH + _FUZZ:
            return list(self._content)
        if self._photo is not None and not at_top and _lines(self._note, aW) <= NOTE_KEPT_WHOLE_LINES:
            return []  # the whole observation starts on the next page
        pieces = self._first_page(aW, aH)
        if pieces is None:
            # At the top of a page even the first lines do not fit (a page of headings): let it flow.
            return [] if not at_top else list(self._content)
        return pieces

    def _first_page(self, width: float, height: float) -> list[Flowable] | None:
        """The pieces for this page and the block for the rest, or ``None`` if the rules cannot be met here."""
        lead_height = self._height(self._lead, width)
        note = self._note
        budget = height - lead_height
        if self._lead and note:
            budget -= _gap(self._lead[-1], note[0])
        if self._photo is not None:
            # Leave the photo its last lines of note: the paragraph they end may be split, or moved whole.
            budget = min(budget, self._height(note, width) - _KEPT_LINES * _leading(note[-1]) + _FUZZ)
        taken: list[Flowable] = []
        rest: list[Paragraph] = list(note)
        used = 0.0
        while rest:
            paragraph = rest[0]
            gap = _gap(taken[-1], paragraph) if taken else 0.0
            whole = self._dims[id(paragraph)][1] if id(paragraph) in self._dims else paragraph.wrap(width, budget)[1]
            if used + gap + whole <= budget + _FUZZ:
                taken.append(rest.pop(0))
                used += gap + whole
                continue
            parts = paragraph.split(width, budget - used - gap) if budget - used - gap > 0 else []
            if len(parts) == 2:
                taken.append(parts[0])
                rest[0] = parts[1]
            break
        if not taken or (self._lead and not _starts_note(taken[0], note[0])):
            return None
        if self._photo is None:
            return [*self._lead, *taken, *rest]
        return [*self._lead, *taken, ObservationBlock([], rest, self._photo)]

    def _height(self, flowables: Sequence[Flowable], width: float) -> float:
        """The height of some of the pieces, stacked as a frame stacks them (from wrap's sizes when it can)."""
        if not flowables:
            return 0.0
        if self._wrapInfo[0] != width or any(id(f) not in self._dims for f in flowables):
            return _listWrapOn(list(flowables), width, self.canv)[1]
        return (sum(self._dims[id(f)][1] for f in flowables)
                + sum(_gap(a, b) for a, b in zip(flowables, flowables[1:])))


class NoteParagraph(Paragraph):
    """A paragraph of a note that breaks its lines once per width.

    ReportLab wraps a paragraph each time it is measured: the block measures
    it, then the frame again when placing it (and a contents page means two
    passes over the whole story).  Breaking lines is most of a report's time,
    and the result depends only on the width, so it is kept.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self.__dict__.get("_wrapped_for") == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_for = availWidth
        return size


class ObservationRule(HRFlowable):
    """The hairline that ends an observation, left out at the top of a page (the page break separates already)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._hidden = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        # A rule that did not fit at the foot of the last page would print under the running head.
        self._hidden = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        return (availWidth, 0.0) if self._hidden else super().wrap(availWidth, availHeight)

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return 0.0 if self._hidden else super().getSpaceAfter()

    def draw(self) -> None:
        if not self._hidden:
            super().draw()


def _gap(above: Flowable, below: Flowable) -> float:
    """The space the frame leaves between two flowables (the larger of after and before)."""
    return max(above.getSpaceAfter(), below.getSpaceBefore())


def _leading(paragraph: Paragraph) -> float:
    return paragraph.style.leading


def _lines(note: Sequence[Paragraph], width: float) -> int:
    total = 0
    for paragraph in note:
        if getattr(paragraph, "width", None) != width or not hasattr(paragraph, "blPara"):
            paragraph.wrap(width, 0xFFFFFF)  # (already broken into lines at this width by wrap(), mostly)
        total += len(paragraph.blPara.lines)
    return total


def _starts_note(first: Flowable, paragraph: Paragraph) -> bool:
    """Whether ``first`` (what follows the headings) is the first paragraph, or at least its first two lines."""
    return first is paragraph or len(getattr(getattr(first, "blPara", None), "lines", ())) >= _KEPT_LINES
