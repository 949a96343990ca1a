"""The line that opens each observation: reference, rating chip, principles and voice.

It used to be a one-row, three-cell :class:`~reportlab.platypus.Table`: 300
observations meant 300 extra tables, ReportLab's most expensive flowable.
This flowable places the same three pieces in the same columns (top-aligned,
8 pt gap after each column) without a table's general machinery.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

_GAP = 8  # space after each column, as the table's right padding was
_REF_DROP = 1.5  # the reference sits this much lower, to line up with the chip's text


class ObservationHead(Flowable):
    """``ref`` in a column ``ref_width`` wide, then ``chip``, then ``details`` (may be ``None``) in the rest."""

    def __init__(self, ref: Flowable, chip: Flowable, chip_width: float, details: Flowable | None,
                 ref_width: float, width: float) -> None:
        super().__init__()
        self._ref, self._chip, self._details = ref, chip, details
        self._columns = (ref_width, chip_width + _GAP, width - ref_width - chip_width - _GAP)
        self.width, self.height = width, 0.0
        self._heights = (0.0, 0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        ref_col, chip_col, details_col = self._columns
        ref_h = self._ref.wrap(ref_col - _GAP, availHeight)[1]
        chip_h = self._chip.wrap(chip_col - _GAP, availHeight)[1]
        # An empty third cell was a table's empty string: one 12 pt line.
        details_h = self._details.wrap(details_col - _GAP, availHeight)[1] if self._details else 12.0
        self._heights = (ref_h, chip_h, details_h)
        self.height = max(ref_h + _REF_DROP, chip_h, details_h)
        return self.width, self.height

    def draw(self) -> None:
        ref_h, chip_h, details_h = self._heights
        ref_col, chip_col, _details_col = self._columns
        top = self.height
        self._ref.drawOn(self.canv, 0, top - _REF_DROP - ref_h)
        self._chip.drawOn(self.canv, ref_col, top - chip_h)
        if self._details is not None:
            self._details.drawOn(self.canv, ref_col + chip_col, top - details_h)
