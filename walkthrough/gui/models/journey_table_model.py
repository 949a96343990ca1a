"""A service's journey as a Qt table: each area's implementation stage at each walk, and where it stands."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from walkthrough.domain.implementation_stage import AreaStage
from walkthrough.gui.wording import local_date_text, stage_label, stage_reason_label
from walkthrough.services.journey import Journey

_Index = QModelIndex | QPersistentModelIndex


class JourneyTableModel(QAbstractTableModel):
    """Rows: the areas of the latest walk's lens, in walking order.  Columns: the area, one per walk
    (oldest first; the area's stage then, "–" where that walk's lens had no such area), and why the
    latest walk's stage is what it is.  Read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journey: Journey | None = None
        self._rows: list[AreaStage] = []
        self._by_walk: list[dict[str, AreaStage]] = []

    def set_journey(self, journey: Journey | None) -> None:
        self.beginResetModel()
        self._journey = journey
        self._rows = list(journey.stages[-1].areas) if journey and journey.stages else []
        self._by_walk = [{a.area_id: a for a in walk.areas} for walk in journey.stages] if journey else []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or not self._rows else len(self._by_walk) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole or self._journey is None:
            return None
        if section == 0:
            return self.tr("Area")
        if section == len(self._by_walk) + 1:
            return self.tr("Where it stands")
        return local_date_text(self._journey.walks[section - 1].visit_date)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
            return None
        area = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return area.area_title
        if column == len(self._by_walk) + 1:
            reason = stage_reason_label(area.reason)
            if area.actions:
                reason += " " + self.tr("(%1 of %n action(s) done)", "", area.actions).replace("%1", str(area.done))
            return reason
        then = self._by_walk[column - 1].get(area.area_id)
        if then is None:
            return "–" if role == Qt.ItemDataRole.DisplayRole else self.tr("Not in that walk's lens")
        if role == Qt.ItemDataRole.DisplayRole:
            return str(then.stage.value)
        return stage_label(then.stage) + " — " + stage_reason_label(then.reason)
