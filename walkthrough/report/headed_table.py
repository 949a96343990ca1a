"""Tables that break across pages where a reader can follow them.

Two ReportLab behaviours left pages a reader could not follow:

* A heading (and the line that introduces the table) was kept with the
  table only through ``keepWithNext``, which keeps it with the *whole*
  table: a long table starting near a page foot moved to the next page and
  left its heading alone at the foot (the *Choice* principle in the sample).
  :class:`HeadedTable` keeps the lead with at least the table's header and
  first row instead, moving all of it to the next page only when not even
  those fit.
* With ``splitInRow``, ReportLab splits *inside* a row whenever no whole row
  fits, including in the space left below the first part of the same table:
  the rest of the table then started on the same page, under its header
  printed a second time.  :class:`RowTable` splits inside a row only at the
  top of a page, where a row taller than the page has no other way to go.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Table
from reportlab.platypus.flowables import _listWrapOn

#: Slack for rounding between this measure and the frame's own.
_FUZZ = 0.5


def _at_top(flowable: Flowable) -> bool:
    """True when the frame laying ``flowable`` out has drawn nothing on this page yet."""
    return bool(getattr(getattr(flowable, "_frame", None), "_atTop", False))


class RowTable(Table):
    """A table that moves a row to the next page whole, and splits a row only at the top of a page."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        if _at_top(self):
            return super().split(availWidth, availHeight)
        allowed = self.splitInRow
        self.splitInRow = 0
        try:
            return super().split(availWidth, availHeight)
        finally:
            self.splitInRow = allowed


class HeadedTable(KeepTogether):
    """``lead`` (a heading, an introducing line) kept on its page with at least the first rows of ``table``."""

    def __init__(self, lead: Sequence[Flowable], table: Table) -> None:
        super().__init__([*lead, table])
        self._lead, self._table = list(lead), table
        for flowable in self._lead:
            # This block keeps them together; left on, the frame would chain them to the whole table.
            flowable.__dict__["keepWithNext"] = 0

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803 - ReportLab's names
        width, self._H = _listWrapOn(self._content, aW, self.canv)
        self._wrapInfo = aW, aH
        return width, 0xFFFFFF  # always split: split() decides what goes on this page

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        if getattr(self, "_wrapInfo", (None,))[0] != aW:
            self.wrap(aW, aH)
        if self._H <= aH + _FUZZ:
            return list(self._content)
        room = aH
        if self._lead:
            room -= _listWrapOn(self._lead, aW, self.canv)[1]
            room -= max(self._lead[-1].getSpaceAfter(), self._table.getSpaceBefore())
        # Below the lead the table is not at the top of the page: whole rows only.
        parts = self._table.split(aW, room) if room > 0 else []
        if parts:
            return [*self._lead, *parts]
        # Not even the first row fits under the lead here: all of it on the next page,
        # unless this is already a fresh page (then let the table split as it can).
        return list(self._content) if _at_top(self) else []
