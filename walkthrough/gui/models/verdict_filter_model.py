"""Shows the prompts of a :class:`ComparisonTableModel` with one verdict, or all."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel

from walkthrough.domain.comparison import Verdict
from walkthrough.gui.models.comparison_table_model import ComparisonTableModel

_Index = QModelIndex | QPersistentModelIndex


class VerdictFilterModel(QSortFilterProxyModel):
    """Filters a comparison's rows by verdict (``None``: every row); rows keep walking order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._verdict: Verdict | None = None

    def set_verdict(self, verdict: Verdict | None) -> None:
        # Qt 6.9+ prefers the begin/end pair; invalidateRowsFilter() works everywhere.
        begin = getattr(self, "beginFilterChange", None)
        if begin is not None:
            begin()
            self._verdict = verdict
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._verdict = verdict
            self.invalidateRowsFilter()

    def verdict(self) -> Verdict | None:
        return self._verdict

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        if self._verdict is None:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return index.data(ComparisonTableModel.VerdictRole) == self._verdict.value
